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
 * mark events, and the session's orders for the windows' money. Clicks and online are kept only for the
 * session in memory, so a past session's windows show them as 0.
 */
public final class TimelineHistory {
  static final String EVENTS = """
      SELECT kind, sku, start, label, mark_kind, ts FROM timeline
      WHERE room = $1 AND session = $2 ORDER BY ts, id
      """;
  static final String ORDERS = "SELECT sku, user_id, qty, amount_cents, ts FROM orders WHERE room = $1 AND session = $2";

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
    });
  }
}
