package io.livepulse.ingest;

import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.event.Event;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a frame's durable events to the store of each room's owner node, and puts the answers back
 * in frame order. While rooms move (a node joined or left), a store may answer {@link Bus#MOVED} or
 * not be there at all: those events are routed again, with the placement as it is by then, for up to
 * {@link #REROUTE_FOR_MS}. A request to a node that leaves the cluster fails at once as "outcome
 * unknown" (the producer re-sends; what that node did commit comes back as duplicates).
 */
final class StoreRouter {
  static final long REROUTE_FOR_MS = 15_000;
  static final long REROUTE_AFTER_MS = 200;

  private final Vertx vertx;
  private final Placement placement;
  /** Requests in flight per node, failed when that node leaves. */
  private final Map<String, Set<Promise<Bus.StoreResult>>> inFlight = new HashMap<>();

  StoreRouter(Vertx vertx, Placement placement) {
    this.vertx = vertx;
    this.placement = placement;
  }

  /** The cluster's members changed: requests to nodes that are gone will never be answered. */
  void membersNow(List<String> nodes) {
    Set<String> present = new HashSet<>(nodes);
    List<Promise<Bus.StoreResult>> orphaned = new ArrayList<>();
    for (String node : List.copyOf(inFlight.keySet())) {
      if (!present.contains(node)) {
        orphaned.addAll(inFlight.remove(node));
      }
    }
    // Failed after the map is settled: failing one runs its completion handlers, which touch the map.
    for (Promise<Bus.StoreResult> p : orphaned) {
      p.tryFail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Bus.STORE_OUTCOME_UNKNOWN,
          "the node storing this room left the cluster: " + Bus.OUTCOME_UNKNOWN));
    }
  }

  Future<Bus.StoreResult> write(List<Event> durable) {
    return write(durable, System.currentTimeMillis() + REROUTE_FOR_MS);
  }

  private Future<Bus.StoreResult> write(List<Event> events, long deadline) {
    Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      byOwner.computeIfAbsent(placement.ownerOf(events.get(i).room), k -> new ArrayList<>()).add(i);
    }
    if (byOwner.size() == 1) {
      return writeTo(byOwner.keySet().iterator().next(), events, deadline);
    }
    List<String> owners = new ArrayList<>(byOwner.keySet());
    List<Future<Bus.StoreResult>> parts = new ArrayList<>(owners.size());
    for (String owner : owners) {
      List<Event> part = new ArrayList<>();
      byOwner.get(owner).forEach(i -> part.add(events.get(i)));
      parts.add(writeTo(owner, part, deadline));
    }
    return Future.join(parts).transform(ignored -> {
      Bus.Outcome[] outcomes = new Bus.Outcome[events.size()];
      String[] errors = new String[events.size()];
      for (int o = 0; o < owners.size(); o++) {
        List<Integer> positions = byOwner.get(owners.get(o));
        Future<Bus.StoreResult> f = parts.get(o);
        for (int k = 0; k < positions.size(); k++) {
          int at = positions.get(k);
          if (f.succeeded()) {
            outcomes[at] = f.result().outcomes()[k];
            errors[at] = f.result().errors()[k];
          } else {
            outcomes[at] = Bus.Outcome.REJECTED;
            errors[at] = IngestPipeline.storeFailureReason(f.cause());
          }
        }
      }
      return Future.succeededFuture(new Bus.StoreResult(outcomes, errors));
    });
  }

  private Future<Bus.StoreResult> writeTo(String owner, List<Event> events, long deadline) {
    Promise<Bus.StoreResult> answer = Promise.promise();
    Set<Promise<Bus.StoreResult>> pending = inFlight.computeIfAbsent(owner, k -> new HashSet<>());
    pending.add(answer);
    vertx.eventBus().<Bus.StoreResult>request(Bus.storeWrite(owner), new Bus.StoreWrite(events), Bus.storeOptions())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            answer.tryComplete(ar.result().body());
          } else {
            answer.tryFail(ar.cause());
          }
        });
    return answer.future()
        .onComplete(ar -> {
          Set<Promise<Bus.StoreResult>> set = inFlight.get(owner);
          if (set != null && set.remove(answer) && set.isEmpty()) {
            inFlight.remove(owner);
          }
        })
        .recover(err -> {
          if (!reroutable(err) || System.currentTimeMillis() >= deadline) {
            return Future.failedFuture(err);
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(REROUTE_AFTER_MS, id -> later.complete());
          return later.future().compose(v -> write(events, deadline));
        });
  }

  /** Nothing was stored: the owner moved, or its store is not (yet, or any more) there. */
  private static boolean reroutable(Throwable err) {
    return err instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureCode() == Bus.MOVED);
  }
}
