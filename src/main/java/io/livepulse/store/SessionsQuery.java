package io.livepulse.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads a room's stored totals per session: what a past show ended at, refunds booked to it included. */
public final class SessionsQuery {
  private final Pool pool;

  public SessionsQuery(Pool pool) {
    this.pool = pool;
  }

  /**
   * One session as stored. {@code firstSecond}/{@code lastSecond} are its first and last order's
   * (null without orders); {@code started}/{@code ended} its span (null when unknown; ended null
   * while the show runs); {@code peakOnline} null without stored online.
   */
  public record SessionTotals(int session, long grossCents, long refundCents, long orders, long units, long buyers,
      long refundOrders, Long firstSecond, Long lastSecond, Long started, Long ended, long explains, long marks,
      Long peakOnline) {
    public long netCents() {
      return grossCents - refundCents;
    }

    public boolean live() {
      return ended == null;
    }
  }

  /** Every session of the room, oldest first; empty for a room PostgreSQL does not know. */
  public Future<List<SessionTotals>> sessions(String room) {
    return query(room, null);
  }

  /** One session, or null when the room has no such session. */
  public Future<SessionTotals> session(String room, int session) {
    return query(room, session).map(list -> list.isEmpty() ? null : list.get(0));
  }

  private Future<List<SessionTotals>> query(String room, Integer session) {
    long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
    return pool.preparedQuery(Sql.SESSION_TOTALS).execute(Tuple.of(room, now, session)).map(rows -> {
      List<SessionTotals> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new SessionTotals(r.getInteger("session"), r.getLong("gross"), r.getLong("refunded"),
            r.getLong("orders"), r.getLong("units"), r.getLong("buyers"), r.getLong("refund_orders"),
            r.getLong("first_second"), r.getLong("last_second"), r.getLong("started"), r.getLong("ended"),
            r.getLong("explains"), r.getLong("marks"), r.getLong("peak_online")));
      }
      return out;
    });
  }
}
