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

  public record SessionTotals(int session, long grossCents, long refundCents, long orders, long units, long buyers,
      long refundOrders, long firstSecond, long lastSecond) {
    public long netCents() {
      return grossCents - refundCents;
    }
  }

  public Future<List<SessionTotals>> sessions(String room) {
    return pool.preparedQuery(Sql.SESSION_TOTALS).execute(Tuple.of(room)).map(rows -> {
      List<SessionTotals> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new SessionTotals(r.getInteger("session"), r.getLong("gross"), r.getLong("refunded"),
            r.getLong("orders"), r.getLong("units"), r.getLong("buyers"), r.getLong("refund_orders"),
            r.getLong("first_second"), r.getLong("last_second")));
      }
      return out;
    });
  }
}
