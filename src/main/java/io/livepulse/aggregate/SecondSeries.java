package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@link #SIZE} seconds of a room, in a ring of primitive columns (no per-second objects).
 * The ring grows with use: it starts with room for a few seconds on the first write and doubles only
 * when two seconds inside the window would share a slot, up to {@link #SIZE} slots (19 KB). A room
 * that had a few busy seconds keeps a few hundred bytes, not the whole window.
 */
final class SecondSeries {
  static final int SIZE = 300;
  static final int FIRST_CAPACITY = 4;

  private int capacity;
  private long newest = Long.MIN_VALUE;
  /** The latest online sample that left the ring: what online was before the oldest kept second. */
  private long carriedSecond = Long.MIN_VALUE;
  private long carriedOnline;
  private long[] second;
  private long[] gmv;
  private long[] orders;
  private long[] units;
  private long[] views;
  private long[] enters;
  private long[] leaves;
  private long[] online;
  private long[] clicks;

  boolean allocated() {
    return second != null;
  }

  int capacity() {
    return capacity;
  }

  private void allocate(int size) {
    capacity = size;
    second = new long[size];
    gmv = new long[size];
    orders = new long[size];
    units = new long[size];
    views = new long[size];
    enters = new long[size];
    leaves = new long[size];
    online = new long[size];
    clicks = new long[size];
    Arrays.fill(second, Long.MIN_VALUE);
    Arrays.fill(online, -1);
  }

  /** Moves every second still inside the window into a ring twice as large (at most SIZE). */
  private void grow() {
    long[] oldSecond = second;
    long[] oldGmv = gmv;
    long[] oldOrders = orders;
    long[] oldUnits = units;
    long[] oldViews = views;
    long[] oldEnters = enters;
    long[] oldLeaves = leaves;
    long[] oldOnline = online;
    long[] oldClicks = clicks;
    allocate(Math.min(SIZE, capacity * 2));
    for (int j = 0; j < oldSecond.length; j++) {
      long s = oldSecond[j];
      if (s != Long.MIN_VALUE && s <= newest - SIZE) {
        carry(s, oldOnline[j]);
      }
      if (s != Long.MIN_VALUE && s > newest - SIZE) {
        int i = index(s);
        second[i] = s;
        gmv[i] = oldGmv[j];
        orders[i] = oldOrders[j];
        units[i] = oldUnits[j];
        views[i] = oldViews[j];
        enters[i] = oldEnters[j];
        leaves[i] = oldLeaves[j];
        online[i] = oldOnline[j];
        clicks[i] = oldClicks[j];
      }
    }
  }

  private int index(long s) {
    return (int) Math.floorMod(s, (long) capacity);
  }

  /** Slot for second s, claimed if it held a second outside the window; -1 when s is older than the window. */
  private int slot(long s) {
    if (second == null) {
      allocate(FIRST_CAPACITY);
    }
    long top = Math.max(newest, s);
    if (s <= top - SIZE) {
      return -1;
    }
    while (true) {
      int i = index(s);
      if (second[i] == s) {
        return i;
      }
      if (second[i] == Long.MIN_VALUE || second[i] <= top - SIZE) {
        if (second[i] != Long.MIN_VALUE) {
          carry(second[i], online[i]);
        }
        newest = top;
        second[i] = s;
        gmv[i] = orders[i] = units[i] = views[i] = enters[i] = leaves[i] = clicks[i] = 0;
        online[i] = -1;
        return i;
      }
      // Two seconds inside the window would share this slot: make room. At SIZE slots they cannot.
      newest = top;
      grow();
    }
  }

  private void carry(long s, long onlineValue) {
    if (onlineValue >= 0 && s > carriedSecond) {
      carriedSecond = s;
      carriedOnline = onlineValue;
    }
  }

  void addSale(long s, long cents, long orderCount, long unitCount) {
    int i = slot(s);
    if (i >= 0) {
      gmv[i] += cents;
      orders[i] += orderCount;
      units[i] += unitCount;
    }
  }

  void addTraffic(long s, long view, long enter, long leave, long click) {
    int i = slot(s);
    if (i >= 0) {
      views[i] += view;
      enters[i] += enter;
      leaves[i] += leave;
      clicks[i] += click;
    }
  }

  void setOnline(long s, long value) {
    int i = slot(s);
    if (i >= 0) {
      online[i] = value;
    }
  }

  Figures.Second at(long s, long fallbackOnline) {
    if (second == null) {
      return Figures.Second.empty(s, fallbackOnline);
    }
    int i = index(s);
    if (second[i] != s) {
      return Figures.Second.empty(s, fallbackOnline);
    }
    return new Figures.Second(s, gmv[i], orders[i], units[i], views[i], enters[i], leaves[i],
        online[i] < 0 ? fallbackOnline : online[i], clicks[i]);
  }

  /**
   * The {@link #SIZE} seconds ending at {@code last}, gaps filled with zeros and the last known online
   * (online is written only when it changes, so a gap means "as before").
   */
  List<Figures.Second> window(long last) {
    List<Figures.Second> out = new ArrayList<>(SIZE);
    long carried = onlineBefore(last - SIZE + 1);
    for (long s = last - SIZE + 1; s <= last; s++) {
      Figures.Second f = at(s, carried);
      carried = f.online();
      out.add(f);
    }
    return out;
  }

  /** Online in effect just before second {@code start}: the latest sample older than it. */
  private long onlineBefore(long start) {
    long bestSecond = carriedSecond < start ? carriedSecond : Long.MIN_VALUE;
    long best = bestSecond == Long.MIN_VALUE ? 0 : carriedOnline;
    if (second != null) {
      for (int i = 0; i < capacity; i++) {
        if (second[i] != Long.MIN_VALUE && second[i] < start && online[i] >= 0 && second[i] > bestSecond) {
          bestSecond = second[i];
          best = online[i];
        }
      }
    }
    return best;
  }

  void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeInt(capacity);
    out.writeLong(newest);
    out.writeLong(carriedSecond);
    out.writeLong(carriedOnline);
    for (long[] column : new long[][] {second, gmv, orders, units, views, enters, leaves, online, clicks}) {
      for (int i = 0; i < capacity; i++) {
        out.writeLong(column[i]);
      }
    }
  }

  void readFrom(java.io.DataInputStream in) throws java.io.IOException {
    int size = in.readInt();
    clear();
    newest = in.readLong();
    carriedSecond = in.readLong();
    carriedOnline = in.readLong();
    if (size == 0) {
      return;
    }
    allocate(size);
    for (long[] column : new long[][] {second, gmv, orders, units, views, enters, leaves, online, clicks}) {
      for (int i = 0; i < size; i++) {
        column[i] = in.readLong();
      }
    }
  }

  void clear() {
    carriedSecond = Long.MIN_VALUE;
    carriedOnline = 0;
    capacity = 0;
    newest = Long.MIN_VALUE;
    second = gmv = orders = units = views = enters = leaves = online = clicks = null;
  }
}
