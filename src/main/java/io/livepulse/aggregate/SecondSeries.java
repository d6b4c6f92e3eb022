package io.livepulse.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@link #SIZE} seconds of a room, in a ring of primitive columns (no per-second objects).
 * The columns (19 KB) are allocated on the first write, so a room that never had activity costs none.
 */
final class SecondSeries {
  static final int SIZE = 300;

  private long[] second;
  private long[] gmv;
  private long[] orders;
  private long[] units;
  private long[] views;
  private long[] enters;
  private long[] leaves;
  private long[] online;

  boolean allocated() {
    return second != null;
  }

  private void allocate() {
    second = new long[SIZE];
    gmv = new long[SIZE];
    orders = new long[SIZE];
    units = new long[SIZE];
    views = new long[SIZE];
    enters = new long[SIZE];
    leaves = new long[SIZE];
    online = new long[SIZE];
    Arrays.fill(second, Long.MIN_VALUE);
    Arrays.fill(online, -1);
  }

  /** Slot for second s, cleared if it held an older second; -1 when s is older than the ring. */
  private int slot(long s) {
    if (second == null) {
      allocate();
    }
    int i = (int) Math.floorMod(s, (long) SIZE);
    if (second[i] == s) {
      return i;
    }
    if (second[i] > s) {
      return -1;
    }
    second[i] = s;
    gmv[i] = orders[i] = units[i] = views[i] = enters[i] = leaves[i] = 0;
    online[i] = -1;
    return i;
  }

  void addSale(long s, long cents, long orderCount, long unitCount) {
    int i = slot(s);
    if (i >= 0) {
      gmv[i] += cents;
      orders[i] += orderCount;
      units[i] += unitCount;
    }
  }

  void addTraffic(long s, long view, long enter, long leave) {
    int i = slot(s);
    if (i >= 0) {
      views[i] += view;
      enters[i] += enter;
      leaves[i] += leave;
    }
  }

  void setOnline(long s, long value) {
    int i = slot(s);
    if (i >= 0) {
      online[i] = value;
    }
  }

  Figures.Second at(long s, long fallbackOnline) {
    int i = (int) Math.floorMod(s, (long) SIZE);
    if (second == null || second[i] != s) {
      return Figures.Second.empty(s, fallbackOnline);
    }
    return new Figures.Second(s, gmv[i], orders[i], units[i], views[i], enters[i], leaves[i],
        online[i] < 0 ? fallbackOnline : online[i]);
  }

  /** The {@link #SIZE} seconds ending at {@code last}, gaps filled with zeros and the last known online. */
  List<Figures.Second> window(long last) {
    List<Figures.Second> out = new ArrayList<>(SIZE);
    long carried = 0;
    for (long s = last - SIZE + 1; s <= last; s++) {
      Figures.Second f = at(s, carried);
      carried = f.online();
      out.add(f);
    }
    return out;
  }

  void clear() {
    second = gmv = orders = units = views = enters = leaves = online = null;
  }
}
