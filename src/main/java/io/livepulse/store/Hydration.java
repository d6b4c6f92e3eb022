package io.livepulse.store;

import io.livepulse.aggregate.RoomState;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds rooms from PostgreSQL, so that a room shows what it showed before a restart or before it
 * left memory: money, orders, units, buyers and the product ranking exactly from the stored orders
 * and refunds of the current session; viewer-side figures from the last saved state; the last 300
 * seconds from the per-second rows. The same path serves the start (every recently active room) and
 * a single room asked for later.
 */
public final class Hydration {
  private Hydration() {
  }

  /** The rooms with an event in the last {@code activeSeconds}: what a start keeps in memory. */
  public static Future<Map<String, RoomState>> loadRecent(SqlClient db, long nowSecond, long activeSeconds) {
    return db.preparedQuery(Sql.RECENT_ROOMS).execute(Tuple.of(nowSecond - activeSeconds))
        .compose(rows -> {
          List<String> rooms = new ArrayList<>(rows.size());
          rows.forEach(r -> rooms.add(r.getString(0)));
          return load(db, rooms, nowSecond);
        });
  }

  /** The given rooms as stored; a room PostgreSQL does not know is absent from the answer. */
  public static Future<Map<String, RoomState>> load(SqlClient db, List<String> wanted, long nowSecond) {
    Map<String, RoomState> rooms = new HashMap<>();
    Map<String, Integer> viewerIdle = new HashMap<>();
    Set<String> withWindows = new HashSet<>();
    Set<String> withBase = new HashSet<>();
    if (wanted.isEmpty()) {
      return Future.succeededFuture(rooms);
    }
    Tuple names = Tuple.of(wanted.toArray(String[]::new));
    return db.preparedQuery(Sql.HYDRATE_ROOMS).execute(names)
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = new RoomState(r.getString("room"), r.getInteger("session"));
            s.restoreMeta(r.getString("status"), r.getString("anchor"), r.getString("title"), r.getString("platform"));
            rooms.put(s.room(), s);
            Long target = r.getLong("target_cents");
            if (target != null) {
              Integer minutes = r.getInteger("target_minutes");
              s.restoreTarget(target, minutes == null ? 0 : minutes);
            }
            Integer idle = r.getInteger("viewer_idle_minutes");
            if (idle != null) {
              viewerIdle.put(s.room(), idle);
            }
          }
          return rooms;
        })
        .compose(v -> db.preparedQuery(Sql.HYDRATE_TIMELINE).execute(names))
        .map(rows -> {
          // Windows first: the saved viewer state below carries their clicks and online, matched to them.
          for (Row r : rows) {
            RoomState s = rooms.get(r.getString("room"));
            if (s == null) {
              continue;
            }
            boolean explain = "explain".equals(r.getString("kind"));
            if (explain) {
              withWindows.add(s.room());
            }
            s.restoreTimelineEvent(explain
                ? new Event(EventType.EXPLAIN, s.room(), r.getLong("ts"), null, Boolean.TRUE.equals(r.getBoolean("start")),
                    null, null, r.getString("sku"), 0, 0, null, null, null, null)
                : new Event(EventType.MARK, s.room(), r.getLong("ts"), null, false, r.getString("mark_kind"), null, null,
                    0, 0, r.getString("label"), null, null, null));
          }
          return rooms;
        })
        .compose(v -> db.preparedQuery(Sql.HYDRATE_STATES).execute(names))
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = rooms.get(r.getString("room"));
            if (s == null) {
              continue;
            }
            byte[] state = r.getBuffer("state").getBytes();
            if (r.getInteger("n") == 0) {
              if (s.restoreViewerState(state)) {
                withBase.add(s.room());
              }
            } else if (withBase.contains(s.room())) {
              // Only on a base of this session that was restored (a delta's session is its base's).
              s.restoreViewerDelta(state);
            }
          }
          // The stored setting wins: the saved viewer state may be older than the room event that set it.
          viewerIdle.forEach((room, minutes) -> rooms.get(room).restoreViewerIdle(minutes));
          return rooms;
        })
        .compose(v -> db.preparedQuery(Sql.HYDRATE_PRODUCTS).execute(names))
        .compose(products -> db.preparedQuery(Sql.HYDRATE_REFUNDS).execute(names).map(refunds -> {
          Map<String, Long> refunded = new HashMap<>();
          for (Row r : refunds) {
            refunded.put(r.getString("room") + '\u0000' + r.getString("sku"), r.getLong("refunded"));
          }
          Set<String> matched = new HashSet<>();
          Map<String, long[]> money = new HashMap<>();
          for (Row r : products) {
            money.computeIfAbsent(r.getString("room"), k -> new long[2])[0] += r.getLong("gmv");
          }
          refunded.forEach((key, cents) -> money.computeIfAbsent(key.substring(0, key.indexOf('\u0000')),
              k -> new long[2])[1] += cents);
          for (Row r : products) {
            String key = r.getString("room") + '\u0000' + r.getString("sku");
            long minus = refunded.getOrDefault(key, 0L);
            matched.add(key);
            RoomState s = rooms.get(r.getString("room"));
            Long titleTs = r.getLong("title_ts");
            s.restoreProduct(r.getString("sku"), r.getString("title"), titleTs == null ? Long.MIN_VALUE : titleTs,
                r.getString("title_order"), r.getLong("gmv") - minus, r.getLong("units"), r.getLong("orders"));
          }
          refunded.forEach((key, cents) -> {
            if (!matched.contains(key)) {
              rooms.get(key.substring(0, key.indexOf('\u0000'))).restoreUnmatchedRefund(cents);
            }
          });
          return money;
        }))
        .compose(money -> db.preparedQuery(Sql.HYDRATE_REFUNDED_ORDERS).execute(names).map(rows -> {
          Map<String, List<String>> refundedIds = new HashMap<>();
          for (Row r : rows) {
            refundedIds.computeIfAbsent(r.getString("room"), k -> new ArrayList<>()).add(r.getString("order_id"));
          }
          money.forEach((room, m) -> {
            RoomState s = rooms.get(room);
            if (s != null) {
              s.restoreRefunds(m[0], m[1], refundedIds.getOrDefault(room, List.of()));
            }
          });
          return rooms;
        }))
        .compose(v -> db.preparedQuery(Sql.HYDRATE_BUYERS).execute(names))
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = rooms.get(r.getString("room"));
            s.restoreBuyer(r.getString("user_id"));
            s.restoreProductBuyer(r.getString("sku"), r.getString("source"), r.getString("user_id"));
          }
          return rooms;
        })
        .compose(v -> withWindows.isEmpty() ? Future.succeededFuture(null)
            : db.preparedQuery(Sql.HYDRATE_WINDOW_ORDERS).execute(Tuple.of(withWindows.toArray(String[]::new))))
        .map(rows -> {
          if (rows != null) {
            for (Row r : rows) {
              rooms.get(r.getString("room")).restoreWindowOrder(new Event(EventType.ORDER, r.getString("room"),
                  r.getLong("ts"), r.getString("user_id"), false, null, null, r.getString("sku"), r.getInteger("qty"),
                  r.getLong("amount_cents"), null, null, null, null));
            }
          }
          return rooms;
        })
        .compose(v -> db.preparedQuery(Sql.HYDRATE_SOURCES).execute(names))
        .map(rows -> {
          for (Row r : rows) {
            rooms.get(r.getString("room")).restoreSourceSales(r.getString("source"), r.getLong("gross"),
                r.getLong("refunded"), r.getLong("orders"));
          }
          return rooms;
        })
        .compose(v -> db.preparedQuery(Sql.HYDRATE_SECONDS).execute(Tuple.of(names.getValue(0), nowSecond - 300)))
        .map(rows -> {
          for (Row r : rows) {
            RoomState s = rooms.get(r.getString("room"));
            if (s != null) {
              s.restoreSecond(r.getLong("second"), r.getLong("gmv_cents"), r.getLong("orders"), r.getLong("units"),
                  r.getLong("views"), r.getLong("enters"), r.getLong("leaves"), r.getLong("online"),
                  r.getLong("clicks"));
            }
          }
          return rooms;
        });
  }
}
