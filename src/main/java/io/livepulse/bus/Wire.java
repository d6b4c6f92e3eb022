package io.livepulse.bus;

import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of every message that crosses nodes of a cluster: compact, versionless (all nodes
 * of a cluster run one build), and written field by field so that a value decoded on another node
 * equals the one sent ({@code WireTest} round-trips each). Strings may be null.
 */
final class Wire {
  private Wire() {
  }

  interface Writer<T> {
    void write(DataOutputStream out, T value) throws IOException;
  }

  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  static <T> byte[] encode(Writer<T> writer, T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream out = new DataOutputStream(bytes);
      writer.write(out, value);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T decode(Reader<T> reader, byte[] bytes) {
    try {
      return reader.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- primitives ---------------------------------------------------------------------------------

  static void str(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String str(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  static <T> void list(DataOutputStream out, List<T> list, Writer<T> item) throws IOException {
    out.writeInt(list.size());
    for (T t : list) {
      item.write(out, t);
    }
  }

  static <T> List<T> list(DataInputStream in, Reader<T> item) throws IOException {
    int n = in.readInt();
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(item.read(in));
    }
    return List.copyOf(out);
  }

  // ---- events -------------------------------------------------------------------------------------

  static void event(DataOutputStream out, Event e) throws IOException {
    out.writeByte(e.type.ordinal());
    str(out, e.room);
    out.writeLong(e.ts);
    str(out, e.user);
    out.writeBoolean(e.enter);
    str(out, e.source);
    str(out, e.order);
    str(out, e.sku);
    out.writeInt(e.qty);
    out.writeLong(e.amountCents);
    str(out, e.title);
    str(out, e.anchor);
    str(out, e.platform);
    str(out, e.status);
    out.writeInt(e.session);
    str(out, e.refundId);
    out.writeBoolean(e.stats != null);
    if (e.stats != null) {
      Event.Stats s = e.stats;
      for (long v : new long[] {s.online(), s.viewers(), s.likes(), s.comments(), s.follows(), s.shares(), s.exposures()}) {
        out.writeLong(v);
      }
    }
    out.writeInt(e.viewerIdleMinutes);
    out.writeBoolean(e.target != null);
    if (e.target != null) {
      out.writeLong(e.target.cents());
      out.writeInt(e.target.minutes());
    }
  }

  static Event event(DataInputStream in) throws IOException {
    EventType type = EventType.values()[in.readByte()];
    String room = str(in);
    long ts = in.readLong();
    String user = str(in);
    boolean enter = in.readBoolean();
    String source = str(in);
    String order = str(in);
    String sku = str(in);
    int qty = in.readInt();
    long amount = in.readLong();
    String title = str(in);
    String anchor = str(in);
    String platform = str(in);
    String status = str(in);
    int session = in.readInt();
    String refundId = str(in);
    Event.Stats stats = in.readBoolean() ? new Event.Stats(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong()) : null;
    int idle = in.readInt();
    Event.Target target = in.readBoolean() ? new Event.Target(in.readLong(), in.readInt()) : null;
    return Event.restore(type, room, ts, user, enter, source, order, sku, qty, amount, title, anchor, platform, status,
        session, refundId, stats, idle, target);
  }

  // ---- messages -----------------------------------------------------------------------------------

  static void storeWrite(DataOutputStream out, Bus.StoreWrite w) throws IOException {
    list(out, w.events(), Wire::event);
  }

  static Bus.StoreWrite storeWrite(DataInputStream in) throws IOException {
    return new Bus.StoreWrite(list(in, Wire::event));
  }

  static void storeResult(DataOutputStream out, Bus.StoreResult r) throws IOException {
    out.writeInt(r.outcomes().length);
    for (int i = 0; i < r.outcomes().length; i++) {
      out.writeByte(r.outcomes()[i] == null ? -1 : r.outcomes()[i].ordinal());
      str(out, r.errors()[i]);
    }
  }

  static Bus.StoreResult storeResult(DataInputStream in) throws IOException {
    int n = in.readInt();
    Bus.Outcome[] outcomes = new Bus.Outcome[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      int o = in.readByte();
      outcomes[i] = o < 0 ? null : Bus.Outcome.values()[o];
      errors[i] = str(in);
    }
    return new Bus.StoreResult(outcomes, errors);
  }

  static void shardEvents(DataOutputStream out, Bus.ShardEvents e) throws IOException {
    out.writeLong(e.seq());
    list(out, e.events(), Wire::event);
  }

  static Bus.ShardEvents shardEvents(DataInputStream in) throws IOException {
    long seq = in.readLong();
    return new Bus.ShardEvents(list(in, Wire::event), seq);
  }

  static void query(DataOutputStream out, Bus.Query q) throws IOException {
    if (q instanceof Bus.RoomQuery r) {
      out.writeByte(0);
      str(out, r.room());
    } else if (q instanceof Bus.SnapshotQuery s) {
      out.writeByte(1);
      str(out, s.room());
    } else if (q instanceof Bus.TimelineQuery t) {
      out.writeByte(3);
      str(out, t.room());
    } else {
      out.writeByte(2);
    }
  }

  static Bus.Query query(DataInputStream in) throws IOException {
    return switch (in.readByte()) {
      case 0 -> new Bus.RoomQuery(str(in));
      case 1 -> new Bus.SnapshotQuery(str(in));
      case 3 -> new Bus.TimelineQuery(str(in));
      default -> new Bus.RoomsQuery();
    };
  }

  // ---- figures ------------------------------------------------------------------------------------

  static void totals(DataOutputStream out, Figures.Totals t) throws IOException {
    for (long v : new long[] {t.gmvCents(), t.orders(), t.units(), t.buyers(), t.uv(), t.views(), t.online(),
        t.peakOnline(), t.clickers(), t.grossCents(), t.refundCents(), t.refundOrders()}) {
      out.writeLong(v);
    }
    Figures.Reported r = t.reported();
    out.writeBoolean(r.online());
    for (long v : new long[] {r.likes(), r.comments(), r.follows(), r.shares(), r.exposures(), r.viewers()}) {
      out.writeLong(v);
    }
    Figures.Watch w = t.watch();
    for (long v : new long[] {w.userSeconds(), w.liveSeconds(), w.viewers(), w.recentUserSeconds(), w.recentVisits()}) {
      out.writeLong(v);
    }
    out.writeBoolean(t.target() != null);
    if (t.target() != null) {
      out.writeLong(t.target().cents());
      out.writeInt(t.target().minutes());
    }
  }

  static Figures.Totals totals(DataInputStream in) throws IOException {
    long[] v = new long[12];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readLong();
    }
    Figures.Reported r = new Figures.Reported(in.readBoolean(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong());
    Figures.Watch w = new Figures.Watch(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    Figures.Target target = in.readBoolean() ? new Figures.Target(in.readLong(), in.readInt()) : null;
    return new Figures.Totals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], r, w, target);
  }

  static void second(DataOutputStream out, Figures.Second s) throws IOException {
    for (long v : new long[] {s.second(), s.gmvCents(), s.orders(), s.units(), s.views(), s.enters(), s.leaves(),
        s.online(), s.clicks()}) {
      out.writeLong(v);
    }
  }

  static Figures.Second second(DataInputStream in) throws IOException {
    return new Figures.Second(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong());
  }

  static void product(DataOutputStream out, Figures.Product p) throws IOException {
    str(out, p.sku());
    str(out, p.title());
    for (long v : new long[] {p.gmvCents(), p.units(), p.orders(), p.clicks(), p.clickers(), p.buyers()}) {
      out.writeLong(v);
    }
  }

  static Figures.Product product(DataInputStream in) throws IOException {
    return new Figures.Product(str(in), str(in), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong());
  }

  static void channels(DataOutputStream out, Figures.Channels c) throws IOException {
    list(out, c.sales(), (o, s) -> {
      str(o, s.source());
      o.writeLong(s.gmvCents());
      o.writeLong(s.grossCents());
      o.writeLong(s.orders());
      o.writeLong(s.buyers());
    });
    list(out, c.groups(), (o, g) -> {
      str(o, g.group());
      o.writeLong(g.entries());
      o.writeDouble(g.entryShare());
      o.writeLong(g.gmvCents());
      o.writeDouble(g.gmvShare());
      o.writeLong(g.orders());
    });
  }

  static Figures.Channels channels(DataInputStream in) throws IOException {
    List<Figures.SourceSales> sales = list(in, i -> new Figures.SourceSales(str(i), i.readLong(), i.readLong(),
        i.readLong(), i.readLong()));
    List<Figures.SourceGroup> groups = list(in, i -> new Figures.SourceGroup(str(i), i.readLong(), i.readDouble(),
        i.readLong(), i.readDouble(), i.readLong()));
    return new Figures.Channels(sales, groups);
  }

  static void roomTick(DataOutputStream out, Figures.RoomTick t) throws IOException {
    str(out, t.room());
    out.writeLong(t.second());
    out.writeInt(t.session());
    Figures.Meta m = t.meta();
    str(out, m.anchor());
    str(out, m.title());
    str(out, m.platform());
    str(out, m.status());
    second(out, t.now());
    totals(out, t.totals());
    list(out, t.topProducts(), Wire::product);
    out.writeInt(t.sources().size());
    for (Map.Entry<String, Long> e : t.sources().entrySet()) {
      str(out, e.getKey());
      out.writeLong(e.getValue());
    }
    channels(out, t.channels());
  }

  static Figures.RoomTick roomTick(DataInputStream in) throws IOException {
    String room = str(in);
    long second = in.readLong();
    int session = in.readInt();
    Figures.Meta meta = new Figures.Meta(str(in), str(in), str(in), str(in));
    Figures.Second now = second(in);
    Figures.Totals totals = totals(in);
    List<Figures.Product> products = list(in, Wire::product);
    int n = in.readInt();
    Map<String, Long> sources = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      sources.put(str(in), in.readLong());
    }
    return new Figures.RoomTick(room, second, session, meta, now, totals, products,
        java.util.Collections.unmodifiableMap(sources), channels(in));
  }

  static void roomSnapshot(DataOutputStream out, Figures.RoomSnapshot s) throws IOException {
    roomTick(out, s.tick());
    list(out, s.series(), Wire::second);
  }

  static Figures.RoomSnapshot roomSnapshot(DataInputStream in) throws IOException {
    return new Figures.RoomSnapshot(roomTick(in), list(in, Wire::second));
  }

  static void roomList(DataOutputStream out, Bus.RoomList l) throws IOException {
    list(out, l.rooms(), Wire::roomTick);
  }

  static Bus.RoomList roomList(DataInputStream in) throws IOException {
    return new Bus.RoomList(list(in, Wire::roomTick));
  }

  static void shardTick(DataOutputStream out, Bus.ShardTick t) throws IOException {
    str(out, t.source());
    out.writeLong(t.second());
    list(out, t.rooms(), Wire::roomTick);
    list(out, t.removed(), Wire::str);
    out.writeBoolean(t.full());
  }

  static Bus.ShardTick shardTick(DataInputStream in) throws IOException {
    return new Bus.ShardTick(str(in), in.readLong(), list(in, Wire::roomTick), list(in, Wire::str), in.readBoolean());
  }

  /** Hydration replies stay on one node, but a map of snapshots is cheap to describe. */
  static void hydrated(DataOutputStream out, Bus.HydratedRooms h) throws IOException {
    out.writeLong(h.seq());
    out.writeInt(h.rooms().size());
    for (Map.Entry<String, byte[]> e : h.rooms().entrySet()) {
      str(out, e.getKey());
      out.writeInt(e.getValue().length);
      out.write(e.getValue());
    }
  }

  static Bus.HydratedRooms hydrated(DataInputStream in) throws IOException {
    long seq = in.readLong();
    int n = in.readInt();
    Map<String, byte[]> rooms = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String room = str(in);
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      rooms.put(room, b);
    }
    return new Bus.HydratedRooms(rooms, seq);
  }

  static void timeline(DataOutputStream out, Figures.Timeline t) throws IOException {
    str(out, t.room());
    out.writeInt(t.session());
    list(out, t.explains(), (o, e) -> {
      str(o, e.sku());
      for (long v : new long[] {e.start(), e.end(), e.gmvCents(), e.orders(), e.units(), e.buyers(), e.roomGmvCents(),
          e.roomOrders(), e.roomUnits(), e.roomBuyers(), e.clicks(), e.clickers(), e.onlineStart(), e.onlineEnd(),
          e.onlinePeak()}) {
        o.writeLong(v);
      }
    });
    list(out, t.marks(), (o, m) -> {
      o.writeLong(m.ts());
      str(o, m.label());
      str(o, m.kind());
    });
  }

  static Figures.Timeline timeline(DataInputStream in) throws IOException {
    String room = str(in);
    int session = in.readInt();
    List<Figures.Explain> explains = list(in, i -> {
      String sku = str(i);
      long[] v = new long[15];
      for (int k = 0; k < v.length; k++) {
        v[k] = i.readLong();
      }
      return new Figures.Explain(sku, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
          v[13], v[14]);
    });
    List<Figures.Mark> marks = list(in, i -> new Figures.Mark(i.readLong(), str(i), str(i)));
    return new Figures.Timeline(room, session, explains, marks);
  }

  static void alert(DataOutputStream out, Bus.AlertMessage a) throws IOException {
    str(out, a.state());
    out.writeLong(a.rule());
    str(out, a.room());
    str(out, a.figure());
    str(out, a.op());
    out.writeDouble(a.value());
    out.writeDouble(a.threshold());
    out.writeLong(a.second());
    out.writeBoolean(a.anchor());
  }

  static Bus.AlertMessage alert(DataInputStream in) throws IOException {
    return new Bus.AlertMessage(str(in), in.readLong(), str(in), str(in), str(in), in.readDouble(), in.readDouble(),
        in.readLong(), in.readBoolean());
  }
}
