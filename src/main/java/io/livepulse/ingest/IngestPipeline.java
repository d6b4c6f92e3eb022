package io.livepulse.ingest;

import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.livepulse.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import io.livepulse.access.Grant;
import io.livepulse.rooms.RoomAdmission;

/**
 * The path of one frame, shared by {@code /ingest} and {@code POST /api/events}: parse and validate,
 * commit the durable events (orders, refunds, room status) through the store, then hand the accepted
 * events to the aggregators that own their rooms. One instance per event loop.
 */
public final class IngestPipeline {
  private final Vertx vertx;
  private final FrameParser parser;
  private final int shards;
  private final Metrics metrics;
  private final RoomAdmission admission;
  private final int maxOnlinePerRoom;
  private final Placement placement;
  private final StoreRouter stores;

  public IngestPipeline(Vertx vertx, FrameParser parser, int shards, Metrics metrics, RoomAdmission admission,
                        int maxOnlinePerRoom, Placement placement) {
    this.placement = placement;
    this.stores = new StoreRouter(vertx, placement);
    vertx.eventBus().<Bus.Rebalance>localConsumer(Bus.REBALANCE, m -> stores.membersNow(m.body().nodes()));
    this.admission = admission;
    this.maxOnlinePerRoom = maxOnlinePerRoom;
    this.vertx = vertx;
    this.parser = parser;
    this.shards = shards;
    this.metrics = metrics;
  }

  public int maxFrameBytes() {
    return parser.maxFrameBytes();
  }

  /**
   * @param grant which rooms the producer may write to (every room without access tokens), and
   *     whose limit a room it opens counts against
   */
  public Future<FrameResult> process(byte[] frame, Grant grant) {
    return process(frame, grant, null);
  }

  /** As above, first charging the frame's events to a connection's rate limit (null: none). */
  public Future<FrameResult> process(byte[] frame, Grant grant, RateLimit limit) {
    ParsedFrame parsed = parser.parse(frame);
    if (limit != null && !limit.tryTake(parsed.total(), System.nanoTime())) {
      metrics.rejectedUnreadable(parsed.total());
      return Future.succeededFuture(FrameResult.rejectAll(parsed.total(), limit.error(parsed.total())));
    }
    List<EventError> errors = new ArrayList<>(parsed.errors());
    List<Event> valid = new ArrayList<>(parsed.events().size());
    List<Integer> validIndex = new ArrayList<>(parsed.events().size());
    long now = System.currentTimeMillis();
    for (int i = 0; i < parsed.events().size(); i++) {
      Event e = parsed.events().get(i);
      if (!grant.mayWrite(e.room)) {
        errors.add(new EventError(parsed.index(i), e.type.wire() + ": room " + e.room
            + " is outside the rooms this token may write"));
        continue;
      }
      String refused = admission.isHeld(e.room) ? null : admission.admit(e.room, grant.principal(), now);
      if (refused == null && e.type == EventType.VIEWER && e.enter) {
        refused = admission.enterRefused(e.room, maxOnlinePerRoom);
      }
      if (refused != null) {
        errors.add(new EventError(parsed.index(i), e.type.wire() + ": " + refused));
        continue;
      }
      valid.add(e);
      validIndex.add(parsed.index(i));
    }
    for (EventError err : errors) {
      metrics.rejected(typeOf(err));
    }
    List<Event> durable = new ArrayList<>();
    for (Event e : valid) {
      if (e.type.durable()) {
        durable.add(e);
      }
    }
    if (durable.isEmpty()) {
      return Future.succeededFuture(result(parsed.total(), valid, validIndex, null, errors));
    }
    long remote = durable.stream().filter(e -> !placement.owns(e.room)).count();
    if (remote > 0) {
      metrics.forwarded((int) remote);
    }
    return stores.write(durable)
        .map(reply -> result(parsed.total(), valid, validIndex, reply, errors))
        .recover(err -> Future.succeededFuture(
            result(parsed.total(), valid, validIndex, storeFailure(durable.size(), err), errors)));
  }

  /** What a producer is told when its events' store failed. */
  static String storeFailureReason(Throwable err) {
    // The store answers before this timeout, with what it knows; past it, only "unknown" is true.
    if (err instanceof ReplyException re && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
      return "no node could store this room right now (nothing stored); resend it";
    }
    return err instanceof ReplyException re && (re.failureCode() == Bus.STORE_UNAVAILABLE
        || re.failureCode() == Bus.STORE_OUTCOME_UNKNOWN || re.failureCode() == Bus.MOVED)
        ? re.getMessage()
        : "the store did not answer in time: " + Bus.OUTCOME_UNKNOWN;
  }

  private static Bus.StoreResult storeFailure(int size, Throwable err) {
    String reason = storeFailureReason(err);
    Bus.Outcome[] outcomes = new Bus.Outcome[size];
    String[] errors = new String[size];
    java.util.Arrays.fill(outcomes, Bus.Outcome.REJECTED);
    java.util.Arrays.fill(errors, reason);
    return new Bus.StoreResult(outcomes, errors);
  }

  private FrameResult result(int total, List<Event> valid, List<Integer> validIndex, Bus.StoreResult stored,
                             List<EventError> errors) {
    List<Event> accepted = new ArrayList<>(valid.size());
    int duplicates = 0;
    int d = 0;
    for (int i = 0; i < valid.size(); i++) {
      Event e = valid.get(i);
      if (!e.type.durable()) {
        accepted.add(e);
        metrics.accepted(e.type);
        continue;
      }
      Bus.Outcome outcome = stored.outcomes()[d];
      String error = stored.errors()[d];
      d++;
      switch (outcome) {
        case ACCEPTED -> {
          accepted.add(e);
          metrics.accepted(e.type);
        }
        case DUPLICATE -> {
          duplicates++;
          metrics.duplicate(e.type);
        }
        case REJECTED -> {
          String msg = error.startsWith(e.type.wire() + ":") ? error : e.type.wire() + ": " + error;
          errors.add(new EventError(validIndex.get(i), msg));
          metrics.rejected(e.type);
        }
      }
    }
    errors.sort(Comparator.comparingInt(EventError::index));
    return new FrameResult(accepted.size(), duplicates, total - accepted.size() - duplicates, errors, accepted);
  }

  /**
   * Hands the frame's accepted viewer and click events to their rooms' aggregators, one message per
   * shard, in frame order. Orders, refunds and room events are not sent from here: the store sends
   * them to the aggregators once committed.
   */
  public void forward(FrameResult result) {
    List<Event> events = new ArrayList<>(result.acceptedEvents().size());
    for (Event e : result.acceptedEvents()) {
      if (!e.type.durable()) {
        events.add(e);
      }
    }
    if (events.isEmpty()) {
      return;
    }
    // One message per owner aggregator (node and shard), each in frame order.
    Map<String, List<Event>> byAddress = new java.util.LinkedHashMap<>();
    int remote = 0;
    for (Event e : events) {
      String owner = placement.ownerOf(e.room);
      if (!owner.equals(placement.self())) {
        remote++;
      }
      byAddress.computeIfAbsent(Bus.aggregatorEvents(owner, Bus.shardOf(e.room, shards)), k -> new ArrayList<>()).add(e);
    }
    if (remote > 0) {
      metrics.forwarded(remote);
    }
    byAddress.forEach((address, list) -> vertx.eventBus().send(address, new Bus.ShardEvents(list)));
  }

  private static EventType typeOf(EventError err) {
    int colon = err.error().indexOf(':');
    return colon > 0 ? EventType.fromWire(err.error().substring(0, colon)) : null;
  }
}
