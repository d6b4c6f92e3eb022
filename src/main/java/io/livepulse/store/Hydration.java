package io.livepulse.store;

import io.livepulse.aggregate.RoomState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds every room at start, so that a restarted server shows what it showed before: money,
 * orders, units, buyers and the product ranking exactly from the stored orders and refunds of the
 * current session; viewer-side figures from the last saved state; the last 300 seconds from the
 * per-second rows.
 */
public final class Hydration {
  private Hydration() {
  }

  public static Future<Map<String, RoomState>> load(Pool pool, long nowSecond) {
    Map<String, RoomState> rooms = new HashMap<>();
    return pool.query(Sql.HYDRATE_ROOMS).execute()
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = new RoomState(r.getString("room"), r.getInteger("session"));
            s.restoreMeta(r.getString("status"), r.getString("anchor"), r.getString("title"), r.getString("platform"));
            rooms.put(s.room(), s);
          }
          return rooms;
        })
        .compose(v -> pool.query(Sql.HYDRATE_STATES).execute())
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = rooms.computeIfAbsent(r.getString("room"), k -> new RoomState(k, r.getInteger("session")));
            s.restoreViewerState(r.getBuffer("state").getBytes());
          }
          return rooms;
        })
        .compose(v -> pool.query(Sql.HYDRATE_PRODUCTS).execute())
        .compose(products -> pool.query(Sql.HYDRATE_REFUNDS).execute().map(refunds -> {
          Map<String, Long> refunded = new HashMap<>();
          for (Row r : refunds) {
            refunded.put(r.getString("room") + '\u0000' + r.getString("sku"), r.getLong("refunded"));
          }
          Set<String> matched = new HashSet<>();
          for (Row r : products) {
            String key = r.getString("room") + '\u0000' + r.getString("sku");
            long minus = refunded.getOrDefault(key, 0L);
            matched.add(key);
            RoomState s = rooms.get(r.getString("room"));
            s.restoreProduct(r.getString("sku"), r.getString("title"), r.getLong("gmv") - minus,
                r.getLong("units"), r.getLong("orders"));
          }
          refunded.forEach((key, cents) -> {
            if (!matched.contains(key)) {
              rooms.get(key.substring(0, key.indexOf('\u0000'))).restoreUnmatchedRefund(cents);
            }
          });
          return rooms;
        }))
        .compose(v -> pool.query(Sql.HYDRATE_BUYERS).execute())
        .map(rows -> {
          for (Row r : rows) {
            rooms.get(r.getString("room")).restoreBuyer(r.getString("user_id"));
          }
          return rooms;
        })
        .compose(v -> pool.preparedQuery(Sql.HYDRATE_SECONDS).execute(Tuple.of(nowSecond - 300)))
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = rooms.get(r.getString("room"));
            if (s != null) {
              s.restoreSecond(r.getLong("second"), r.getLong("gmv_cents"), r.getLong("orders"), r.getLong("units"),
                  r.getLong("views"), r.getLong("enters"), r.getLong("leaves"), r.getLong("online"));
            }
          }
          return rooms;
        });
  }
}
