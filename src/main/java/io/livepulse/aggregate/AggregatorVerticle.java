package io.livepulse.aggregate;

import io.livepulse.bus.Bus;
import io.livepulse.event.Event;
import io.livepulse.metrics.Metrics;
import io.livepulse.store.TrafficStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the rooms of one shard: applies their accepted events, closes every second at the wall-clock
 * boundary and publishes the shard's ticks, writes per-second viewer rows, and periodically saves the
 * viewer-side state. All room logic lives in {@link RoomState}; this class is wiring and timers.
 */
public final class AggregatorVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AggregatorVerticle.class.getName());
  /** Closing a second a few ms after it ends lets events acknowledged just before the end arrive first. */
  static final long CLOSE_GRACE_MS = 5;

  private final int shard;
  private final Map<String, RoomState> rooms;
  private final TrafficStore store;
  private final Metrics metrics;
  private final long saveEverySeconds;
  private long timerId = -1;
  private long lastClosed;
  private boolean writing;
  private boolean stopped;

  public AggregatorVerticle(int shard, Map<String, RoomState> hydrated, TrafficStore store, Metrics metrics,
                            long saveEverySeconds) {
    this.shard = shard;
    this.rooms = new HashMap<>(hydrated);
    this.store = store;
    this.metrics = metrics;
    this.saveEverySeconds = saveEverySeconds;
  }

  @Override
  public Future<?> start() {
    metrics.rooms().addAndGet(rooms.size());
    lastClosed = Math.floorDiv(System.currentTimeMillis(), 1000L) - 1;
    scheduleClose();
    return Future.all(
        vertx.eventBus().<Bus.ShardEvents>localConsumer(Bus.aggregatorEvents(shard), this::onEvents).completion(),
        vertx.eventBus().<Bus.Query>localConsumer(Bus.aggregatorQueries(shard), this::onQuery).completion());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    metrics.rooms().addAndGet(-rooms.size());
    return persist(true);
  }

  private void onEvents(Message<Bus.ShardEvents> message) {
    for (Event e : message.body().events()) {
      RoomState room = rooms.get(e.room);
      if (room == null) {
        room = new RoomState(e.room, Math.max(1, e.session));
        rooms.put(e.room, room);
        metrics.rooms().incrementAndGet();
      }
      room.apply(e);
    }
  }

  private void onQuery(Message<Bus.Query> message) {
    Bus.Query query = message.body();
    if (query instanceof Bus.RoomQuery q) {
      RoomState room = rooms.get(q.room());
      if (room == null) {
        message.fail(Bus.NOT_FOUND, "unknown room " + q.room());
      } else {
        message.reply(room.tick(lastClosed + 1));
      }
    } else if (query instanceof Bus.RoomsQuery) {
      List<Figures.RoomTick> all = new ArrayList<>(rooms.size());
      rooms.values().forEach(r -> all.add(r.tick(lastClosed + 1)));
      message.reply(new Bus.RoomList(all));
    } else if (query instanceof Bus.SnapshotQuery q) {
      RoomState room = rooms.get(q.room());
      message.reply(room != null ? room.snapshot(lastClosed) : new RoomState(q.room()).snapshot(lastClosed));
    }
  }

  private void scheduleClose() {
    long now = System.currentTimeMillis();
    long next = (Math.floorDiv(now, 1000L) + 1) * 1000L + CLOSE_GRACE_MS;
    timerId = vertx.setTimer(next - now, id -> {
      closeSeconds();
      if (!stopped) {
        scheduleClose();
      }
    });
  }

  /** Closes every second that ended since the last close (normally exactly one). */
  private void closeSeconds() {
    long ended = Math.floorDiv(System.currentTimeMillis(), 1000L) - 1;
    for (long s = Math.max(lastClosed + 1, ended); s <= ended; s++) {
      List<Figures.RoomTick> ticks = new ArrayList<>(rooms.size());
      for (RoomState room : rooms.values()) {
        ticks.add(room.close(s));
      }
      vertx.eventBus().publish(Bus.TICKS, new Bus.ShardTick(shard, s, ticks));
    }
    lastClosed = Math.max(lastClosed, ended);
    if (!writing) {
      persist(false);
    }
  }

  /**
   * Writes per-second viewer rows, and the viewer-side state of changed rooms: all of them when
   * stopping, otherwise each room in its own second of the save interval, so that saves are spread
   * evenly instead of writing every room at once.
   */
  private Future<Void> persist(boolean allStates) {
    List<TrafficStore.TrafficRow> rows = new ArrayList<>();
    Map<RoomState, List<long[]>> drained = new HashMap<>();
    List<TrafficStore.SavedState> states = new ArrayList<>();
    for (RoomState room : rooms.values()) {
      List<long[]> r = room.drainTraffic();
      if (!r.isEmpty()) {
        drained.put(room, r);
        r.forEach(x -> rows.add(new TrafficStore.TrafficRow(room.room(), x[0], x[1], x[2], x[3], x[4])));
      }
      boolean turn = allStates || Math.floorMod(room.room().hashCode(), saveEverySeconds) == lastClosed % saveEverySeconds;
      if (turn && room.takeViewerStateChanged()) {
        states.add(new TrafficStore.SavedState(room.room(), room.session(), room.viewerState()));
      }
    }
    writing = true;
    Future<Void> traffic = store.upsertTraffic(rows).onFailure(err -> {
      LOG.log(Level.WARNING, "aggregator " + shard + ": per-second rows not written, will retry: " + err.getMessage());
      drained.forEach(RoomState::undrainTraffic);
    });
    Future<Void> saved = traffic.transform(ar -> store.saveStates(states)).onFailure(err -> {
      LOG.log(Level.WARNING, "aggregator " + shard + ": room state not saved, will retry: " + err.getMessage());
      states.forEach(st -> rooms.get(st.room()).markViewerStateChanged());
    });
    return Future.join(traffic, saved).<Void>mapEmpty().onComplete(ar -> writing = false);
  }
}
