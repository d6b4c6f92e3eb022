package io.livepulse.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Watch time of the last 15 minutes, in minute buckets (60 longs in all, allocated by the first
 * second with anyone online): per minute the viewer-seconds, the entries, and the online count when
 * the minute began. The window is the current minute and the 14 before it.
 */
final class WatchWindow {
  static final int MINUTES = 15;

  private final long[] minute = new long[MINUTES];
  private final long[] userSeconds = new long[MINUTES];
  private final long[] enters = new long[MINUTES];
  private final long[] onlineAtStart = new long[MINUTES];

  WatchWindow() {
    java.util.Arrays.fill(minute, Long.MIN_VALUE);
  }

  /** Second {@code s} closed with {@code online} viewers at its end, {@code entered} of them new, after {@code before}. */
  void second(long s, long online, long entered, long before) {
    long m = Math.floorDiv(s, 60L);
    int slot = (int) Math.floorMod(m, (long) MINUTES);
    if (minute[slot] != m) {
      minute[slot] = m;
      userSeconds[slot] = 0;
      enters[slot] = 0;
      onlineAtStart[slot] = before;
    }
    userSeconds[slot] += online;
    enters[slot] += entered;
  }

  /** {viewer-seconds, visits} in the 15 minutes up to second {@code s}. */
  long[] recent(long s) {
    long m = Math.floorDiv(s, 60L);
    long seconds = 0;
    long visits = 0;
    long oldest = Long.MAX_VALUE;
    long atOldest = 0;
    for (int i = 0; i < MINUTES; i++) {
      if (minute[i] > m - MINUTES && minute[i] <= m) {
        seconds += userSeconds[i];
        visits += enters[i];
        if (minute[i] < oldest) {
          oldest = minute[i];
          atOldest = onlineAtStart[i];
        }
      }
    }
    return new long[] {seconds, visits + (oldest == Long.MAX_VALUE ? 0 : atOldest)};
  }

  void writeTo(DataOutputStream out) throws IOException {
    for (long[] column : new long[][] {minute, userSeconds, enters, onlineAtStart}) {
      for (long v : column) {
        out.writeLong(v);
      }
    }
  }

  static WatchWindow readFrom(DataInputStream in) throws IOException {
    WatchWindow w = new WatchWindow();
    for (long[] column : new long[][] {w.minute, w.userSeconds, w.enters, w.onlineAtStart}) {
      for (int i = 0; i < MINUTES; i++) {
        column[i] = in.readLong();
      }
    }
    return w;
  }
}
