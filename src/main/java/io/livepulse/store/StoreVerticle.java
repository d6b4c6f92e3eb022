package io.livepulse.store;

import io.livepulse.Config;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.bus.Bus.Outcome;
import io.livepulse.event.Event;
import io.livepulse.event.Money;
import io.livepulse.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commits orders, refunds and room events. Group commit: frames from every connection queue up, and
 * each transaction takes all that waits (up to a cap), so many frames share one round trip and one
 * fsync. Up to {@link #MAX_CONCURRENT} transactions run at once, so one batch forms while others
 * wait for their fsync. A frame is answered only after its transaction committed.
 *
 * <p>What must see a committed state runs alone: a batch with room events (they number sessions),
 * and a refund of an order that a running batch may be inserting.
 *
 * <p>Frames start in arrival order, and a frame holding an order id that a running batch is inserting
 * waits for that batch: otherwise a small later transaction can reach the unique index first, and a
 * re-sent copy would be counted instead of the copy sent first (contract §1: the first one wins).
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StoreVerticle.class.getName());
  private static final long RETRY_FOR_MS = 10_000;
  private static final long IN_DOUBT_CHECK_MS = 5_000;
  static final int MAX_CONCURRENT = 3;

  private final Pool pool;
  private final Metrics metrics;
  private final int maxBatchEvents;
  private final int shards;
  /** Queued past queueMs: never started, so "nothing stored" is the truth. Running past answerMs: "unknown". */
  private final Config.StoreDeadlines deadlines;
  private final RoomSessions sessions = new RoomSessions();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Order keys of running batches, counted: the same id may be in two batches at once. */
  private final Map<String, Integer> ordersInFlight = new HashMap<>();
  private int inFlight;
  /** Unique per batch across restarts: start time in ms, then a counter. */
  private long nextBatchId = System.currentTimeMillis() << 20;
  private boolean exclusiveRunning;
  private Promise<Void> drained;
  /** Frames of running batches, to answer "unknown" when their transaction outlives the deadline. */
  private final Set<Pending> running = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Frames already answered while their batch still runs: the final outcome is forwarded, not sent. */
  private final Set<Pending> answered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Batches given up on after a failure that may have reached the database: checked until known. */
  private final List<InDoubt> inDoubt = new ArrayList<>();
  private long deadlineTimer = -1;
  /** Per shard, how many messages of committed events were sent to it (see {@link Bus.HydratedRooms}). */
  private long[] forwardSeq;
  /** Requests to rebuild rooms that PostgreSQL holds: they run when no batch does. */
  private final List<Message<Bus.HydrateRooms>> hydrations = new ArrayList<>();

  private record InDoubt(List<Pending> batch, long batchId) {
  }

  /** A frame's durable events, with what the scheduling needs worked out once, on arrival. */
  private record Pending(Message<Bus.StoreWrite> message, List<Event> events, long since, boolean roomEvents,
                         List<String> orderKeys, List<String> refundKeys) {
    static Pending of(Message<Bus.StoreWrite> message) {
      List<Event> events = message.body().events();
      boolean rooms = false;
      List<String> orders = new ArrayList<>(events.size());
      List<String> refunds = List.of();
      for (Event e : events) {
        switch (e.type) {
          case ROOM -> rooms = true;
          case ORDER -> orders.add(WritePlan.key(e.room, e.order));
          case REFUND -> {
            if (refunds.isEmpty()) {
              refunds = new ArrayList<>();
            }
            refunds.add(WritePlan.key(e.room, e.order));
          }
          default -> { }
        }
      }
      return new Pending(message, events, System.currentTimeMillis(), rooms, orders, refunds);
    }

    /** Holds an order id that a running batch is inserting: it must wait until that batch ends. */
    boolean waitsFor(Map<String, Integer> ordersInFlight) {
      if (ordersInFlight.isEmpty()) {
        return false;
      }
      for (String k : orderKeys) {
        if (ordersInFlight.containsKey(k)) {
          return true;
        }
      }
      return false;
    }

    /** Must run alone: it changes sessions, or refunds an order a running batch may be inserting. */
    boolean exclusive(Map<String, Integer> ordersInFlight) {
      if (roomEvents) {
        return true;
      }
      for (String k : refundKeys) {
        if (ordersInFlight.containsKey(k)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * @param shards how many aggregators own rooms: committed events go to the owner of their room
   */
  private final Placement placement;
  private boolean sessionsStale;

  public StoreVerticle(Pool pool, Metrics metrics, int maxBatchEvents, int shards, Config.StoreDeadlines deadlines,
                       Placement placement) {
    this.placement = placement;
    this.deadlines = deadlines;
    this.pool = pool;
    this.metrics = metrics;
    this.maxBatchEvents = maxBatchEvents;
    this.shards = shards;
  }

  @Override
  public Future<?> start() {
    forwardSeq = new long[shards];
    vertx.eventBus().<Bus.HydrateRooms>localConsumer(Bus.STORE_HYDRATE, this::onHydrate);
    vertx.eventBus().<Bus.Rebalance>localConsumer(Bus.REBALANCE, m -> {
      // Rooms this node takes over were written by another node meanwhile: their sessions are re-read
      // before the next batch.
      sessionsStale = true;
      pump();
    });
    return pool.query(Sql.LOAD_SESSIONS).execute()
        .onSuccess(this::loadSessions)
        .compose(rows -> vertx.eventBus().<Bus.StoreWrite>consumer(Bus.storeWrite(placement.self()), this::onWrite)
            .completion())
        .onSuccess(v -> deadlineTimer = vertx.setPeriodic(1_000, id -> expire()));
  }

  /**
   * Answers what waits too long with the truth: a frame that never started is "not stored"; a frame
   * whose transaction is still running is "unknown". Batches given up on are checked by batch id
   * until the database says whether they committed, so that a late commit reaches the totals.
   */
  private void expire() {
    long now = System.currentTimeMillis();
    for (var it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.since() > deadlines.queueMs()) {
        it.remove();
        p.message().fail(Bus.STORE_UNAVAILABLE, "database did not answer within " + deadlines.queueMs() / 1000
            + " s, nothing of it was stored; resend");
      }
    }
    for (Pending p : running) {
      if (now - p.since() > deadlines.answerMs() && answered.add(p)) {
        p.message().fail(Bus.STORE_OUTCOME_UNKNOWN, "database did not answer within " + deadlines.answerMs() / 1000
            + " s: " + Bus.OUTCOME_UNKNOWN);
      }
    }
    if (!inDoubt.isEmpty() && !exclusiveRunning && now / 1000 % (IN_DOUBT_CHECK_MS / 1000) == 0) {
      checkInDoubt();
    }
    if (inFlight == 0 && queue.isEmpty() && drained != null) {
      drained.tryComplete();
    }
  }

  private void checkInDoubt() {
    for (InDoubt d : new ArrayList<>(inDoubt)) {
      WritePlan plan = WritePlan.build(d.batch().stream().map(Pending::events).toList(), sessions);
      plan.batchId = d.batchId();
      recoverCommitted(plan).onSuccess(committed -> {
        inDoubt.remove(d);
        if (committed) {
          sessions.commit(plan.overlay);
          forwardCommitted(d.batch(), plan);
        }
      });
    }
  }

  /** Waits until every queued frame has been answered. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(deadlineTimer);
    if (inFlight == 0 && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }

  private void loadSessions(io.vertx.sqlclient.RowSet<Row> rows) {
    sessions.clear();
    rows.forEach(r -> sessions.load(r.getString("room"), r.getInteger("session"), r.getString("status")));
  }

  private void onWrite(Message<Bus.StoreWrite> message) {
    for (Event e : message.body().events()) {
      if (!placement.owns(e.room)) {
        // The sender's view of the cluster is older or newer than ours: it routes again.
        message.fail(Bus.MOVED, "room " + e.room + " is owned by another node now; nothing stored");
        return;
      }
    }
    queue.add(Pending.of(message));
    pump();
  }

  /** Re-reads every room's session while no batch runs (after rooms moved between nodes). */
  private void reloadSessions() {
    sessionsStale = false;
    inFlight++;
    exclusiveRunning = true;
    pool.query(Sql.LOAD_SESSIONS).execute()
        .onSuccess(this::loadSessions)
        .onFailure(err -> {
          LOG.warning("store: room sessions could not be re-read after a rebalance, retrying: " + err.getMessage());
          sessionsStale = true;
        })
        .onComplete(ar -> {
          inFlight--;
          exclusiveRunning = false;
          if (sessionsStale) {
            vertx.setTimer(500, id -> pump());
          } else {
            pump();
          }
        });
  }

  /**
   * A room the store has never committed anything for has nothing in PostgreSQL and nothing sent to
   * its aggregator: it is answered at once, empty. A room with stored rows is rebuilt when no batch
   * runs, so that every committed event is either in the rebuilt state (sent before) or sent after.
   */
  private void onHydrate(Message<Bus.HydrateRooms> message) {
    boolean stored = message.body().rooms().stream().anyMatch(r -> sessions.get(r) != null);
    if (!stored) {
      message.reply(new Bus.HydratedRooms(Map.of(), forwardSeq[message.body().shard()]));
      return;
    }
    hydrations.add(message);
    pump();
  }

  private void runHydrations() {
    List<Message<Bus.HydrateRooms>> waiting = new ArrayList<>(hydrations);
    hydrations.clear();
    inFlight++;
    exclusiveRunning = true;
    List<String> rooms = waiting.stream().flatMap(m -> m.body().rooms().stream()).distinct().toList();
    Hydration.load(pool, rooms, Math.floorDiv(System.currentTimeMillis(), 1000L)).onComplete(ar -> {
      for (Message<Bus.HydrateRooms> m : waiting) {
        if (ar.failed()) {
          m.fail(Bus.STORE_UNAVAILABLE, "rooms could not be read: " + ar.cause().getMessage());
          continue;
        }
        Map<String, byte[]> mine = new HashMap<>();
        for (String r : m.body().rooms()) {
          io.livepulse.aggregate.RoomState state = ar.result().get(r);
          if (state != null) {
            mine.put(r, state.toSnapshot());
          }
        }
        m.reply(new Bus.HydratedRooms(mine, forwardSeq[m.body().shard()]));
      }
      inFlight--;
      exclusiveRunning = false;
      pump();
    });
  }

  private void pump() {
    if (sessionsStale) {
      if (inFlight == 0) {
        reloadSessions();
      }
      return;
    }
    if (!hydrations.isEmpty()) {
      // Rebuilds wait for running batches to end, and new batches wait for the rebuild.
      if (inFlight == 0) {
        runHydrations();
      }
      return;
    }
    while (!queue.isEmpty() && inFlight < MAX_CONCURRENT && !exclusiveRunning) {
      if (queue.peek().waitsFor(ordersInFlight)) {
        return;
      }
      boolean exclusive = queue.peek().exclusive(ordersInFlight);
      if (exclusive && inFlight > 0) {
        return;
      }
      List<Pending> batch = new ArrayList<>();
      int events = 0;
      while (!queue.isEmpty() && (batch.isEmpty() || events + queue.peek().events().size() <= maxBatchEvents)) {
        if (!exclusive && queue.peek().exclusive(ordersInFlight) || queue.peek().waitsFor(ordersInFlight)) {
          break;
        }
        Pending p = queue.poll();
        batch.add(p);
        events += p.events().size();
      }
      start(batch, exclusive);
    }
    if (inFlight == 0 && queue.isEmpty() && drained != null) {
      drained.tryComplete();
    }
  }

  private void start(List<Pending> batch, boolean exclusive) {
    inFlight++;
    exclusiveRunning = exclusive;
    List<String> keys = new ArrayList<>();
    for (Pending p : batch) {
      keys.addAll(p.orderKeys());
    }
    keys.forEach(k -> ordersInFlight.merge(k, 1, Integer::sum));
    running.addAll(batch);
    commit(batch).onComplete(ar -> {
      batch.forEach(p -> {
        running.remove(p);
        answered.remove(p);
      });
      keys.forEach(k -> ordersInFlight.computeIfPresent(k, (key, n) -> n > 1 ? n - 1 : null));
      inFlight--;
      if (exclusive) {
        exclusiveRunning = false;
      }
      pump();
    });
  }

  /** Commits a batch; on failure retries transient errors, and isolates a bad frame by splitting. */
  private Future<Void> commit(List<Pending> batch) {
    return commit(batch, ++nextBatchId, false, false);
  }

  /**
   * @param reached whether an earlier attempt may have reached the database (so may have committed)
   */
  private Future<Void> commit(List<Pending> batch, long batchId, boolean retry, boolean reached) {
    List<List<Event>> requests = batch.stream().map(Pending::events).toList();
    WritePlan plan = WritePlan.build(requests, sessions);
    plan.batchId = batchId;
    if (retry) {
      return recoverCommitted(plan).compose(committed -> committed
          ? Future.succeededFuture(true)
          : attempt(plan).map(false))
          .onSuccess(v -> answer(batch, plan))
          .<Void>mapEmpty()
          .recover(err -> onFailure(batch, err, batchId, reached));
    }
    return attempt(plan).onSuccess(v -> answer(batch, plan)).recover(err -> onFailure(batch, err, batchId, reached));
  }

  /**
   * Hands what the batch committed to the rooms' aggregators, then answers each frame. The store
   * forwards, not the producer's connection: committed events then reach the totals in commit order
   * (a refund never before its order, whichever connection was faster), and even when nobody is
   * left waiting for the answer.
   */
  private void answer(List<Pending> batch, WritePlan plan) {
    metrics.storeBatch().record(plan.events);
    sessions.commit(plan.overlay);
    forwardCommitted(batch, plan);
    for (int r = 0; r < batch.size(); r++) {
      if (!answered.contains(batch.get(r))) {
        batch.get(r).message().reply(new Bus.StoreResult(plan.outcomes[r], plan.errors[r]));
      }
    }
  }

  private void failUnanswered(List<Pending> batch, int code, String message) {
    for (Pending p : batch) {
      if (answered.add(p)) {
        p.message().fail(code, message);
      }
    }
  }

  private void forwardCommitted(List<Pending> batch, WritePlan plan) {
    List<Event> committed = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      for (int i = 0; i < batch.get(r).events().size(); i++) {
        if (plan.outcomes[r][i] == Outcome.ACCEPTED) {
          committed.add(plan.committed(r, i));
        }
      }
    }
    List<List<Event>> byShard = Bus.byShard(committed, shards);
    for (int shard = 0; shard < shards; shard++) {
      if (byShard.get(shard) != null) {
        vertx.eventBus().send(Bus.aggregatorEvents(placement.self(), shard),
            new Bus.ShardEvents(byShard.get(shard), ++forwardSeq[shard]));
      }
    }
  }

  /**
   * After a failure whose outcome is unknown (the connection died during the commit): if rows of this
   * batch id exist, the earlier attempt committed, and the plan's outcomes are rebuilt from them.
   */
  private Future<Boolean> recoverCommitted(WritePlan plan) {
    return pool.preparedQuery(Sql.BATCH_ORDERS).execute(Tuple.of(plan.batchId))
        .compose(orders -> pool.preparedQuery(Sql.BATCH_REFUNDS).execute(Tuple.of(plan.batchId))
            .compose(refunds -> pool.preparedQuery(Sql.BATCH_TIMELINE).execute(Tuple.of(plan.batchId))
                .map(t -> new Object[] {orders, refunds, t.iterator().next().getLong(0)})))
        .map(found -> {
          RowSet<Row> orders = (RowSet<Row>) found[0];
          RowSet<Row> refunds = (RowSet<Row>) found[1];
          long timelineRows = (Long) found[2];
          if (orders.size() == 0 && refunds.size() == 0 && timelineRows == 0) {
            return false;
          }
          // The timeline rows are in the same transaction: all there, or none.
          for (WritePlan.Ref ref : plan.timeline) {
            plan.set(ref, timelineRows > 0 ? Outcome.ACCEPTED : Outcome.REJECTED,
                timelineRows > 0 ? null : "not stored (the database failed during the commit); resend");
          }
          Set<String> inserted = new HashSet<>();
          for (Row row : orders) {
            inserted.add(WritePlan.key(row.getString(0), row.getString(1)));
          }
          plan.resolveOrders(inserted);
          List<Row> applied = new ArrayList<>();
          refunds.forEach(applied::add);
          for (WritePlan.Ref ref : plan.refunds) {
            Event e = plan.event(ref);
            Row match = applied.stream().filter(r -> r.getString("room").equals(e.room) && r.getString("order_id")
                .equals(e.order) && r.getLong("amount_cents") == e.amountCents).findFirst().orElse(null);
            if (match != null) {
              applied.remove(match);
              plan.refunded(ref, match.getString("sku"), match.getString("title"), match.getString("source"),
                  match.getInteger("session"));
              plan.set(ref, Outcome.ACCEPTED, null);
            } else {
              plan.set(ref, Outcome.REJECTED, "refund: not applied (the database failed during the commit); resend");
            }
          }
          LOG.warning("store: batch " + plan.batchId + " had committed before its connection failed; "
              + inserted.size() + " order(s) recovered as accepted");
          return true;
        });
  }

  private Future<Void> attempt(WritePlan plan) {
    Timer.Sample sample = Timer.start();
    Future<Void> written = plan.roomEvents || !plan.refunds.isEmpty() || !plan.timeline.isEmpty()
        ? pool.withTransaction(conn -> writeRooms(conn, plan)
            .compose(v -> writeOrders(conn, plan))
            .compose(inserted -> writeRefunds(conn, plan, inserted))
            .compose(v -> writeTimeline(conn, plan)))
        : writeOrders(pool, plan).mapEmpty();
    return written.onSuccess(v -> sample.stop(metrics.storeCommit()));
  }

  /**
   * A transient failure (connection lost, PostgreSQL restarting, deadlock) retries the whole batch
   * until its oldest frame has waited 10 s, then fails every frame with a clear "resend". Anything else
   * means one frame carries what PostgreSQL refuses: the frames are committed one by one so only that
   * frame fails.
   */
  private Future<Void> onFailure(List<Pending> batch, Throwable err, long batchId, boolean reachedBefore) {
    long oldest = batch.stream().mapToLong(Pending::since).min().orElse(System.currentTimeMillis());
    boolean reached = reachedBefore || !neverConnected(err);
    if (isTransient(err)) {
      if (System.currentTimeMillis() - oldest < RETRY_FOR_MS) {
        LOG.log(Level.WARNING, "store: transaction failed, retrying: " + err.getMessage());
        Promise<Void> retried = Promise.promise();
        vertx.setTimer(250, id -> commit(batch, batchId, true, reached).onComplete(retried));
        return retried.future();
      }
      if (reached) {
        // An attempt may have committed before its connection failed: say so, and find out later.
        LOG.log(Level.SEVERE, "store: database unavailable for " + RETRY_FOR_MS / 1000 + " s, outcome of "
            + batch.size() + " frame(s) unknown until it is back: " + err.getMessage());
        inDoubt.add(new InDoubt(batch, batchId));
        failUnanswered(batch, Bus.STORE_OUTCOME_UNKNOWN, "database unavailable: " + Bus.OUTCOME_UNKNOWN);
        return Future.succeededFuture();
      }
      LOG.log(Level.SEVERE, "store: database unavailable for " + RETRY_FOR_MS / 1000 + " s, " + batch.size()
          + " frame(s) not stored: " + err.getMessage());
      failUnanswered(batch, Bus.STORE_UNAVAILABLE, "database unavailable, nothing of it was stored; resend");
      return Future.succeededFuture();
    }
    if (batch.size() > 1) {
      Future<Void> chain = Future.succeededFuture();
      for (Pending p : batch) {
        chain = chain.compose(v -> commit(List.of(p)));
      }
      return chain;
    }
    LOG.log(Level.SEVERE, "store: could not commit a frame of " + batch.get(0).events().size() + " events", err);
    failUnanswered(batch, Bus.STORE_UNAVAILABLE, "not stored (" + err.getMessage() + ")");
    return Future.succeededFuture();
  }

  /** The attempt failed before any statement could reach PostgreSQL: nothing of it can have committed. */
  static boolean neverConnected(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  static boolean isTransient(Throwable err) {
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
          || state.equals("40001") || state.equals("40P01"));
    }
    return true;
  }

  private Future<Void> writeRooms(SqlConnection conn, WritePlan plan) {
    List<String> names = new ArrayList<>();
    List<RoomSessions.Entry> rooms = plan.changedRooms(names);
    if (rooms.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!plan.roomEvents) {
      return conn.preparedQuery(Sql.INSERT_NEW_ROOMS).execute(Tuple.of(names.toArray(String[]::new))).mapEmpty();
    }
    int n = rooms.size();
    Integer[] session = new Integer[n];
    String[] status = new String[n];
    String[] anchor = new String[n];
    String[] title = new String[n];
    String[] platform = new String[n];
    Integer[] viewerIdle = new Integer[n];
    Long[] targetCents = new Long[n];
    Integer[] targetMinutes = new Integer[n];
    for (int i = 0; i < n; i++) {
      RoomSessions.Entry e = rooms.get(i);
      session[i] = e.session;
      status[i] = e.status;
      anchor[i] = e.anchor;
      title[i] = e.title;
      platform[i] = e.platform;
      viewerIdle[i] = e.viewerIdleMinutes;
      targetCents[i] = e.targetCents;
      targetMinutes[i] = e.targetMinutes;
    }
    Future<Void> upserted = conn.preparedQuery(Sql.UPSERT_ROOMS)
        .execute(Tuple.tuple().addValue(names.toArray(String[]::new)).addValue(session).addValue(status)
            .addValue(anchor).addValue(title).addValue(platform).addValue(viewerIdle).addValue(targetCents)
            .addValue(targetMinutes))
        .mapEmpty();
    if (plan.boundRoom.isEmpty()) {
      return upserted;
    }
    return upserted.compose(v -> conn.preparedQuery(Sql.UPSERT_SESSION_BOUNDS)
        .execute(Tuple.of(plan.boundRoom.toArray(String[]::new), plan.boundSession.toArray(Integer[]::new),
            plan.boundStart.toArray(Long[]::new), plan.boundEnd.toArray(Long[]::new)))
        .mapEmpty());
  }

  private Future<Set<String>> writeOrders(SqlClient client, WritePlan plan) {
    if (!plan.hasOrders()) {
      if (!plan.roomEvents && plan.refunds.isEmpty() && !plan.newRooms().isEmpty() && client instanceof Pool) {
        return client.preparedQuery(Sql.INSERT_NEW_ROOMS).execute(Tuple.of(plan.newRooms().toArray(String[]::new)))
            .map(rows -> Set.of());
      }
      return Future.succeededFuture(Set.of());
    }
    Tuple args = Tuple.tuple()
        .addValue(plan.oRoom.toArray(String[]::new))
        .addValue(plan.oId.toArray(String[]::new))
        .addValue(plan.oSession.toArray(Integer[]::new))
        .addValue(plan.oUser.toArray(String[]::new))
        .addValue(plan.oSku.toArray(String[]::new))
        .addValue(plan.oTitle.toArray(String[]::new))
        .addValue(plan.oQty.toArray(Integer[]::new))
        .addValue(plan.oAmount.toArray(Long[]::new))
        .addValue(plan.oSource.toArray(String[]::new))
        .addValue(plan.oTs.toArray(Long[]::new))
        .addValue(plan.oSecond.toArray(Long[]::new))
        // In a transaction writeRooms already created them; alone, this statement does.
        .addValue(client instanceof Pool ? plan.newRooms().toArray(String[]::new) : new String[0])
        .addValue(plan.batchId);
    return client.preparedQuery(Sql.INSERT_ORDERS).execute(args).map(rows -> {
      Set<String> inserted = new HashSet<>(rows.size() * 2);
      for (Row row : rows) {
        inserted.add(WritePlan.key(row.getString(0), row.getString(1)));
      }
      plan.resolveOrders(inserted);
      return inserted;
    });
  }

  private Future<Void> writeRefunds(SqlConnection conn, WritePlan plan, Set<String> inserted) {
    List<WritePlan.Ref> runnable = new ArrayList<>();
    List<Tuple> tuples = new ArrayList<>();
    for (WritePlan.Ref ref : plan.refunds) {
      Event e = plan.event(ref);
      if (plan.orderArrivesLater(ref, inserted)) {
        plan.set(ref, Outcome.REJECTED, unknownOrder(e));
        continue;
      }
      runnable.add(ref);
      tuples.add(Tuple.of(e.room, e.order, e.amountCents, plan.session(ref), e.ts, e.second(), plan.batchId)
          .addString(e.refundId));
    }
    if (tuples.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(Sql.APPLY_REFUND).executeBatch(tuples).map(first -> {
      RowSet<Row> rs = first;
      for (WritePlan.Ref ref : runnable) {
        resolveRefund(plan, ref, rs);
        rs = rs.next();
      }
      return null;
    });
  }

  private static void resolveRefund(WritePlan plan, WritePlan.Ref ref, RowSet<Row> rs) {
    Event e = plan.event(ref);
    var it = rs.iterator();
    if (!it.hasNext()) {
      plan.set(ref, Outcome.REJECTED, unknownOrder(e));
      return;
    }
    Row row = it.next();
    if (row.getLong("duplicate") > 0) {
      plan.set(ref, Outcome.DUPLICATE, null);
      return;
    }
    if (row.getLong("applied") == 0) {
      plan.set(ref, Outcome.REJECTED, "refund: amount " + Money.format(e.amountCents) + " exceeds the "
          + Money.format(row.getLong("refundable")) + " not yet refunded of order " + e.order);
      return;
    }
    plan.refunded(ref, row.getString("sku"), row.getString("title"), row.getString("source"),
        row.getInteger("order_session"));
    plan.set(ref, Outcome.ACCEPTED, null);
  }

  private Future<Void> writeTimeline(SqlConnection conn, WritePlan plan) {
    if (plan.timeline.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = plan.timeline.size();
    String[] room = new String[n];
    Integer[] session = new Integer[n];
    String[] kind = new String[n];
    String[] sku = new String[n];
    Boolean[] start = new Boolean[n];
    String[] label = new String[n];
    String[] markKind = new String[n];
    Long[] ts = new Long[n];
    for (int i = 0; i < n; i++) {
      WritePlan.Ref ref = plan.timeline.get(i);
      Event e = plan.event(ref);
      room[i] = e.room;
      session[i] = plan.session(ref);
      boolean explain = e.type == io.livepulse.event.EventType.EXPLAIN;
      kind[i] = explain ? "explain" : "mark";
      sku[i] = explain ? e.sku : null;
      start[i] = explain ? e.enter : null;
      label[i] = explain ? null : e.title;
      markKind[i] = explain ? null : e.source;
      ts[i] = e.ts;
    }
    return conn.preparedQuery(Sql.INSERT_TIMELINE).execute(Tuple.tuple().addValue(room).addValue(session)
        .addValue(kind).addValue(sku).addValue(start).addValue(label).addValue(markKind).addValue(ts)
        .addValue(plan.batchId)).mapEmpty();
  }

  private static String unknownOrder(Event e) {
    return "refund: order " + e.order + " was not accepted in room " + e.room;
  }
}
