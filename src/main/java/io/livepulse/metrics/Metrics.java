package io.livepulse.metrics;

import io.livepulse.event.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** LivePulse's own meters, registered once; Vert.x adds its HTTP, event-bus and pool meters beside them. */
public final class Metrics {
  private final MeterRegistry registry;
  private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
  private final Map<EventType, Counter> duplicates = new EnumMap<>(EventType.class);
  private final Map<EventType, Counter> rejectedByType = new EnumMap<>(EventType.class);
  private final Counter rejectedUnreadable;
  private final Timer ackLatency;
  private final Timer tickLag;
  private final Timer storeCommit;
  private final DistributionSummary storeBatch;
  private final AtomicInteger ingestConnections = new AtomicInteger();
  private final AtomicInteger liveConnections = new AtomicInteger();
  private final AtomicInteger rooms = new AtomicInteger();
  private Counter roomsEvicted;
  private Counter forwarded;
  private Counter rebalances;
  private Counter snapshotsShared;

  /** The HTTP methods a label may name; any other method a client sends is counted as "other". */
  static final java.util.Set<String> STANDARD_METHODS = java.util.Set.of(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  /** Last line of defence: no meter name may grow more label values than this from any tag. */
  static final int MAX_VALUES_PER_TAG = 100;

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
    guardLabels(registry);
    for (EventType t : EventType.values()) {
      accepted.put(t, eventCounter(t.wire(), "accepted"));
      duplicates.put(t, eventCounter(t.wire(), "duplicate"));
      rejectedByType.put(t, eventCounter(t.wire(), "rejected"));
    }
    rejectedUnreadable = eventCounter("unknown", "rejected");
    ackLatency = Timer.builder("livepulse.ingest.ack.latency")
        .description("Time from receiving an ingest frame to sending its ack")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    tickLag = Timer.builder("livepulse.live.push.lag")
        .description("Time from the end of a second to its tick being written to a subscriber")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    storeCommit = Timer.builder("livepulse.store.commit.latency")
        .description("Duration of one batched order/refund transaction")
        .publishPercentileHistogram()
        .register(registry);
    storeBatch = DistributionSummary.builder("livepulse.store.batch.events")
        .description("Orders, refunds and room events per store transaction")
        .register(registry);
    Gauge.builder("livepulse.ingest.connections", ingestConnections, AtomicInteger::get)
        .description("Open /ingest WebSocket connections").register(registry);
    Gauge.builder("livepulse.live.connections", liveConnections, AtomicInteger::get)
        .description("Open /live WebSocket connections").register(registry);
    Gauge.builder("livepulse.rooms", rooms, AtomicInteger::get)
        .description("Rooms held by the aggregators").register(registry);
    roomsEvicted = Counter.builder("livepulse.rooms.evicted")
        .description("Idle or ended rooms saved and released from memory").register(registry);
    forwarded = Counter.builder("livepulse.cluster.forwarded.events")
        .description("Events this node passed on to the node that owns their room").register(registry);
    rebalances = Counter.builder("livepulse.cluster.rebalances")
        .description("Membership changes seen by this node's aggregators (each moves rooms)").register(registry);
    snapshotsShared = Counter.builder("livepulse.live.snapshots.shared")
        .description("/live room subscribers served a snapshot another subscriber's request fetched").register(registry);
  }

  public Counter snapshotsShared() {
    return snapshotsShared;
  }

  public void forwarded(int events) {
    forwarded.increment(events);
  }

  public void rebalanced() {
    rebalances.increment();
  }

  /**
   * No value a client controls may become a label: Vert.x tags HTTP meters with the request's method
   * as sent, so every invented method name would add permanent time series. Unknown methods map to
   * {@code other}, and any tag that still grows past {@link #MAX_VALUES_PER_TAG} values is cut off.
   * Must run before any meter is registered.
   */
  static void guardLabels(MeterRegistry registry) {
    registry.config()
        .meterFilter(io.micrometer.core.instrument.config.MeterFilter.replaceTagValues("method",
            m -> STANDARD_METHODS.contains(m) ? m : "other"))
        .meterFilter(io.micrometer.core.instrument.config.MeterFilter.maximumAllowableTags(
            "vertx.http.server", "method", MAX_VALUES_PER_TAG, io.micrometer.core.instrument.config.MeterFilter.deny()))
        .meterFilter(io.micrometer.core.instrument.config.MeterFilter.maximumAllowableTags(
            "vertx.http.server", "route", MAX_VALUES_PER_TAG, io.micrometer.core.instrument.config.MeterFilter.deny()));
  }

  private Counter eventCounter(String type, String outcome) {
    return Counter.builder("livepulse.events")
        .description("Ingested events by type and outcome")
        .tag("type", type).tag("outcome", outcome)
        .register(registry);
  }

  public void accepted(EventType t) {
    accepted.get(t).increment();
  }

  public void accepted(EventType t, int count) {
    accepted.get(t).increment(count);
  }

  public void duplicate(EventType t) {
    duplicates.get(t).increment();
  }

  public void rejected(EventType t) {
    (t == null ? rejectedUnreadable : rejectedByType.get(t)).increment();
  }

  public void rejectedUnreadable(int count) {
    rejectedUnreadable.increment(count);
  }

  public Timer ackLatency() {
    return ackLatency;
  }

  public Timer tickLag() {
    return tickLag;
  }

  public Timer storeCommit() {
    return storeCommit;
  }

  public DistributionSummary storeBatch() {
    return storeBatch;
  }

  public AtomicInteger ingestConnections() {
    return ingestConnections;
  }

  public AtomicInteger liveConnections() {
    return liveConnections;
  }

  public void roomEvicted() {
    roomsEvicted.increment();
  }

  public AtomicInteger rooms() {
    return rooms;
  }
}
