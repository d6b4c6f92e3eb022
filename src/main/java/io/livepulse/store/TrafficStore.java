package io.livepulse.store;

import io.livepulse.rooms.RoomStore;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Writes what the room owners own: per-second viewer rows and the rooms' viewer-side state. */
public final class TrafficStore implements RoomStore {
  private final Pool pool;

  public TrafficStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> upsertTraffic(List<TrafficRow> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = rows.size();
    String[] room = new String[n];
    Long[] second = new Long[n];
    Long[] views = new Long[n];
    Long[] enters = new Long[n];
    Long[] leaves = new Long[n];
    Long[] online = new Long[n];
    Long[] clicks = new Long[n];
    for (int i = 0; i < n; i++) {
      TrafficRow r = rows.get(i);
      room[i] = r.room();
      second[i] = r.second();
      views[i] = r.views();
      enters[i] = r.enters();
      leaves[i] = r.leaves();
      online[i] = r.online();
      clicks[i] = r.clicks();
    }
    return pool.preparedQuery(Sql.UPSERT_TRAFFIC)
        .execute(Tuple.of(room, second, views, enters, leaves, online, clicks))
        .mapEmpty();
  }

  @Override
  public Future<Void> touchRooms(List<String> rooms, long second) {
    if (rooms.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(Sql.TOUCH_ROOMS).execute(Tuple.of(rooms.toArray(String[]::new), second)).mapEmpty();
  }

  @Override
  public Future<List<String>> recentRooms(long second) {
    return pool.preparedQuery(Sql.RECENT_ROOMS).execute(Tuple.of(second)).map(rows -> {
      List<String> out = new java.util.ArrayList<>(rows.size());
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  @Override
  public Future<Void> saveStates(List<SavedState> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> bases = new java.util.ArrayList<>();
    List<Tuple> deltas = new java.util.ArrayList<>();
    for (SavedState s : states) {
      if (s.base()) {
        bases.add(Tuple.of(s.room(), s.session(), wrapped(s.state()), s.generation()));
      } else {
        deltas.add(Tuple.of(s.room(), s.generation(), s.delta(), wrapped(s.state())));
      }
    }
    Future<Void> written = bases.isEmpty() ? Future.succeededFuture()
        : pool.preparedQuery(Sql.UPSERT_ROOM_STATE).executeBatch(bases).mapEmpty();
    return deltas.isEmpty() ? written
        : written.compose(v -> pool.preparedQuery(Sql.INSERT_ROOM_STATE_DELTA).executeBatch(deltas).mapEmpty());
  }

  /** Wrapped, not copied (Buffer.buffer(byte[]) copies): a busy room's state is hundreds of kilobytes. */
  private static io.vertx.core.buffer.Buffer wrapped(byte[] state) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(state));
  }
}
