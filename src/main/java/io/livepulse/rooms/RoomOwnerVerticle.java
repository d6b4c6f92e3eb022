package io.livepulse.rooms;

import io.livepulse.bus.Figures;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.event.Event;
import io.livepulse.metrics.Metrics;
import io.livepulse.aggregate.RoomSettings;
import io.livepulse.alerts.AlertEngine;
import io.livepulse.alerts.AlertJson;
import io.livepulse.alerts.AlertRepository;
import io.livepulse.alerts.AlertRule;
import io.livepulse.alerts.WebhookSender;
import io.livepulse.aggregate.RoomState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner of one shard's rooms (the aggregator): wiring and timers around the pure {@link RoomState}.
 * Owns the rooms of one shard: applies their accepted events, closes every second at the wall-clock
 * boundary and publishes the shard's ticks, writes per-second viewer rows, and periodically saves the
 * viewer-side state. All room logic lives in {@link RoomState}; this class is wiring and timers.
 *
 * <p>Rooms come and go: a room idle for the configured time (or ended and idle for a minute) is saved
 * and leaves memory; an event for it, or a reader asking for it, brings it back from PostgreSQL
 * (through the store, so that no committed event is counted twice or missed; see
 * {@link Bus.HydratedRooms}). Events and questions that arrive while it loads wait for it.
 *
 * <p>In a cluster, rooms also move between nodes ({@link Bus.Rebalance}): a room this node no longer
 * owns is saved and leaves; viewer events for it are passed on to its owner, committed ones (already
 * in PostgreSQL) are left to the owner's rebuild. Rooms taken over are rebuilt on first use, and
 * once more {@link #SETTLE_MS} after the members last changed: by then no other node still writes
 * them, so that the rebuilt money is exact even if a node with an older view committed meanwhile.
 */
public final class RoomOwnerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RoomOwnerVerticle.class.getName());
  /** Closing a second a few ms after it ends lets events acknowledged just before the end arrive first. */
  static final long CLOSE_GRACE_MS = 5;
  /** An ended room leaves memory after this long without events. */
  static final long ENDED_IDLE_SECONDS = 60;
  static final long EVICT_SCAN_EVERY_SECONDS = 10;
  /** How long after a membership change rooms taken over are rebuilt once more. */
  static final long SETTLE_MS = 3_000;

  private final int shard;
  private final Map<String, RoomState> rooms;
  /** Rooms whose final save is being written; an event or question brings one straight back. */
  private final Map<String, RoomState> evicting = new HashMap<>();
  private final Map<String, Loading> loading = new HashMap<>();
  private final RoomStore store;
  private final Metrics metrics;
  private final RoomAdmission admission;
  private final long saveEverySeconds;
  private final long idleSeconds;
  /**
   * How often an active room's last-event second is written to PostgreSQL. It only decides which rooms
   * a start or a rebalance rebuilds at once (those active within {@code idleSeconds}), so a tenth of
   * that window, at most 30 s, is precise enough; every second it was 1,000 row updates a second for
   * 1,000 busy rooms, about 8 % of PostgreSQL's CPU on the platform run.
   */
  private final long touchEverySeconds;
  /** The second each room's activity was last written (rooms.last_event_second). */
  private final Object2LongOpenHashMap<String> touched = new Object2LongOpenHashMap<>();
  private final RoomSettings settings;
  private final Placement placement;
  private final int shards;
  private final AlertEngine alertEngine = new AlertEngine();
  private final AlertRepository alerts;
  private WebhookSender webhooks;
  private boolean rulesReloadScheduled;
  private long rulesGeneration;
  /** Rooms rebuilt here since the members last changed: rebuilt again when the change has settled. */
  private final java.util.Set<String> takenOver = new java.util.HashSet<>();
  private long settleTimer = -1;
  private String node;
  private long timerId = -1;
  /** The save after the last close ({@link #persistOffsetMs}). */
  private long persistTimer = -1;
  /** A full tick (every room) this often, so that a hub that missed one catches up. */
  static final long FULL_TICK_EVERY_SECONDS = 60;
  private long ticksSent;
  /** Rooms that left memory since the last tick, for the hubs to forget. */
  private List<String> leftMemory = new ArrayList<>();
  private long lastClosed;
  private boolean writing;
  private boolean stopped;

  /**
   * What waits for a room being rebuilt: events (with the message sequence they came in) and questions.
   * {@code rebuilt} completes when the rebuild ends or first fails: a room list asked for meanwhile
   * waits for it, since the room may hold an order whose frame was acknowledged just before the
   * question (its first committed event starts the rebuild).
   */
  private static final class Loading {
    final List<Event> events = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
    final List<Message<Bus.Query>> queries = new ArrayList<>();
    final Promise<Void> rebuilt = Promise.promise();
  }

  public RoomOwnerVerticle(int shard, Map<String, RoomState> hydrated, RoomStore store, Metrics metrics,
                            RoomAdmission admission, long saveEverySeconds, long idleSeconds, RoomSettings settings,
                            Placement placement, int shards, AlertRepository alerts) {
    this.alerts = alerts;
    this.shards = shards;
    this.settings = settings;
    this.placement = placement;
    this.shard = shard;
    this.rooms = new HashMap<>(hydrated);
    this.store = store;
    this.metrics = metrics;
    this.admission = admission;
    this.saveEverySeconds = saveEverySeconds;
    this.idleSeconds = idleSeconds;
    this.touchEverySeconds = touchEverySeconds(idleSeconds);
    touched.defaultReturnValue(Long.MIN_VALUE / 2);
  }

  @Override
  public Future<?> start() {
    metrics.rooms().addAndGet(rooms.size());
    lastClosed = Math.floorDiv(System.currentTimeMillis(), 1000L) - 1;
    rooms.values().forEach(r -> {
      admission.hold(r.room());
      r.touch(lastClosed);
      settings.applyTo(r);
    });
    node = placement.self();
    webhooks = new WebhookSender(vertx);
    vertx.eventBus().<Bus.RulesChanged>consumer(Bus.RULES_CHANGED, m -> rulesChanged());
    scheduleClose();
    vertx.eventBus().<Bus.Rebalance>localConsumer(Bus.REBALANCE, m -> rebalance());
    // Not local consumers: in a cluster, other nodes send the events and questions of our rooms.
    return Future.all(loadRules(),
        vertx.eventBus().<Bus.ShardEvents>consumer(Bus.aggregatorEvents(node, shard), this::onEvents).completion(),
        vertx.eventBus().<Bus.Query>consumer(Bus.aggregatorQueries(node, shard), this::onQuery).completion());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(persistTimer);
    metrics.rooms().addAndGet(-rooms.size());
    return persist(true);
  }

  private void onEvents(Message<Bus.ShardEvents> message) {
    long seq = message.body().seq();
    Map<String, List<Event>> elsewhere = null;
    for (Event e : message.body().events()) {
      if (!placement.owns(e.room)) {
        // Committed ones are in PostgreSQL, and the owner's rebuild counts them; viewer ones go on.
        if (seq == 0) {
          if (elsewhere == null) {
            elsewhere = new java.util.LinkedHashMap<>();
          }
          elsewhere.computeIfAbsent(Bus.aggregatorEvents(placement, e.room, shards()), k -> new ArrayList<>()).add(e);
        }
        continue;
      }
      RoomState room = held(e.room);
      if (room != null) {
        apply(room, e, seq);
      } else {
        Loading l = load(e.room);
        l.events.add(e);
        l.seqs.add(seq);
      }
    }
    if (elsewhere != null) {
      elsewhere.forEach((address, events) -> {
        metrics.forwarded(events.size());
        vertx.eventBus().send(address, new Bus.ShardEvents(events));
      });
    }
  }

  private int shards() {
    return shards;
  }

  /**
   * The members changed: rooms of ours another node owns now are saved and leave; rooms we rebuilt
   * since the last change, and the ones we are taking over from now on, are rebuilt again once the
   * change has settled.
   */
  private void rebalance() {
    metrics.rebalanced();
    List<RoomState> gone = new ArrayList<>();
    for (RoomState room : rooms.values()) {
      if (!placement.owns(room.room())) {
        gone.add(room);
      }
    }
    for (RoomState room : gone) {
      evict(room);
    }
    vertx.cancelTimer(settleTimer);
    settleTimer = vertx.setTimer(SETTLE_MS, id -> settle());
  }

  /** No other node writes the rooms we took over any more: rebuild them once from PostgreSQL. */
  private void settle() {
    settleTimer = -1;
    List<String> again = new ArrayList<>(takenOver);
    takenOver.clear();
    for (String name : again) {
      RoomState room = rooms.get(name);
      if (room != null && placement.owns(name)) {
        evict(room);
      }
    }
    // Then every recently active room now ours comes in, so that the overview shows the rooms of a
    // node that died even before their next event.
    vertx.setTimer(1_000, id -> adoptRecentRooms());
  }

  private void adoptRecentRooms() {
    store.recentRooms(lastClosed - idleSeconds).onSuccess(names -> {
      for (String name : names) {
        if (!stopped && placement.owns(name) && Bus.shardOf(name, shards) == shard && !rooms.containsKey(name)
            && !evicting.containsKey(name) && !loading.containsKey(name)) {
          load(name);
        }
      }
    }).onFailure(err -> LOG.log(Level.WARNING, "aggregator " + shard + ": recent rooms not read after a rebalance: "
        + err.getMessage()));
  }

  private static void apply(RoomState room, Event e, long seq) {
    // A committed event sent before the room was rebuilt is already in the rebuilt state.
    if (seq == 0 || seq > room.hydratedSeq()) {
      room.apply(e);
    } else {
      room.arrivedAlreadyCounted(e);
    }
  }

  /** The room if in memory (taking it back if it was leaving, unless it moved away), else null. */
  private RoomState held(String name) {
    RoomState room = rooms.get(name);
    if (room == null && placement.owns(name) && (room = evicting.remove(name)) != null) {
      rooms.put(name, room);
      room.markViewerStateChanged();
    }
    return room;
  }

  private void onQuery(Message<Bus.Query> message) {
    Bus.Query query = message.body();
    if (query instanceof Bus.RoomsQuery) {
      Future.join(loading.values().stream().map(l -> l.rebuilt.future()).toList())
          .onComplete(ar -> answerRooms(message));
      return;
    }
    String name = query instanceof Bus.RoomQuery q ? q.room() : query instanceof Bus.TimelineQuery t ? t.room()
        : ((Bus.SnapshotQuery) query).room();
    RoomState room = held(name);
    if (room == null) {
      load(name).queries.add(message);
      return;
    }
    answer(message, room);
  }

  private void answerRooms(Message<Bus.Query> message) {
    List<Figures.RoomTick> all = new ArrayList<>(rooms.size());
    rooms.values().forEach(r -> all.add(r.tick(lastClosed + 1)));
    message.reply(new Bus.RoomList(all));
  }

  /** Answers a question about one room; {@code room} is null when no such room exists. */
  private void answer(Message<Bus.Query> message, RoomState room) {
    if (room != null) {
      room.touch(lastClosed);
    }
    if (message.body() instanceof Bus.RoomQuery q) {
      if (room == null) {
        message.fail(Bus.NOT_FOUND, "unknown room " + q.room());
      } else {
        message.reply(room.tick(lastClosed + 1));
      }
    } else if (message.body() instanceof Bus.TimelineQuery q) {
      if (room == null) {
        message.fail(Bus.NOT_FOUND, "unknown room " + q.room());
      } else {
        message.reply(room.timeline());
      }
    } else if (message.body() instanceof Bus.SnapshotQuery q) {
      message.reply(room != null ? room.snapshot(lastClosed) : new RoomState(q.room()).snapshot(lastClosed));
    }
  }

  /** Starts rebuilding a room not in memory, once; returns where to queue what must wait for it. */
  private Loading load(String name) {
    Loading existing = loading.get(name);
    if (existing != null) {
      return existing;
    }
    Loading l = new Loading();
    loading.put(name, l);
    requestHydration(name);
    return l;
  }

  private void requestHydration(String name) {
    vertx.eventBus().<Bus.HydratedRooms>request(Bus.STORE_HYDRATE, new Bus.HydrateRooms(shard, List.of(name)),
            Bus.queryOptions())
        .onSuccess(reply -> loaded(name, reply.body()))
        .onFailure(err -> {
          Loading l = loading.get(name);
          LOG.log(Level.WARNING, "aggregator " + shard + ": room " + name + " could not be rebuilt, retrying: "
              + err.getMessage());
          if (l != null) {
            l.queries.forEach(q -> q.fail(Bus.STORE_UNAVAILABLE, "room " + name + " could not be read: " + err.getMessage()));
            l.queries.clear();
            // Room lists go on without it rather than wait for the retry.
            l.rebuilt.tryComplete();
            if (l.events.isEmpty()) {
              loading.remove(name);
            } else if (!stopped) {
              vertx.setTimer(1_000, id -> requestHydration(name));
            }
          }
        });
  }

  private void loaded(String name, Bus.HydratedRooms result) {
    Loading l = loading.remove(name);
    byte[] snapshot = result.rooms().get(name);
    RoomState room = snapshot == null ? null : RoomState.fromSnapshot(snapshot);
    if (room == null && !l.events.isEmpty()) {
      // New to PostgreSQL too: a new room, in the session its first committed event says.
      int session = l.events.stream().mapToInt(e -> e.session).max().orElse(1);
      room = new RoomState(name, Math.max(1, session));
    }
    if (room != null) {
      settings.applyTo(room);
      if (settleTimer >= 0) {
        takenOver.add(name);
      }
      room.hydrated(result.seq());
      room.touch(lastClosed);
      rooms.put(name, room);
      admission.hold(name);
      metrics.rooms().incrementAndGet();
      for (int i = 0; i < l.events.size(); i++) {
        apply(room, l.events.get(i), l.seqs.get(i));
      }
    }
    for (Message<Bus.Query> q : l.queries) {
      answer(q, room);
    }
    l.rebuilt.tryComplete();
  }

  /** Many changes in a row (a script adding thousands of rules) are read once, 200 ms after the first. */
  private void rulesChanged() {
    if (!rulesReloadScheduled) {
      rulesReloadScheduled = true;
      vertx.setTimer(200, id -> {
        rulesReloadScheduled = false;
        loadRules();
      });
    }
  }

  /** Reads the rules again (at start, and whenever the API changed them on any node). */
  private Future<Void> loadRules() {
    // Reads may overlap; only the latest one started is applied, so an older answer never wins.
    long generation = ++rulesGeneration;
    return alerts.rules().onSuccess(rules -> {
      if (generation == rulesGeneration) {
        alertEngine.rules(rules);
      }
    }).onFailure(err -> LOG.log(Level.WARNING, "aggregator "
        + shard + ": alert rules not read: " + err.getMessage())).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  /** To every node's subscribers, to the history, and to the rule's webhook; nothing here waits. */
  private void deliver(AlertEngine.Transition t) {
    AlertRule r = t.rule();
    Bus.AlertMessage msg = new Bus.AlertMessage(t.firing() ? "firing" : "resolved", r.id(), t.room(), r.figure(),
        r.op().wire(), t.value(), r.value(), t.second(), r.anchor());
    vertx.eventBus().publish(Bus.ALERTS, msg);
    alerts.record(new AlertRepository.StoredAlert(r.id(), t.room(), msg.state(), r.figure(), r.op().wire(), t.value(),
        r.value(), t.second())).onFailure(err -> LOG.warning("alert of rule " + r.id() + " for room " + t.room()
        + " not kept in the history: " + err.getMessage()));
    if (r.webhook() != null) {
      webhooks.send(r.webhook(), r.format(), AlertJson.alert(msg));
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
      // Full for the first seconds too: the live hubs start after the aggregators.
      boolean full = ticksSent < 5 || ticksSent % FULL_TICK_EVERY_SECONDS == 0;
      ticksSent++;
      List<Figures.RoomTick> ticks = new ArrayList<>();
      List<AlertEngine.Transition> fired = List.of();
      for (RoomState room : rooms.values()) {
        room.closeSecond(s);
        Figures.RoomTick tick = null;
        if (full || room.tickChanged()) {
          tick = room.tick(s);
          ticks.add(tick);
        }
        if (alertEngine.watches(room.room())) {
          List<AlertEngine.Transition> t = alertEngine.evaluate(s, new AlertEngine.RoomSecond(
              tick != null ? tick : room.tick(s), room.lastEventSecond(), room.lastOrderSecond()));
          if (!t.isEmpty()) {
            if (fired.isEmpty()) {
              fired = new ArrayList<>();
            }
            fired.addAll(t);
          }
        }
        admission.markOnlineFull(room.room(), room.onlineFull());
      }
      fired.forEach(this::deliver);
      List<String> removed = leftMemory;
      leftMemory = new ArrayList<>();
      vertx.eventBus().publish(Bus.TICKS, new Bus.ShardTick(Bus.tickSource(node, shard), s, ticks, removed, full));
    }
    lastClosed = Math.max(lastClosed, ended);
    if (lastClosed % EVICT_SCAN_EVERY_SECONDS == shard % EVICT_SCAN_EVERY_SECONDS) {
      evictIdle();
    }
    persistTimer = vertx.setTimer(persistOffsetMs(shard, shards), id -> {
      if (!stopped && !writing) {
        persist(false);
      }
    });
  }

  private static RoomStore.SavedState saved(RoomState room, RoomState.ViewerSave save) {
    return new RoomStore.SavedState(room.room(), room.session(), save.state(), save.generation(), save.delta());
  }

  /**
   * How long after the close the per-second rows and state saves start: not with it, since at the
   * boundary the ticks are built and fanned out, and the saves' serialisation and PostgreSQL's burst
   * there made the acks of frames sent in the first 100 ms of a second most of the ack tail. Each
   * shard takes its own part of the second (a third and two thirds for two), so that their bursts
   * do not meet either.
   */
  static long persistOffsetMs(int shard, int shards) {
    return (shard + 1) * 1000L / (shards + 1);
  }

  /** See {@link #touchEverySeconds the field}: a tenth of the idle limit, 1 to 30 s. */
  static long touchEverySeconds(long idleSeconds) {
    return Math.max(1, Math.min(30, idleSeconds / 10));
  }

  /** Rooms idle past the limit (ended rooms after a minute) are saved and leave memory. */
  private void evictIdle() {
    List<RoomState> idle = new ArrayList<>();
    for (RoomState room : rooms.values()) {
      long quiet = lastClosed - room.lastActiveSecond();
      if (quiet >= idleSeconds || "ended".equals(room.status()) && quiet >= ENDED_IDLE_SECONDS
          || !placement.owns(room.room())) {
        idle.add(room);
      }
    }
    for (RoomState room : idle) {
      evict(room);
    }
  }

  private void evict(RoomState room) {
    alertEngine.forget(room.room());
    rooms.remove(room.room());
    touched.removeLong(room.room());
    evicting.put(room.room(), room);
    List<long[]> traffic = room.drainTraffic();
    List<RoomStore.TrafficRow> rows = new ArrayList<>(traffic.size());
    traffic.forEach(x -> rows.add(new RoomStore.TrafficRow(room.room(), x[0], x[1], x[2], x[3], x[4], x[5])));
    room.takeViewerStateChanged();
    // A base: the room's last save stands alone, whatever became of a delta still in flight.
    RoomStore.SavedState state = saved(room, room.viewerSave(true));
    store.upsertTraffic(rows)
        .compose(v -> store.saveStates(List.of(state)))
        .onComplete(ar -> {
          if (evicting.get(room.room()) != room) {
            // Taken back meanwhile by an event or a question: it stays, and saves again later.
            if (ar.failed()) {
              room.undrainTraffic(traffic);
              room.viewerSaveFailed();
            }
            return;
          }
          evicting.remove(room.room());
          if (ar.succeeded()) {
            leftMemory.add(room.room());
            admission.release(room.room());
            metrics.rooms().decrementAndGet();
            metrics.roomEvicted();
          } else {
            LOG.log(Level.WARNING, "aggregator " + shard + ": room " + room.room() + " not saved, kept in memory: "
                + ar.cause().getMessage());
            room.undrainTraffic(traffic);
            room.viewerSaveFailed();
            room.touch(lastClosed);
            rooms.put(room.room(), room);
          }
        });
  }

  /**
   * Writes per-second viewer rows, and the viewer-side state of changed rooms: all of them when
   * stopping, otherwise each room in its own second of the save interval, so that saves are spread
   * evenly instead of writing every room at once.
   */
  private Future<Void> persist(boolean allStates) {
    List<RoomStore.TrafficRow> rows = new ArrayList<>();
    Map<RoomState, List<long[]>> drained = new HashMap<>();
    List<RoomStore.SavedState> states = new ArrayList<>();
    List<RoomState> statesOf = new ArrayList<>();
    List<String> active = new ArrayList<>();
    for (RoomState room : rooms.values()) {
      List<long[]> r = room.drainTraffic();
      if (!r.isEmpty()) {
        drained.put(room, r);
        r.forEach(x -> rows.add(new RoomStore.TrafficRow(room.room(), x[0], x[1], x[2], x[3], x[4], x[5])));
      }
      if (room.lastActiveSecond() == lastClosed
          && (allStates || lastClosed - touched.getLong(room.room()) >= touchEverySeconds)) {
        active.add(room.room());
      }
      boolean turn = allStates || Math.floorMod(room.room().hashCode(), saveEverySeconds) == lastClosed % saveEverySeconds;
      if (turn && room.takeViewerStateChanged()) {
        states.add(saved(room, room.viewerSave(false)));
        statesOf.add(room);
      }
    }
    writing = true;
    Future<Void> traffic = store.upsertTraffic(rows).onFailure(err -> {
      LOG.log(Level.WARNING, "aggregator " + shard + ": per-second rows not written, will retry: " + err.getMessage());
      drained.forEach(RoomState::undrainTraffic);
    });
    Future<Void> saved = traffic.transform(ar -> store.saveStates(states)).onFailure(err -> {
      LOG.log(Level.WARNING, "aggregator " + shard + ": room state not saved, will retry: " + err.getMessage());
      // Also for a room that left memory meanwhile: its eviction wrote a base, which this one only repeats.
      statesOf.forEach(RoomState::viewerSaveFailed);
    });
    // Best effort: it only decides which rooms the next start rebuilds at once (others come on demand).
    long second = lastClosed;
    Future<Void> touching = saved.transform(ar -> store.touchRooms(active, second))
        .onSuccess(v -> active.forEach(r -> touched.put(r, second)))
        .recover(err -> Future.succeededFuture());
    return Future.join(traffic, saved, touching).<Void>mapEmpty().onComplete(ar -> writing = false);
  }
}
