package io.livepulse.live;

import io.livepulse.bus.Figures;
import io.livepulse.event.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The JSON shapes of contract §4 and §5, built in one place so the push and the API always agree. */
public final class LiveJson {
  public static final int TICK_TOP_PRODUCTS = 10;

  private LiveJson() {
  }

  public static JsonObject tick(Figures.RoomTick t) {
    return roomHeader(new JsonObject().put("type", "tick"), t)
        .put("second", t.second())
        .put("now", now(t.now()))
        .put("totals", totals(t.totals()))
        .put("topProducts", products(t.topProducts(), TICK_TOP_PRODUCTS))
        .put("sources", sources(t.sources()))
        .put("sourceSales", sourceSales(t.channels()))
        .put("sourceGroups", sourceGroups(t.channels()));
  }

  public static JsonObject snapshot(Figures.RoomSnapshot s) {
    JsonArray series = new JsonArray();
    s.series().forEach(sec -> series.add(second(sec)));
    return tick(s.tick()).put("type", "snapshot").put("series", series);
  }

  /**
   * The same snapshot as {@link #snapshot}, encoded: the 300 seconds of numbers written straight into
   * the text instead of 300 JSON objects built and then serialised (a reconnect storm's main cost).
   */
  public static String snapshotText(Figures.RoomSnapshot s) {
    String head = tick(s.tick()).put("type", "snapshot").encode();
    StringBuilder sb = new StringBuilder(head.length() + 16 + s.series().size() * 120);
    sb.append(head, 0, head.length() - 1).append(",\"series\":[");
    List<Figures.Second> series = s.series();
    for (int i = 0; i < series.size(); i++) {
      Figures.Second x = series.get(i);
      sb.append(i == 0 ? "{\"gmv\":" : ",{\"gmv\":");
      appendCents(sb, x.gmvCents());
      sb.append(",\"orders\":").append(x.orders()).append(",\"units\":").append(x.units())
          .append(",\"views\":").append(x.views()).append(",\"enters\":").append(x.enters())
          .append(",\"leaves\":").append(x.leaves()).append(",\"online\":").append(x.online())
          .append(",\"clicks\":").append(x.clicks()).append(",\"second\":").append(x.second()).append('}');
    }
    return sb.append("]}").toString();
  }

  /** Cents as the decimal {@link Money#format} writes ("-12.05"), without a BigDecimal per value. */
  static void appendCents(StringBuilder sb, long cents) {
    if (cents == Long.MIN_VALUE) {
      sb.append(Money.format(cents));
      return;
    }
    long abs = Math.abs(cents);
    if (cents < 0) {
      sb.append('-');
    }
    long frac = abs % 100;
    sb.append(abs / 100).append('.').append(frac < 10 ? "0" : "").append(frac);
  }

  /** {@code GET /api/rooms/{room}}. */
  public static JsonObject room(Figures.RoomTick t) {
    return roomHeader(new JsonObject(), t)
        .put("session", t.session())
        .put("totals", totals(t.totals()))
        .put("topProducts", products(t.topProducts(), TICK_TOP_PRODUCTS))
        .put("sources", sources(t.sources()))
        .put("sourceSales", sourceSales(t.channels()))
        .put("sourceGroups", sourceGroups(t.channels()));
  }

  /** One entry of {@code GET /api/rooms}. */
  public static JsonObject roomSummary(Figures.RoomTick t) {
    return roomHeader(new JsonObject(), t).put("totals", totals(t.totals()));
  }

  private static JsonObject roomHeader(JsonObject o, Figures.RoomTick t) {
    Figures.Meta m = t.meta();
    return o.put("room", t.room())
        .put("anchor", m.anchor())
        .put("title", m.title())
        .put("platform", m.platform())
        .put("status", m.status() == null ? "live" : m.status());
  }

  public static JsonObject leaderboard(LeaderboardData d) {
    JsonArray rooms = new JsonArray();
    for (LeaderboardData.RoomLine r : d.rooms()) {
      Figures.Totals t = r.totals();
      rooms.add(new JsonObject()
          .put("room", r.room())
          .put("anchor", r.meta().anchor())
          .put("title", r.meta().title())
          .put("platform", r.meta().platform())
          .put("status", r.meta().status() == null ? "live" : r.meta().status())
          .put("gmv", Money.toDecimal(t.gmvCents()))
          .put("orders", t.orders())
          .put("online", t.online())
          .put("uv", t.uv())
          .put("conversion", ratio(t.conversion()))
          .put("grossGmv", Money.toDecimal(t.grossCents()))
          .put("refundRate", ratio(t.refundRate()))
          .put("perBuyer", Money.toDecimal(t.perBuyerCents()))
          .put("onlineSource", t.reported().online() ? "reported" : "events"));
    }
    JsonArray products = new JsonArray();
    for (LeaderboardData.ProductLine p : d.products()) {
      products.add(product(p.product()).put("room", p.room()));
    }
    return new JsonObject()
        .put("type", "leaderboard")
        .put("second", d.second())
        .put("rooms", rooms)
        .put("products", products)
        .put("totals", new JsonObject()
            .put("gmv", Money.toDecimal(d.gmvCents()))
            .put("orders", d.orders())
            .put("online", d.online())
            .put("rooms", d.liveRooms()));
  }

  public static JsonObject now(Figures.Second s) {
    return new JsonObject()
        .put("gmv", Money.toDecimal(s.gmvCents()))
        .put("orders", s.orders())
        .put("units", s.units())
        .put("views", s.views())
        .put("enters", s.enters())
        .put("leaves", s.leaves())
        .put("online", s.online())
        .put("clicks", s.clicks());
  }

  public static JsonObject second(Figures.Second s) {
    return now(s).put("second", s.second());
  }

  public static JsonObject totals(Figures.Totals t) {
    JsonObject out = new JsonObject()
        .put("gmv", Money.toDecimal(t.gmvCents()))
        .put("orders", t.orders())
        .put("units", t.units())
        .put("buyers", t.buyers())
        .put("uv", t.uv())
        .put("views", t.views())
        .put("online", t.online())
        .put("peakOnline", t.peakOnline())
        .put("conversion", ratio(t.conversion()))
        .put("gpm", Money.toDecimal(t.gpmCents()))
        .put("clickers", t.clickers())
        .put("ctr", ratio(t.ctr()))
        .put("grossGmv", Money.toDecimal(t.grossCents()))
        .put("refundAmount", Money.toDecimal(t.refundCents()))
        .put("refundOrders", t.refundOrders())
        .put("refundRate", ratio(t.refundRate()))
        .put("clickToBuy", ratio(t.clickToBuy()))
        .put("onlineSource", t.reported().online() ? "reported" : "events")
        .put("perOrder", Money.toDecimal(t.perOrderCents()))
        .put("perBuyer", Money.toDecimal(t.perBuyerCents()))
        .put("uvValue", Money.toDecimal(t.uvValueCents()))
        .put("avgWatchSeconds", t.watch().avgWatchSeconds())
        .put("avgWatchSeconds15m", t.watch().avgWatchSeconds15m())
        .put("avgOnline", t.watch().avgOnline());
    if (t.target() != null) {
      out.put("target", Money.toDecimal(t.target().cents())).put("targetProgress", ratio(t.targetProgress()));
      if (t.target().minutes() > 0) {
        out.put("targetMinutes", t.target().minutes()).put("paceSeconds", t.paceSeconds());
      }
    }
    Figures.Reported r = t.reported();
    if (r.exposures() > 0) {
      long entries = t.views() > 0 ? t.views() : Math.max(0, r.viewers());
      out.put("exposureToEntry", ratio(Math.min(1.0, (double) entries / r.exposures())));
    }
    putIfReported(out, "likes", r.likes());
    putIfReported(out, "comments", r.comments());
    putIfReported(out, "follows", r.follows());
    putIfReported(out, "shares", r.shares());
    putIfReported(out, "exposures", r.exposures());
    putIfReported(out, "viewers", r.viewers());
    return out;
  }

  private static void putIfReported(JsonObject out, String name, long value) {
    if (value >= 0) {
      out.put(name, value);
    }
  }

  private static JsonArray products(List<Figures.Product> list, int limit) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < Math.min(limit, list.size()); i++) {
      out.add(product(list.get(i)));
    }
    return out;
  }

  private static JsonObject product(Figures.Product p) {
    return new JsonObject()
        .put("sku", p.sku())
        .put("title", p.title())
        .put("gmv", Money.toDecimal(p.gmvCents()))
        .put("units", p.units())
        .put("orders", p.orders())
        .put("clicks", p.clicks())
        .put("clickers", p.clickers())
        .put("buyers", p.buyers())
        .put("clickToBuy", ratio(p.clickToBuy()));
  }

  private static JsonObject sourceSales(Figures.Channels c) {
    JsonObject o = new JsonObject();
    for (Figures.SourceSales s : c.sales()) {
      o.put(s.source(), new JsonObject().put("gmv", Money.toDecimal(s.gmvCents()))
          .put("grossGmv", Money.toDecimal(s.grossCents())).put("orders", s.orders()).put("buyers", s.buyers()));
    }
    return o;
  }

  private static JsonObject sourceGroups(Figures.Channels c) {
    JsonObject o = new JsonObject();
    for (Figures.SourceGroup g : c.groups()) {
      o.put(g.group(), new JsonObject().put("entries", g.entries()).put("entryShare", g.entryShare())
          .put("gmv", Money.toDecimal(g.gmvCents())).put("gmvShare", g.gmvShare()).put("orders", g.orders()));
    }
    return o;
  }

  private static JsonObject sources(Map<String, Long> sources) {
    JsonObject o = new JsonObject();
    sources.forEach(o::put);
    return o;
  }

  /** {@code GET /api/rooms/{room}/explains} (contract §9, with issue 14's further window figures). */
  public static JsonObject explains(Figures.Timeline t) {
    JsonArray out = new JsonArray();
    for (Figures.Explain e : t.explains()) {
      out.add(new JsonObject().put("sku", e.sku()).put("start", e.start()).put("end", e.end() < 0 ? null : e.end())
          .put("gmv", Money.toDecimal(e.gmvCents())).put("orders", e.orders()).put("units", e.units())
          .put("clicks", e.clicks()).put("onlineStart", e.onlineStart()).put("onlineEnd", e.onlineEnd())
          .put("buyers", e.buyers()).put("clickers", e.clickers()).put("clickToBuy", ratio(e.clickToBuy()))
          .put("onlinePeak", e.onlinePeak()).put("onlineChange", e.onlineEnd() - e.onlineStart())
          .put("roomGmv", Money.toDecimal(e.roomGmvCents())).put("roomOrders", e.roomOrders())
          .put("roomUnits", e.roomUnits()).put("roomBuyers", e.roomBuyers()));
    }
    return new JsonObject().put("room", t.room()).put("session", t.session()).put("explains", out);
  }

  /** {@code GET /api/rooms/{room}/marks}. */
  public static JsonObject marks(Figures.Timeline t) {
    JsonArray out = new JsonArray();
    for (Figures.Mark m : t.marks()) {
      out.add(new JsonObject().put("ts", m.ts()).put("label", m.label()).put("kind", m.kind()));
    }
    return new JsonObject().put("room", t.room()).put("session", t.session()).put("marks", out);
  }

  /** Ratios go out with 4 decimals, as in the contract's example. */
  public static double ratio(double x) {
    return Math.round(x * 10_000) / 10_000.0;
  }

  /** Adds the per-connection sequence number in front of an encoded message. */
  public static String withSeq(long seq, String encoded) {
    return "{\"seq\":" + seq + "," + encoded.substring(1);
  }
}
