package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's explain windows and marks (contract §9), plain Java. A {@code start} ends the running
 * window and opens one for its sku; an {@code end} closes the running window (an end without one, or
 * for another sku, changes nothing). Each window counts the orders placed while it ran, for its sku
 * and for the whole room, the clicks on its sku, and online at its start, end and peak. An event that
 * arrives late still counts in the window its timestamp falls in.
 */
final class Timeline {
  /** Windows kept per session; later ones replace nothing: the oldest are dropped. */
  static final int MAX_WINDOWS = 500;
  static final int MAX_MARKS = 1_000;

  static final class Window {
    final String sku;
    final long start;
    long end = -1;
    long gmvCents;
    long orders;
    long units;
    DistinctUsers buyers = new DistinctUsers();
    long roomGmvCents;
    long roomOrders;
    long roomUnits;
    DistinctUsers roomBuyers = new DistinctUsers();
    long clicks;
    DistinctUsers clickers = new DistinctUsers();
    long onlineStart = -1;
    long onlineEnd = -1;
    long onlinePeak;

    Window(String sku, long start) {
      this.sku = sku;
      this.start = start;
    }

    boolean covers(long ts) {
      return ts >= start && (end < 0 || ts < end);
    }

    Figures.Explain figures(long onlineNow) {
      long on = end < 0 ? onlineNow : onlineEnd;
      long clickersCount = clickers.count();
      return new Figures.Explain(sku, start, end, gmvCents, orders, units, buyers.count(), roomGmvCents, roomOrders,
          roomUnits, roomBuyers.count(), clicks, clickersCount, Math.max(onlineStart, 0), Math.max(on, 0),
          Math.max(onlinePeak, Math.max(on, 0)));
    }
  }

  final List<Window> windows = new ArrayList<>();
  final List<Figures.Mark> marks = new ArrayList<>();

  Window running() {
    if (windows.isEmpty()) {
      return null;
    }
    Window last = windows.get(windows.size() - 1);
    return last.end < 0 ? last : null;
  }

  void explain(Event e, long onlineNow) {
    Window run = running();
    if (e.enter) {
      if (run != null) {
        close(run, e.ts, onlineNow);
      }
      Window w = new Window(e.sku, e.ts);
      w.onlineStart = onlineNow;
      w.onlinePeak = onlineNow;
      windows.add(w);
      if (windows.size() > MAX_WINDOWS) {
        windows.remove(0);
      }
    } else if (run != null && run.sku.equals(e.sku)) {
      close(run, e.ts, onlineNow);
    }
  }

  private static void close(Window w, long ts, long onlineNow) {
    w.end = Math.max(ts, w.start);
    w.onlineEnd = onlineNow;
    w.onlinePeak = Math.max(w.onlinePeak, onlineNow);
  }

  void mark(Event e) {
    marks.add(new Figures.Mark(e.ts, e.title, e.source));
    if (marks.size() > MAX_MARKS) {
      marks.remove(0);
    }
  }

  /** The window a timestamp falls in, searching from the newest (events are mostly recent). */
  private Window at(long ts) {
    for (int i = windows.size() - 1; i >= 0; i--) {
      Window w = windows.get(i);
      if (w.covers(ts)) {
        return w;
      }
      if (w.start <= ts) {
        return null;
      }
    }
    return null;
  }

  void order(Event e) {
    Window w = at(e.ts);
    if (w == null) {
      return;
    }
    w.roomGmvCents += e.amountCents;
    w.roomOrders++;
    w.roomUnits += e.qty;
    w.roomBuyers.add(e.user);
    if (w.sku.equals(e.sku)) {
      w.gmvCents += e.amountCents;
      w.orders++;
      w.units += e.qty;
      w.buyers.add(e.user);
    }
  }

  void click(Event e) {
    Window w = at(e.ts);
    if (w != null && w.sku.equals(e.sku)) {
      w.clicks++;
      w.clickers.add(e.user);
    }
  }

  /** Online at the end of a second, for the running window's peak. */
  void online(long onlineNow) {
    Window run = running();
    if (run != null) {
      run.onlinePeak = Math.max(run.onlinePeak, onlineNow);
    }
  }

  boolean isEmpty() {
    return windows.isEmpty() && marks.isEmpty();
  }

  List<Figures.Explain> explains(long onlineNow) {
    List<Figures.Explain> out = new ArrayList<>(windows.size());
    windows.forEach(w -> out.add(w.figures(onlineNow)));
    return out;
  }

  /**
   * The viewer side (clicks, clickers, online), which is not rebuilt from stored orders: saved with the
   * room's viewer state, matched again by window start and sku.
   */
  void writeViewerSide(DataOutputStream out) throws IOException {
    out.writeInt(windows.size());
    for (Window w : windows) {
      out.writeLong(w.start);
      out.writeUTF(w.sku);
      out.writeLong(w.clicks);
      byte[] c = w.clickers.toBytes();
      out.writeInt(c.length);
      out.write(c);
      out.writeLong(w.onlineStart);
      out.writeLong(w.onlineEnd);
      out.writeLong(w.onlinePeak);
    }
  }

  /** Reads what {@link #writeViewerSide} wrote; windows are matched, not created. */
  void readViewerSide(DataInputStream in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      long start = in.readLong();
      String sku = in.readUTF();
      long clicks = in.readLong();
      byte[] c = new byte[in.readInt()];
      in.readFully(c);
      long onlineStart = in.readLong();
      long onlineEnd = in.readLong();
      long onlinePeak = in.readLong();
      for (Window w : windows) {
        if (w.start == start && w.sku.equals(sku)) {
          w.clicks = clicks;
          w.clickers = DistinctUsers.fromBytes(c);
          w.onlineStart = onlineStart;
          w.onlineEnd = w.end < 0 ? -1 : onlineEnd;
          w.onlinePeak = onlinePeak;
        }
      }
    }
  }

  /** Every figure of every window and the marks, for a room moved whole ({@link RoomState#toSnapshot}). */
  void writeFull(DataOutputStream out) throws IOException {
    out.writeInt(windows.size());
    for (Window w : windows) {
      out.writeUTF(w.sku);
      out.writeLong(w.start);
      out.writeLong(w.end);
      for (long v : new long[] {w.gmvCents, w.orders, w.units, w.roomGmvCents, w.roomOrders, w.roomUnits, w.clicks,
          w.onlineStart, w.onlineEnd, w.onlinePeak}) {
        out.writeLong(v);
      }
      for (DistinctUsers d : new DistinctUsers[] {w.buyers, w.roomBuyers, w.clickers}) {
        byte[] b = d.toBytes();
        out.writeInt(b.length);
        out.write(b);
      }
    }
    out.writeInt(marks.size());
    for (Figures.Mark m : marks) {
      out.writeLong(m.ts());
      out.writeUTF(m.label());
      out.writeBoolean(m.kind() != null);
      if (m.kind() != null) {
        out.writeUTF(m.kind());
      }
    }
  }

  void readFull(DataInputStream in) throws IOException {
    windows.clear();
    marks.clear();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      Window w = new Window(in.readUTF(), in.readLong());
      w.end = in.readLong();
      w.gmvCents = in.readLong();
      w.orders = in.readLong();
      w.units = in.readLong();
      w.roomGmvCents = in.readLong();
      w.roomOrders = in.readLong();
      w.roomUnits = in.readLong();
      w.clicks = in.readLong();
      w.onlineStart = in.readLong();
      w.onlineEnd = in.readLong();
      w.onlinePeak = in.readLong();
      w.buyers = readSketch(in);
      w.roomBuyers = readSketch(in);
      w.clickers = readSketch(in);
      windows.add(w);
    }
    int m = in.readInt();
    for (int i = 0; i < m; i++) {
      long ts = in.readLong();
      String label = in.readUTF();
      marks.add(new Figures.Mark(ts, label, in.readBoolean() ? in.readUTF() : null));
    }
  }

  private static DistinctUsers readSketch(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return DistinctUsers.fromBytes(b);
  }
}
