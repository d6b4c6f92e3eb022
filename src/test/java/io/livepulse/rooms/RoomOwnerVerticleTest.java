package io.livepulse.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.Config;
import io.livepulse.aggregate.RoomSettings;
import io.livepulse.aggregate.RoomState;
import io.livepulse.aggregate.SourceGroups;
import io.livepulse.alerts.AlertRepository;
import io.livepulse.alerts.AlertRule;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.livepulse.metrics.Metrics;
import io.livepulse.store.AlertTables;
import io.livepulse.store.Database;
import io.livepulse.store.StoreVerticle;
import io.livepulse.store.TrafficStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator verticle in process, on a real embedded PostgreSQL and the real store: it closes
 * each second at the wall-clock boundary and publishes the room's tick, and evaluates the alert rules
 * at that close, publishing the alert of the second that crossed the line. A room list asked for while
 * a room is being rebuilt waits for the rebuild, so that it holds what was acknowledged before it.
 * A busy room's activity (what a start rebuilds) is written once per touch interval, not every second.
 * Its viewer state is saved as a base and then deltas, a base again after a failed save, and a rebuild
 * from PostgreSQL counts every user the room saw.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomOwnerVerticleTest {
  @TempDir
  static Path dir;
  static Database db;

  @BeforeAll
  static void database() throws Exception {
    db = Database.embedded(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void closesSecondsPublishesTicksAndEvaluatesAlerts(Vertx vertx, VertxTestContext ctx) throws Exception {
    Bus.registerCodecs(vertx);
    Pool pool = PgBuilder.pool().connectingTo(db.connectOptions()).using(vertx).build();
    Metrics metrics = new Metrics(new SimpleMeterRegistry());
    AlertTables alerts = new AlertTables(pool);
    AlertRule rule = done(alerts.add(new AlertRule(0, "v1", null, "online", AlertRule.Op.ABOVE, 0, 0, 0, null, "json",
        false, 0, 0)));
    String store = deployStore(vertx, pool, metrics);
    String owner = deployOwner(vertx, new TrafficStore(pool), metrics, alerts);

    long sentAt = System.currentTimeMillis();
    Checkpoint ticked = ctx.checkpoint();
    Checkpoint alerted = ctx.checkpoint();
    vertx.eventBus().<Bus.ShardTick>consumer(Bus.TICKS, m -> m.body().rooms().stream()
        .filter(t -> t.room().equals("v1") && t.totals().online() == 1).findFirst().ifPresent(t -> ctx.verify(() -> {
          // The second the enter happened in, closed and published within a second of its end.
          assertThat(t.second()).isGreaterThanOrEqualTo(Math.floorDiv(sentAt, 1000L));
          assertThat(System.currentTimeMillis() - (t.second() + 1) * 1000).isLessThan(1_000);
          ticked.flag();
        })));
    vertx.eventBus().<Bus.AlertMessage>consumer(Bus.ALERTS, m -> ctx.verify(() -> {
      assertThat(m.body().rule()).isEqualTo(rule.id());
      assertThat(m.body().state()).isEqualTo("firing");
      assertThat(m.body().value()).isEqualTo(1.0);
      assertThat(System.currentTimeMillis() - (m.body().second() + 1) * 1000).isLessThan(2_000);
      alerted.flag();
    }));
    enter(vertx, "v1", sentAt);
    try {
      awaitPassed(ctx);
    } finally {
      stop(vertx, pool, owner, store);
    }
  }

  @Test
  void aRoomListWaitsForTheRoomsBeingRebuilt(Vertx vertx, VertxTestContext ctx) throws Exception {
    Bus.registerCodecs(vertx);
    Pool pool = PgBuilder.pool().connectingTo(db.connectOptions()).using(vertx).build();
    Metrics metrics = new Metrics(new SimpleMeterRegistry());
    // The store's part played here, so that the rebuild can be held open while the list is asked for.
    AtomicReference<Message<Bus.HydrateRooms>> held = new AtomicReference<>();
    AtomicBoolean released = new AtomicBoolean();
    Checkpoint asked = ctx.checkpoint();
    Checkpoint listed = ctx.checkpoint();
    vertx.eventBus().<Bus.HydrateRooms>localConsumer(Bus.STORE_HYDRATE, m -> {
      held.set(m);
      asked.flag();
      vertx.eventBus().<Bus.RoomList>request(Bus.aggregatorQueries("local", 0), new Bus.RoomsQuery())
          .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
            // Answered before the rebuild, the list would be empty: the room is not in memory yet.
            assertThat(list.body().rooms()).singleElement().satisfies(t -> {
              assertThat(t.room()).isEqualTo("v2");
              assertThat(t.totals().online()).isEqualTo(1);
            });
            listed.flag();
          })));
    });
    // The rebuild ends only once the aggregator has handled the list's question.
    vertx.eventBus().addInboundInterceptor(dc -> {
      dc.next();
      if (dc.body() instanceof Bus.RoomsQuery && held.get() != null && released.compareAndSet(false, true)) {
        held.get().reply(new Bus.HydratedRooms(Map.of(), 0));
      }
    });
    String owner = deployOwner(vertx, new TrafficStore(pool), metrics, new AlertTables(pool));
    enter(vertx, "v2", System.currentTimeMillis());
    try {
      awaitPassed(ctx);
    } finally {
      stop(vertx, pool, owner);
    }
  }

  @Test
  void aBusyRoomsActivityIsWrittenOncePerTouchInterval(Vertx vertx, VertxTestContext ctx) throws Exception {
    Bus.registerCodecs(vertx);
    Pool pool = PgBuilder.pool().connectingTo(db.connectOptions()).using(vertx).build();
    done(pool.query("INSERT INTO rooms (room, session) VALUES ('t1', 1)").execute());
    // The real store, with each touch it is asked for written down: (second, rooms).
    List<Map.Entry<Long, List<String>>> touches = new java.util.concurrent.CopyOnWriteArrayList<>();
    Checkpoint threeMore = ctx.checkpoint();
    AtomicBoolean done = new AtomicBoolean();
    TrafficStore real = new TrafficStore(pool);
    RoomStore watched = new PassingOn(real) {
      @Override
      public Future<Void> touchRooms(List<String> rooms, long second) {
        touches.add(Map.entry(second, List.copyOf(rooms)));
        long first = touches.stream().filter(t -> t.getValue().contains("t1")).mapToLong(Map.Entry::getKey).min()
            .orElse(Long.MAX_VALUE);
        if (touches.stream().filter(t -> t.getKey() > first).count() >= 3 && done.compareAndSet(false, true)) {
          threeMore.flag();
        }
        return real.touchRooms(rooms, second);
      }
    };
    // --room-idle-seconds 1800 (the default): the activity is written every 30 s at most.
    assertThat(RoomOwnerVerticle.touchEverySeconds(1800)).isEqualTo(30);
    assertThat(RoomOwnerVerticle.touchEverySeconds(100)).isEqualTo(10);
    assertThat(RoomOwnerVerticle.touchEverySeconds(10)).isEqualTo(1);
    Metrics metrics = new Metrics(new SimpleMeterRegistry());
    String store = deployStore(vertx, pool, metrics);
    String owner = deployOwner(vertx, watched, metrics, new AlertTables(pool));
    // Busy in every second until three seconds after its first touch have closed.
    long feeding = vertx.setPeriodic(0, 200, id -> enter(vertx, "t1", System.currentTimeMillis()));
    try {
      assertThat(ctx.awaitCompletion(15, TimeUnit.SECONDS)).isTrue();
      vertx.cancelTimer(feeding);
      List<Long> withRoom = touches.stream().filter(t -> t.getValue().contains("t1")).map(Map.Entry::getKey).toList();
      assertThat(withRoom).as("touched in its first active second only").hasSize(1);
      long written = done(pool.query("SELECT last_event_second FROM rooms WHERE room = 't1'").execute())
          .iterator().next().getLong(0);
      assertThat(written).isEqualTo(withRoom.get(0));
    } finally {
      vertx.cancelTimer(feeding);
      stop(vertx, pool, owner, store);
    }
  }

  @Test
  void eachShardSavesInItsOwnPartOfTheSecondBeforeTheNextClose() {
    assertThat(RoomOwnerVerticle.persistOffsetMs(0, 1)).isEqualTo(500);
    assertThat(RoomOwnerVerticle.persistOffsetMs(0, 2)).isEqualTo(333);
    assertThat(RoomOwnerVerticle.persistOffsetMs(1, 2)).isEqualTo(666);
    for (int shards = 1; shards <= 64; shards++) {
      long before = 0;
      for (int shard = 0; shard < shards; shard++) {
        long offset = RoomOwnerVerticle.persistOffsetMs(shard, shards);
        assertThat(offset).as("shard %d of %d", shard, shards).isGreaterThan(before).isLessThan(1000);
        before = offset;
      }
    }
  }

  @Test
  void viewerStateIsSavedAsABaseThenDeltasAndABaseAgainAfterAFailure(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Bus.registerCodecs(vertx);
    Pool pool = PgBuilder.pool().connectingTo(db.connectOptions()).using(vertx).build();
    done(pool.query("INSERT INTO rooms (room, session) VALUES ('d1', 1)").execute());
    TrafficStore real = new TrafficStore(pool);
    // Every save of d1 as it is asked for (delta numbers); the third is refused, as by a database gone.
    List<RoomStore.SavedState> saves = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean refused = new AtomicBoolean();
    Checkpoint recovered = ctx.checkpoint();
    RoomStore watched = new PassingOn(real) {
      @Override
      public Future<Void> saveStates(List<SavedState> states) {
        List<SavedState> mine = states.stream().filter(st -> st.room().equals("d1")).toList();
        if (mine.isEmpty()) {
          return real.saveStates(states);
        }
        saves.addAll(mine);
        if (saves.size() == 3 && refused.compareAndSet(false, true)) {
          return Future.failedFuture("refused by the test");
        }
        if (saves.size() == 6) {
          recovered.flag();
        }
        return real.saveStates(states);
      }
    };
    Metrics metrics = new Metrics(new SimpleMeterRegistry());
    String store = deployStore(vertx, pool, metrics);
    String owner = deployOwner(vertx, watched, metrics, new AlertTables(pool), 1);
    // 2,000 viewers at once, then a new one every 100 ms, each leaving again at once: the room changes in
    // every second, by far less than its whole state.
    java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < 2_000; i++) {
      String user = "u" + users.getAndIncrement();
      send(vertx, "d1", user, true);
      send(vertx, "d1", user, false);
    }
    long feeding = vertx.setPeriodic(0, 100, id -> {
      String user = "u" + users.getAndIncrement();
      send(vertx, "d1", user, true);
      send(vertx, "d1", user, false);
    });
    try {
      assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
      vertx.cancelTimer(feeding);
      List<RoomStore.SavedState> first = List.copyOf(saves.subList(0, 6));
      assertThat(first).extracting(RoomStore.SavedState::delta).containsExactly(0, 1, 2, 0, 1, 2);
      assertThat(first.get(3).generation()).as("a new base after the refused save")
          .isNotEqualTo(first.get(0).generation());
      assertThat(first.subList(0, 3)).extracting(RoomStore.SavedState::generation)
          .containsOnly(first.get(0).generation());
      // A delta is the new users of about one second, not the whole state.
      assertThat(first.get(5).state().length).isLessThan(first.get(3).state().length);
    } finally {
      vertx.cancelTimer(feeding);
      // Stopping saves what is left (a last delta), through the real store.
      done(vertx.undeploy(owner));
    }
    try {
      int fed = users.get();
      RoomState rebuilt = done(io.livepulse.store.Hydration.load(pool, List.of("d1"),
          System.currentTimeMillis() / 1000)).get("d1");
      assertThat(rebuilt.totals().uv()).as("every user fed, from the base and its deltas").isEqualTo(fed);
      long stale = done(pool.query("SELECT count(*) FROM room_state_delta d JOIN room_state s ON s.room = d.room "
          + "WHERE d.room = 'd1' AND d.generation <> s.generation").execute()).iterator().next().getLong(0);
      assertThat(stale).as("the new base removed the old base's deltas").isZero();
    } finally {
      stop(vertx, pool, store);
    }
  }

  /** The real store, for a test to watch one of its calls by overriding it. */
  private static class PassingOn implements RoomStore {
    private final RoomStore real;

    PassingOn(RoomStore real) {
      this.real = real;
    }

    @Override
    public Future<Void> upsertTraffic(List<TrafficRow> rows) {
      return real.upsertTraffic(rows);
    }

    @Override
    public Future<Void> saveStates(List<SavedState> states) {
      return real.saveStates(states);
    }

    @Override
    public Future<Void> touchRooms(List<String> rooms, long second) {
      return real.touchRooms(rooms, second);
    }

    @Override
    public Future<List<String>> recentRooms(long second) {
      return real.recentRooms(second);
    }
  }

  private static String deployStore(Vertx vertx, Pool pool, Metrics metrics) throws Exception {
    return done(vertx.deployVerticle(new StoreVerticle(pool, metrics, 1000, 1, Config.StoreDeadlines.DEFAULT,
        Placement.single())));
  }

  /** Aggregator 0 of 1: saves every 30 s, rooms idle after 1,800 s (the defaults). */
  private static String deployOwner(Vertx vertx, RoomStore store, Metrics metrics, AlertRepository alerts)
      throws Exception {
    return deployOwner(vertx, store, metrics, alerts, 30);
  }

  private static String deployOwner(Vertx vertx, RoomStore store, Metrics metrics, AlertRepository alerts,
                                    long saveEverySeconds) throws Exception {
    return done(vertx.deployVerticle(new RoomOwnerVerticle(0, Map.of(), store, metrics, new RoomAdmission(100, 100),
        saveEverySeconds, 1800, new RoomSettings(1000, 0, SourceGroups.DEFAULT), Placement.single(), 1, alerts)));
  }

  /**
   * Undeploys in the order given, as the server stops (the owner saves through the store and the pool),
   * then closes the pool.
   */
  private static void stop(Vertx vertx, Pool pool, String... deployments) throws Exception {
    for (String id : deployments) {
      done(vertx.undeploy(id));
    }
    done(pool.close());
  }

  /** The test thread waits for a future (never an event loop). */
  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A viewer enters the room: a viewer event for aggregator 0, not committed (sequence 0). */
  private static void enter(Vertx vertx, String room, long ts) {
    Event enter = new Event(EventType.VIEWER, room, ts, "u1", true, null, null, null, 0, 0, null, null, null, null);
    vertx.eventBus().send(Bus.aggregatorEvents("local", 0), new Bus.ShardEvents(List.of(enter)));
  }

  private static void send(Vertx vertx, String room, String user, boolean enters) {
    Event e = new Event(EventType.VIEWER, room, System.currentTimeMillis(), user, enters, null, null, null, 0, 0, null,
        null, null, null);
    vertx.eventBus().send(Bus.aggregatorEvents("local", 0), new Bus.ShardEvents(List.of(e)));
  }

  private static void awaitPassed(VertxTestContext ctx) throws InterruptedException {
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
  }
}
