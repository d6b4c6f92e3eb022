package io.livepulse.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads a room's stored per-second rows: money from the sales rows, viewers from the traffic rows. */
public final class SecondsQuery {
  public static final int MAX_ROWS = 86_400;

  private final Pool pool;

  public SecondsQuery(Pool pool) {
    this.pool = pool;
  }

  public record SecondRow(long second, long gmvCents, long orders, long units, long views, long enters, long leaves,
                     long online, long clicks) {
  }

  /** Ascending, inclusive. Seconds without a traffic row show the last known online count. */
  public Future<List<SecondRow>> seconds(String room, long from, long to) {
    return pool.preparedQuery(Sql.ONLINE_BEFORE).execute(Tuple.of(room, from))
        .compose(before -> {
          long start = before.size() == 0 ? 0 : before.iterator().next().getLong(0);
          return pool.preparedQuery(Sql.SECONDS).execute(Tuple.of(room, from, to)).map(rows -> {
            List<SecondRow> out = new ArrayList<>(rows.size());
            long online = start;
            for (Row r : rows) {
              Long on = r.getLong("online");
              online = on != null ? on : online;
              out.add(new SecondRow(r.getLong("second"), r.getLong("gmv_cents"), r.getLong("orders"), r.getLong("units"),
                  r.getLong("views"), r.getLong("enters"), r.getLong("leaves"), online, r.getLong("clicks")));
            }
            return out;
          });
        });
  }
}
