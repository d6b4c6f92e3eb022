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
  /** values() copies its array on every call; this runs once per frame. */
  private static final EventType[] TYPES = EventType.values();
  /** Aggregator addresses by owner node, then shard (a handful of nodes: never pruned). */
  private final Map<String, String[]> eventsAddresses = new java.util.HashMap<>();

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
    return process(frame, 0, frame.length, grant, limit);
  }

  /**
   * As above, for the frame in {@code data[offset, offset + length)}. The bytes are read before this
   * returns and not after, so the caller may reuse them.
   */
  public Future<FrameResult> process(byte[] data, int offset, int length, Grant grant, RateLimit limit) {
    ParsedFrame parsed = parser.parse(data, offset, length);
    if (limit != null && !limit.tryTake(parsed.total(), System.nanoTime())) {
      metrics.rejectedUnreadable(parsed.total());
      return Future.succeededFuture(FrameResult.rejectAll(parsed.total(), limit.error(parsed.total())));
    }
    List<EventError> errors = parsed.errors;
    List<Event> events = parsed.events;
    // The valid events and their indices are the parsed ones unless the grant or the room refuses some.
    List<Event> valid = events;
    int[] validIndex = parsed.indices;
    int kept = 0;
    int durableCount = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      String refused = refusal(e, grant, now);
      if (refused != null) {
        errors.add(new EventError(parsed.index(i), refused));
        if (valid == events) {
          valid = new ArrayList<>(events.subList(0, i));
          validIndex = java.util.Arrays.copyOf(parsed.indices, events.size());
        }
        continue;
      }
      if (valid != events) {
        valid.add(e);
        validIndex[kept] = parsed.index(i);
      }
      kept++;
      if (e.type.durable()) {
        durableCount++;
      }
    }
    for (EventError err : errors) {
      metrics.rejected(typeOf(err));
    }
    // Unchanging copies, for the store's callbacks below.
    List<Event> accepted = valid;
    int[] acceptedIndex = validIndex;
    if (durableCount == 0) {
      return Future.succeededFuture(result(parsed.total(), accepted, acceptedIndex, null, errors));
    }
    List<Event> durable = new ArrayList<>(durableCount);
    for (Event e : valid) {
      if (e.type.durable()) {
        durable.add(e);
      }
    }
    long remote = durable.stream().filter(e -> !placement.owns(e.room)).count();
    if (remote > 0) {
      metrics.forwarded((int) remote);
    }
    return stores.write(durable)
        .map(reply -> result(parsed.total(), accepted, acceptedIndex, reply, errors))
        .recover(err -> Future.succeededFuture(
            result(parsed.total(), accepted, acceptedIndex, storeFailure(durable.size(), err), errors)));
  }

  /** Why {@code e} may not be written by this producer or into its room now; null when it may. */
  private String refusal(Event e, Grant grant, long now) {
    if (!grant.mayWrite(e.room)) {
      return e.type.wire() + ": room " + e.room + " is outside the rooms this token may write";
    }
    String refused = admission.isHeld(e.room) ? null : admission.admit(e.room, grant.principal(), now);
    if (refused == null && e.type == EventType.VIEWER && e.enter) {
      refused = admission.enterRefused(e.room, maxOnlinePerRoom);
    }
    return refused == null ? null : e.type.wire() + ": " + refused;
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

  /**
   * The frame's ack: the valid events as accepted, unless the store found some duplicate or refused
   * them ({@code stored}: the store's outcomes for the durable ones in order; null when there were none).
   */
  private FrameResult result(int total, List<Event> valid, int[] validIndex, Bus.StoreResult stored,
                             List<EventError> errors) {
    List<Event> accepted = stored == null ? valid : new ArrayList<>(valid.size());
    int[] acceptedByType = new int[TYPES.length];
    int duplicates = 0;
    int d = 0;
    for (int i = 0; i < valid.size(); i++) {
      Event e = valid.get(i);
      if (stored == null || !e.type.durable()) {
        if (stored != null) {
          accepted.add(e);
        }
        acceptedByType[e.type.ordinal()]++;
        continue;
      }
      Bus.Outcome outcome = stored.outcomes()[d];
      String error = stored.errors()[d];
      d++;
      switch (outcome) {
        case ACCEPTED -> {
          accepted.add(e);
          acceptedByType[e.type.ordinal()]++;
        }
        case DUPLICATE -> {
          duplicates++;
          metrics.duplicate(e.type);
        }
        case REJECTED -> {
          String msg = error.startsWith(e.type.wire() + ":") ? error : e.type.wire() + ": " + error;
          errors.add(new EventError(validIndex[i], msg));
          metrics.rejected(e.type);
        }
      }
    }
    for (EventType t : TYPES) {
      if (acceptedByType[t.ordinal()] > 0) {
        metrics.accepted(t, acceptedByType[t.ordinal()]);
      }
    }
    if (errors.size() > 1) {
      errors.sort(Comparator.comparingInt(EventError::index));
    }
    return new FrameResult(accepted.size(), duplicates, total - accepted.size() - duplicates, errors, accepted);
  }

  /**
   * Hands the frame's accepted viewer and click events to their rooms' aggregators, one message per
   * shard, in frame order. Orders, refunds and room events are not sent from here: the store sends
   * them to the aggregators once committed.
   */
  public void forward(FrameResult result) {
    // One message per owner aggregator (node and shard), each in frame order.
    Map<String, List<Event>> byAddress = null;
    int remote = 0;
    for (Event e : result.acceptedEvents()) {
      if (e.type.durable()) {
        continue;
      }
      String owner = placement.ownerOf(e.room);
      if (!owner.equals(placement.self())) {
        remote++;
      }
      if (byAddress == null) {
        byAddress = new java.util.LinkedHashMap<>();
      }
      byAddress.computeIfAbsent(eventsAddress(owner, Bus.shardOf(e.room, shards)), k -> new ArrayList<>()).add(e);
    }
    if (byAddress == null) {
      return;
    }
    if (remote > 0) {
      metrics.forwarded(remote);
    }
    byAddress.forEach((address, list) -> vertx.eventBus().send(address, new Bus.ShardEvents(list)));
  }

  /** The aggregator's address, built once per node and shard rather than once per event. */
  private String eventsAddress(String owner, int shard) {
    String[] byShard = eventsAddresses.computeIfAbsent(owner, o -> new String[shards]);
    String address = byShard[shard];
    if (address == null) {
      address = byShard[shard] = Bus.aggregatorEvents(owner, shard);
    }
    return address;
  }

  private static EventType typeOf(EventError err) {
    int colon = err.error().indexOf(':');
    return colon > 0 ? EventType.fromWire(err.error().substring(0, colon)) : null;
  }
}
