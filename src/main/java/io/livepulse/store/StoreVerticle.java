package io.livepulse.store;

import io.livepulse.bus.Bus;
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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commits orders, refunds and room events. Group commit: while one transaction is in flight, frames
 * from every connection queue up, and the next transaction takes all of them (up to a cap), so many
 * frames share one round trip and one fsync. A frame is answered only after its transaction committed.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StoreVerticle.class.getName());
  private static final long RETRY_FOR_MS = 10_000;

  private final Pool pool;
  private final Metrics metrics;
  private final int maxBatchEvents;
  private final RoomSessions sessions = new RoomSessions();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean inFlight;
  private Promise<Void> drained;

  private record Pending(Message<Bus.StoreWrite> message, List<Event> events, long since) {
  }

  public StoreVerticle(Pool pool, Metrics metrics, int maxBatchEvents) {
    this.pool = pool;
    this.metrics = metrics;
    this.maxBatchEvents = maxBatchEvents;
  }

  @Override
  public Future<?> start() {
    return pool.query(Sql.LOAD_SESSIONS).execute()
        .onSuccess(rows -> rows.forEach(r -> sessions.load(r.getString("room"), r.getInteger("session"),
            r.getString("status"))))
        .compose(rows -> vertx.eventBus().<Bus.StoreWrite>consumer(Bus.STORE_WRITE, this::onWrite).completion());
  }

  /** Waits until every queued frame has been answered. */
  @Override
  public Future<?> stop() {
    if (!inFlight && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }

  private void onWrite(Message<Bus.StoreWrite> message) {
    queue.add(new Pending(message, message.body().events(), System.currentTimeMillis()));
    if (!inFlight) {
      flushNext();
    }
  }

  private void flushNext() {
    if (queue.isEmpty()) {
      inFlight = false;
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    inFlight = true;
    List<Pending> batch = new ArrayList<>();
    int events = 0;
    while (!queue.isEmpty() && (batch.isEmpty() || events + queue.peek().events().size() <= maxBatchEvents)) {
      Pending p = queue.poll();
      batch.add(p);
      events += p.events().size();
    }
    commit(batch).onComplete(ar -> flushNext());
  }

  /** Commits a batch; on failure retries transient errors, and isolates a bad frame by splitting. */
  private Future<Void> commit(List<Pending> batch) {
    List<List<Event>> requests = batch.stream().map(Pending::events).toList();
    WritePlan plan = WritePlan.build(requests, sessions);
    Timer.Sample sample = Timer.start();
    return pool.withTransaction(conn -> writeRooms(conn, plan)
            .compose(v -> writeOrders(conn, plan))
            .compose(inserted -> writeRefunds(conn, plan, inserted)))
        .onSuccess(v -> {
          sample.stop(metrics.storeCommit());
          metrics.storeBatch().record(plan.events);
          sessions.commit(plan.overlay);
          for (int r = 0; r < batch.size(); r++) {
            batch.get(r).message().reply(new Bus.StoreResult(plan.outcomes[r], plan.errors[r]));
          }
        })
        .recover(err -> onFailure(batch, err));
  }

  private Future<Void> onFailure(List<Pending> batch, Throwable err) {
    if (batch.size() > 1) {
      // One frame may carry what PostgreSQL refuses; commit frames one by one so only it fails.
      Future<Void> chain = Future.succeededFuture();
      for (Pending p : batch) {
        chain = chain.compose(v -> commit(List.of(p)));
      }
      return chain;
    }
    Pending only = batch.get(0);
    if (isTransient(err) && System.currentTimeMillis() - only.since() < RETRY_FOR_MS) {
      LOG.log(Level.WARNING, "store: transaction failed, retrying: " + err.getMessage());
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(250, id -> commit(batch).onComplete(retried));
      return retried.future();
    }
    LOG.log(Level.SEVERE, "store: could not commit a frame of " + only.events().size() + " events", err);
    String reason = isTransient(err)
        ? "database unavailable, nothing of it was stored; resend"
        : "not stored (" + err.getMessage() + ")";
    only.message().fail(Bus.STORE_UNAVAILABLE, reason);
    return Future.succeededFuture();
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
    int n = rooms.size();
    Integer[] session = new Integer[n];
    String[] status = new String[n];
    String[] anchor = new String[n];
    String[] title = new String[n];
    String[] platform = new String[n];
    for (int i = 0; i < n; i++) {
      RoomSessions.Entry e = rooms.get(i);
      session[i] = e.session;
      status[i] = e.status;
      anchor[i] = e.anchor;
      title[i] = e.title;
      platform[i] = e.platform;
    }
    return conn.preparedQuery(Sql.UPSERT_ROOMS)
        .execute(Tuple.of(names.toArray(String[]::new), session, status, anchor, title, platform))
        .mapEmpty();
  }

  private Future<Set<String>> writeOrders(SqlConnection conn, WritePlan plan) {
    if (!plan.hasOrders()) {
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
        .addValue(plan.oSecond.toArray(Long[]::new));
    return conn.preparedQuery(Sql.INSERT_ORDERS).execute(args).map(rows -> {
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
      tuples.add(Tuple.of(e.room, e.order, e.amountCents, e.session, e.ts, e.second()));
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
    if (row.getLong("applied") == 0) {
      plan.set(ref, Outcome.REJECTED, "refund: amount " + Money.format(e.amountCents) + " exceeds the "
          + Money.format(row.getLong("refundable")) + " not yet refunded of order " + e.order);
      return;
    }
    e.sku = row.getString("sku");
    e.title = row.getString("title");
    plan.set(ref, Outcome.ACCEPTED, null);
  }

  private static String unknownOrder(Event e) {
    return "refund: order " + e.order + " was not accepted in room " + e.room;
  }
}
