package io.livepulse.live;

import io.livepulse.bus.Figures;
import io.livepulse.aggregate.RoomState;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fans the aggregators' ticks out to this event loop's {@code /live} subscribers, and builds the
 * leaderboard once all shards have reported a second. Each room's tick is encoded once per second,
 * and only if someone here watches that room.
 */
public final class LiveHub {
  private final Vertx vertx;
  private final int shards;
  private final Metrics metrics;
  private final long stuckAfterMs;
  /**
   * The latest tick of every room, per shard: updated with the rooms that changed each second; a room
   * that left its aggregator's memory leaves here too, unless someone here watches it.
   */
  private final Map<String, Map<String, Figures.RoomTick>> latestByShard = new HashMap<>();
  /** Which source (node and shard) last published each room: a room that moved is counted once. */
  private final Map<String, String> sourceOf = new HashMap<>();
  private final Placement placement;
  private final java.util.Collection<Figures.RoomTick> latest = new java.util.AbstractCollection<>() {
    @Override
    public java.util.Iterator<Figures.RoomTick> iterator() {
      return latestByShard.values().stream().flatMap(m -> m.values().stream()).iterator();
    }

    @Override
    public int size() {
      return latestByShard.values().stream().mapToInt(Map::size).sum();
    }
  };
  private final Map<String, Set<LiveSubscriber>> byRoom = new HashMap<>();
  private final Set<LiveSubscriber> overview = new LinkedHashSet<>();
  private final Map<LiveSubscriber, Predicate<String>> overviewFilter = new HashMap<>();
  private long reportingSecond = Long.MIN_VALUE;
  private final Set<String> reported = new HashSet<>();
  private LeaderboardData leaderboard = LeaderboardData.empty(0);
  private MessageConsumer<Bus.ShardTick> consumer;

  private final int writeQueueBytes;
  /**
   * Snapshots by room: one request to the owner at a time, shared by every subscriber who connects
   * meanwhile, and kept (encoded) until the room's next tick, so a reconnect storm costs one snapshot
   * per room per second instead of one per subscriber.
   */
  private final Map<String, SharedSnapshot> snapshots = new HashMap<>();
  /** The overview's first message for readers who see every room, encoded once per second. */
  private LiveMessage leaderboardEncoded;
  private long leaderboardEncodedSecond = Long.MIN_VALUE;

  private static final class SharedSnapshot {
    final List<LiveSubscriber> waiting = new java.util.ArrayList<>();
    LiveMessage encoded;
    long second;
    /** A tick of the room went out after the request: the answer serves its waiters but is not kept. */
    boolean stale;
  }

  public LiveHub(Vertx vertx, int shards, Metrics metrics, long stuckAfterMs, int writeQueueBytes,
                 Placement placement) {
    this.placement = placement;
    this.writeQueueBytes = writeQueueBytes;
    this.vertx = vertx;
    this.shards = shards;
    this.metrics = metrics;
    this.stuckAfterMs = stuckAfterMs;
  }

  public Future<Void> start() {
    // Not a local consumer: in a cluster every node's aggregators publish here.
    consumer = vertx.eventBus().consumer(Bus.TICKS, m -> onShardTick(m.body()));
    vertx.eventBus().<Bus.Rebalance>localConsumer(Bus.REBALANCE, m -> forgetNodesOtherThan(m.body().nodes()));
    vertx.eventBus().<Bus.AlertMessage>consumer(Bus.ALERTS, m -> onAlert(m.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The latest leaderboard over every room (what {@code GET /api/leaderboard} answers). */
  public LeaderboardData leaderboard() {
    return leaderboard;
  }

  public LeaderboardData leaderboard(Predicate<String> visible) {
    return Leaderboard.compute(leaderboard.second(), latest, visible);
  }

  /** Serves {@code /live?room=ID}: a snapshot from the room's owner, then one tick per second. */
  public void subscribeRoom(ServerWebSocket ws, String room, Runnable onClose) {
    LiveSubscriber sub = register(ws, room, onClose);
    byRoom.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(sub);
    SharedSnapshot shared = snapshots.get(room);
    if (shared != null && shared.encoded != null) {
      metrics.snapshotsShared().increment();
      sub.first(shared.encoded, shared.second);
      return;
    }
    if (shared != null) {
      metrics.snapshotsShared().increment();
      shared.waiting.add(sub);
      return;
    }
    SharedSnapshot request = new SharedSnapshot();
    request.waiting.add(sub);
    snapshots.put(room, request);
    vertx.eventBus().<Figures.RoomSnapshot>request(Bus.aggregatorQueries(placement, room, shards),
            new Bus.SnapshotQuery(room), Bus.queryOptions())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            Figures.RoomSnapshot snap = ar.result().body();
            request.encoded = LiveMessage.of(LiveJson.snapshotText(snap));
            request.second = snap.tick().second();
            request.waiting.forEach(s -> s.first(request.encoded, request.second));
          } else {
            request.waiting.forEach(s -> s.ws.close((short) 1011, "snapshot unavailable: " + ar.cause().getMessage()));
          }
          request.waiting.clear();
          if (ar.failed() || request.stale) {
            snapshots.remove(room, request);
          }
        });
  }

  /** The room's figures moved on: a kept snapshot is out of date, one being fetched will be. */
  private void tickedRoom(String room) {
    SharedSnapshot shared = snapshots.get(room);
    if (shared != null) {
      if (shared.encoded != null) {
        snapshots.remove(room);
      } else {
        shared.stale = true;
      }
    }
  }

  /** Serves {@code /live}: the leaderboard now, then once per second. */
  public void subscribeOverview(ServerWebSocket ws, Predicate<String> visible, Runnable onClose) {
    LiveSubscriber sub = register(ws, null, onClose);
    overview.add(sub);
    overviewFilter.put(sub, visible);
    if (visible != ALL) {
      sub.first(LiveMessage.of(LiveJson.leaderboard(leaderboard(visible))), leaderboard.second());
      return;
    }
    if (leaderboardEncodedSecond != leaderboard.second() || leaderboardEncoded == null) {
      leaderboardEncoded = LiveMessage.of(LiveJson.leaderboard(leaderboard));
      leaderboardEncodedSecond = leaderboard.second();
    }
    sub.first(leaderboardEncoded, leaderboard.second());
  }

  private LiveSubscriber register(ServerWebSocket ws, String room, Runnable onClose) {
    LiveSubscriber sub = new LiveSubscriber(ws, metrics, stuckAfterMs, writeQueueBytes);
    metrics.liveConnections().incrementAndGet();
    ws.closeHandler(v -> {
      metrics.liveConnections().decrementAndGet();
      if (room == null) {
        overview.remove(sub);
        overviewFilter.remove(sub);
      } else {
        Set<LiveSubscriber> subs = byRoom.get(room);
        if (subs != null && subs.remove(sub) && subs.isEmpty()) {
          byRoom.remove(room);
        }
      }
      onClose.run();
    });
    // Anything a client sends on /live is ignored; reading it keeps the socket from stalling.
    ws.handler(b -> { });
    return sub;
  }

  /** An alert goes to the room's subscribers and to every overview subscriber who may see the room. */
  private void onAlert(Bus.AlertMessage a) {
    LiveMessage encoded = LiveMessage.of(io.livepulse.alerts.AlertJson.alert(a));
    Set<LiveSubscriber> subs = byRoom.get(a.room());
    if (subs != null) {
      subs.forEach(s -> s.event(encoded));
    }
    for (LiveSubscriber s : overview) {
      Predicate<String> visible = overviewFilter.get(s);
      if (visible == ALL || visible.test(a.room())) {
        s.event(encoded);
      }
    }
  }

  /** Rooms published by nodes that left are forgotten; their new owners publish them from now on. */
  private void forgetNodesOtherThan(List<String> nodes) {
    Set<String> sources = new HashSet<>();
    for (String node : nodes) {
      for (int s = 0; s < shards; s++) {
        sources.add(Bus.tickSource(node, s));
      }
    }
    latestByShard.keySet().removeIf(source -> !sources.contains(source));
    sourceOf.values().removeIf(source -> !sources.contains(source));
  }

  private void onShardTick(Bus.ShardTick tick) {
    if (tick.second() > reportingSecond) {
      if (!reported.isEmpty()) {
        publishLeaderboard(reportingSecond);
      }
      reportingSecond = tick.second();
      reported.clear();
    }
    String source = tick.source();
    Map<String, Figures.RoomTick> rooms = latestByShard.computeIfAbsent(source, k -> new HashMap<>());
    Set<String> sent = new HashSet<>();
    if (tick.full()) {
      Set<String> present = new HashSet<>();
      tick.rooms().forEach(t -> present.add(t.room()));
      rooms.keySet().removeIf(r -> !present.contains(r) && !byRoom.containsKey(r) && forget(r, source));
    }
    for (String gone : tick.removed()) {
      if (!byRoom.containsKey(gone) || !source.equals(sourceOf.get(gone))) {
        rooms.remove(gone);
        forget(gone, source);
      }
    }
    for (Figures.RoomTick t : tick.rooms()) {
      rooms.put(t.room(), t);
      String before = sourceOf.put(t.room(), source);
      if (before != null && !before.equals(source)) {
        Map<String, Figures.RoomTick> old = latestByShard.get(before);
        if (old != null) {
          old.remove(t.room());
        }
      }
      tickedRoom(t.room());
      Set<LiveSubscriber> subs = byRoom.get(t.room());
      if (subs != null) {
        sent.add(t.room());
        LiveMessage encoded = LiveMessage.of(LiveJson.tick(t));
        for (LiveSubscriber s : subs) {
          s.push(encoded, t.second());
        }
      }
    }
    tickQuietWatchedRooms(tick, rooms, sent);
    if (tick.second() == reportingSecond) {
      reported.add(source);
      if (reported.size() >= shards * placement.nodes().size()) {
        publishLeaderboard(reportingSecond);
        reported.clear();
        reportingSecond = tick.second();
      }
    }
  }

  /**
   * A watched room that sent no tick this second still gets one: its last figures with an empty
   * second (nothing happened in it, or it left its aggregator's memory after being idle), or all
   * zeros if it never had an event.
   */
  private void tickQuietWatchedRooms(Bus.ShardTick tick, Map<String, Figures.RoomTick> rooms, Set<String> sent) {
    for (Map.Entry<String, Set<LiveSubscriber>> e : byRoom.entrySet()) {
      String room = e.getKey();
      if (sent.contains(room)
          || !Bus.tickSource(placement.ownerOf(room), Bus.shardOf(room, shards)).equals(tick.source())) {
        continue;
      }
      tickedRoom(room);
      Figures.RoomTick last = rooms.get(room);
      Figures.RoomTick t = last == null ? new RoomState(room).tick(tick.second()) : last.idleAt(tick.second());
      LiveMessage encoded = LiveMessage.of(LiveJson.tick(t));
      for (LiveSubscriber s : e.getValue()) {
        s.push(encoded, tick.second());
      }
    }
  }

  /** Drops the room's index entry if {@code source} holds it; always true (for removeIf). */
  private boolean forget(String room, String source) {
    sourceOf.remove(room, source);
    return true;
  }

  private void publishLeaderboard(long second) {
    leaderboard = Leaderboard.compute(second, latest, r -> true);
    if (overview.isEmpty()) {
      return;
    }
    LiveMessage all = null;
    for (LiveSubscriber s : overview) {
      Predicate<String> visible = overviewFilter.get(s);
      LiveMessage encoded;
      if (visible == ALL) {
        if (all == null) {
          all = LiveMessage.of(LiveJson.leaderboard(leaderboard));
          leaderboardEncoded = all;
          leaderboardEncodedSecond = second;
        }
        encoded = all;
      } else {
        encoded = LiveMessage.of(LiveJson.leaderboard(Leaderboard.compute(second, latest, visible)));
      }
      s.push(encoded, second);
    }
  }

  /** The filter of a reader who may see every room; compared by identity to share one encoding. */
  public static final Predicate<String> ALL = r -> true;
}
