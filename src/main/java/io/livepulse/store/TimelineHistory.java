package io.livepulse.store;

import io.livepulse.aggregate.RoomState;
import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The explain windows and marks of any stored session, rebuilt from PostgreSQL: the stored explain and
 * mark events, the session's orders for the windows' money, and the stored per-second online for
 * their online at start, end and peak. Clicks per sku are kept only for the session in memory, so a
 * past session's windows show them as 0.
 */
public final class TimelineHistory {
  static final String EVENTS = """
      SELECT kind, sku, start, label, mark_kind, ts FROM timeline
      WHERE room = $1 AND session = $2 ORDER BY ts, id
      """;
  static final String ORDERS = "SELECT sku, user_id, qty, amount_cents, ts FROM orders WHERE room = $1 AND session = $2";

  /** Online at the end of each stored second of a span, and the last one before it. */
  static final String ONLINE = """
      (SELECT second, online FROM traffic_seconds WHERE room = $1 AND second < $2 AND online IS NOT NULL
       ORDER BY second DESC LIMIT 1)
      UNION ALL
      (SELECT second, online FROM traffic_seconds WHERE room = $1 AND second BETWEEN $2 AND $3 AND online IS NOT NULL
       ORDER BY second)
      """;

  static final String ENDED = "SELECT ended FROM session_bounds WHERE room = $1 AND session = $2";

  private final Pool pool;

  public TimelineHistory(Pool pool) {
    this.pool = pool;
  }

  public Future<Figures.Timeline> session(String room, int session) {
    RoomState state = new RoomState(room, session);
    return pool.preparedQuery(EVENTS).execute(Tuple.of(room, session)).compose(rows -> {
      for (Row r : rows) {
        boolean explain = "explain".equals(r.getString("kind"));
        state.restoreTimelineEvent(explain
            ? new Event(EventType.EXPLAIN, room, r.getLong("ts"), null, Boolean.TRUE.equals(r.getBoolean("start")), null,
                null, r.getString("sku"), 0, 0, null, null, null, null)
            : new Event(EventType.MARK, room, r.getLong("ts"), null, false, r.getString("mark_kind"), null, null, 0, 0,
                r.getString("label"), null, null, null));
      }
      return pool.preparedQuery(ORDERS).execute(Tuple.of(room, session));
    }).map(orders -> {
      for (Row r : orders) {
        state.restoreWindowOrder(new Event(EventType.ORDER, room, r.getLong("ts"), r.getString("user_id"), false, null,
            null, r.getString("sku"), r.getInteger("qty"), r.getLong("amount_cents"), null, null, null, null));
      }
      return state.timeline();
    }).compose(this::withOnline);
  }

  /** Online of each window from the stored seconds: the value in effect at its start and end, and the highest between. */
  private Future<Figures.Timeline> withOnline(Figures.Timeline t) {
    if (t.explains().isEmpty()) {
      return Future.succeededFuture(t);
    }
    return pool.preparedQuery(ENDED).execute(Tuple.of(t.room(), t.session())).compose(ended -> {
      // A window still open when its session ended runs to the session's end (or to now while it runs).
      Long sessionEnd = ended.size() == 0 ? null : ended.iterator().next().getLong(0);
      long open = sessionEnd != null ? sessionEnd : Math.floorDiv(System.currentTimeMillis(), 1000L);
      return withOnline(t, open);
    });
  }

  private Future<Figures.Timeline> withOnline(Figures.Timeline t, long openEnd) {
    long from = t.explains().get(0).start() / 1000;
    long to = t.explains().stream().mapToLong(e -> e.end() < 0 ? openEnd : e.end() / 1000).max().orElse(from);
    return pool.preparedQuery(ONLINE).execute(Tuple.of(t.room(), from, to)).map(rows -> {
      java.util.List<long[]> samples = new java.util.ArrayList<>();
      rows.forEach(r -> samples.add(new long[] {r.getLong("second"), r.getLong("online")}));
      java.util.List<Figures.Explain> out = new java.util.ArrayList<>(t.explains().size());
      for (Figures.Explain e : t.explains()) {
        long start = e.start() / 1000;
        long end = e.end() < 0 ? openEnd : e.end() / 1000;
        long atStart = onlineAt(samples, start);
        long atEnd = onlineAt(samples, end);
        long peak = Math.max(atStart, atEnd);
        for (long[] x : samples) {
          if (x[0] >= start && x[0] <= end) {
            peak = Math.max(peak, x[1]);
          }
        }
        out.add(new Figures.Explain(e.sku(), e.start(), e.end(), e.gmvCents(), e.orders(), e.units(), e.buyers(),
            e.roomGmvCents(), e.roomOrders(), e.roomUnits(), e.roomBuyers(), e.clicks(), e.clickers(),
            atStart, atEnd, peak));
      }
      return new Figures.Timeline(t.room(), t.session(), out, t.marks());
    });
  }

  /** The latest sample at or before the second (samples ascending); 0 before the first. */
  static long onlineAt(java.util.List<long[]> samples, long second) {
    long v = 0;
    for (long[] x : samples) {
      if (x[0] > second) {
        break;
      }
      v = x[1];
    }
    return v;
  }
}
