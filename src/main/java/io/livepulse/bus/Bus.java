package io.livepulse.bus;

import io.livepulse.event.Event;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/**
 * The one owner of LivePulse's event-bus traffic: every address, every message shape, and the codecs.
 *
 * <p>Flow: ingest --{@link #storeWrite} of the room's owner node--> store (commit orders, refunds, room
 * status) --reply--> ingest --{@link #aggregatorEvents}--> the room's aggregator shard on its owner
 * node --{@link #TICKS} (publish, every second, to every node)--> live hubs, which also rank the rooms
 * for the leaderboard. Which node owns a room is the {@link Placement}'s answer; on one node, it owns all.
 *
 * <p>Messages are immutable records. In one JVM they are passed as they are (no serialising); a
 * message to another node of a cluster goes in the binary form of {@link Wire}.
 */
public final class Bus {
  public static final String STORE_HYDRATE = "livepulse.store.hydrate";
  public static final String TICKS = "livepulse.live.ticks";
  /** Published to every node: an {@link AlertMessage} fired or resolved. */
  public static final String ALERTS = "livepulse.alerts";
  /** Published to every node: the alert rules changed in PostgreSQL ({@link RulesChanged}). */
  public static final String RULES_CHANGED = "livepulse.alerts.rules";
  /** Local: the cluster's members changed (a {@link Rebalance}). */
  public static final String REBALANCE = "livepulse.cluster.rebalance";

  /** Failure code in a reply when the database cannot take writes. */
  public static final int STORE_UNAVAILABLE = 503;
  /** Failure code in a reply when the store cannot tell whether the frame was stored. */
  public static final int STORE_OUTCOME_UNKNOWN = 504;
  /** What a producer is told when nobody can say whether its frame was stored. */
  public static final String OUTCOME_UNKNOWN = "whether it was stored is unknown; resend it "
      + "(orders already stored come back as duplicates)";
  /** Failure code in a reply when a room is unknown. */
  public static final int NOT_FOUND = 404;
  /** Failure code when a store is asked to write rooms its node does not own (any more): route again. */
  public static final int MOVED = 421;

  private Bus() {
  }

  /** The store of {@code node}: the one that commits the rooms that node owns. */
  public static String storeWrite(String node) {
    return "livepulse." + node + ".store.write";
  }

  public static String aggregatorEvents(String node, int shard) {
    return "livepulse." + node + ".aggregate." + shard + ".events";
  }

  public static String aggregatorQueries(String node, int shard) {
    return "livepulse." + node + ".aggregate." + shard + ".queries";
  }

  /** Where a room's events go: its owner node's aggregator shard. */
  public static String aggregatorEvents(Placement placement, String room, int shards) {
    return aggregatorEvents(placement.ownerOf(room), shardOf(room, shards));
  }

  public static String aggregatorQueries(Placement placement, String room, int shards) {
    return aggregatorQueries(placement.ownerOf(room), shardOf(room, shards));
  }

  /** Names the aggregator shard that published a {@link ShardTick}. */
  public static String tickSource(String node, int shard) {
    return node + "/" + shard;
  }

  /** Which of {@code shards} aggregators owns {@code room}: each room has exactly one owner. */
  public static int shardOf(String room, int shards) {
    return Math.floorMod(room.hashCode() * 0x9E3779B9, shards);
  }

  /**
   * The events grouped by the shard that owns their room, each group in the given order; {@code null}
   * where a shard has none.
   */
  public static List<List<Event>> byShard(List<Event> events, int shards) {
    List<List<Event>> out = new java.util.ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      out.add(null);
    }
    for (Event e : events) {
      int s = shardOf(e.room, shards);
      List<Event> list = out.get(s);
      if (list == null) {
        list = new java.util.ArrayList<>();
        out.set(s, list);
      }
      list.add(e);
    }
    return out;
  }

  // ---- message shapes ----------------------------------------------------------------------------

  /** Orders, refunds and room events of one frame, to commit in one of the store's batches. */
  public record StoreWrite(List<Event> events) {
  }

  public enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

  /** Per event of a {@link StoreWrite}, in the same order; errors[i] is set for REJECTED ones. */
  public record StoreResult(Outcome[] outcomes, String[] errors) {
  }

  /**
   * Accepted events for the rooms one aggregator owns, in frame order.
   *
   * @param seq for committed events sent by the store, its count of messages sent to that shard (from
   *     1); 0 for viewer and click events, which are not stored one by one
   */
  public record ShardEvents(List<Event> events, long seq) {
    public ShardEvents(List<Event> events) {
      this(events, 0);
    }
  }

  /** An aggregator asks the store to rebuild rooms it does not hold, in step with the store's commits. */
  public record HydrateRooms(int shard, List<String> rooms) {
  }

  /**
   * Reply to {@link HydrateRooms}: the rooms PostgreSQL knows, each as a room snapshot (a room it does
   * not know is absent), as
   * of the moment when the store had sent {@code seq} messages to the shard: committed events of
   * these rooms in messages up to {@code seq} are already in the rebuilt state.
   */
  public record HydratedRooms(java.util.Map<String, byte[]> rooms, long seq) {
  }

  /** Questions an aggregator answers about the rooms it owns. */
  public sealed interface Query permits RoomQuery, RoomsQuery, SnapshotQuery, TimelineQuery {
  }

  /** Reply: the room's {@link Figures.Timeline} (explain windows and marks); failure {@link #NOT_FOUND}. */
  public record TimelineQuery(String room) implements Query {
  }

  /** Reply: a {@link Figures.RoomTick} of the room's current figures, or failure {@link #NOT_FOUND}. */
  public record RoomQuery(String room) implements Query {
  }

  /** Reply: {@link RoomList} of every room of the shard. */
  public record RoomsQuery() implements Query {
  }

  /** Reply: a {@link Figures.RoomSnapshot}; an unknown room answers an empty one. */
  public record SnapshotQuery(String room) implements Query {
  }

  public record RoomList(List<Figures.RoomTick> rooms) {
  }

  /**
   * Published each second by each aggregator: for {@code second}, the ticks of its rooms whose figures
   * changed (the others stand as they were, with an empty second), and the rooms that left memory.
   * The first tick after an aggregator starts, and every minute after, is {@code full}: every room.
   */
  public record ShardTick(String source, long second, List<Figures.RoomTick> rooms, List<String> removed,
                          boolean full) {
  }

  /**
   * A rule fired or resolved for a room (contract §10's {@code alert} message, before its {@code seq}).
   *
   * @param anchor whether the anchor view shows it
   */
  public record AlertMessage(String state, long rule, String room, String figure, String op, double value,
                             double threshold, long second, boolean anchor) {
  }

  /** The rules changed: every owner reads them again. */
  public record RulesChanged(long at) {
  }

  /** The cluster's members are now {@code nodes} (sorted); rooms move to their new owners. */
  public record Rebalance(List<String> nodes) {
  }

  public static DeliveryOptions queryOptions() {
    return new DeliveryOptions().setSendTimeout(5_000);
  }

  public static DeliveryOptions storeOptions() {
    return new DeliveryOptions().setSendTimeout(60_000);
  }

  public static void registerCodecs(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    wire(bus, StoreWrite.class, Wire::storeWrite, Wire::storeWrite);
    wire(bus, StoreResult.class, Wire::storeResult, Wire::storeResult);
    wire(bus, ShardEvents.class, Wire::shardEvents, Wire::shardEvents);
    wire(bus, RoomQuery.class, Wire::query, in -> (RoomQuery) Wire.query(in));
    wire(bus, RoomsQuery.class, Wire::query, in -> (RoomsQuery) Wire.query(in));
    wire(bus, SnapshotQuery.class, Wire::query, in -> (SnapshotQuery) Wire.query(in));
    wire(bus, TimelineQuery.class, Wire::query, in -> (TimelineQuery) Wire.query(in));
    wire(bus, Figures.Timeline.class, Wire::timeline, Wire::timeline);
    wire(bus, RoomList.class, Wire::roomList, Wire::roomList);
    wire(bus, ShardTick.class, Wire::shardTick, Wire::shardTick);
    wire(bus, Figures.RoomTick.class, Wire::roomTick, Wire::roomTick);
    wire(bus, Figures.RoomSnapshot.class, Wire::roomSnapshot, Wire::roomSnapshot);
    wire(bus, HydratedRooms.class, Wire::hydrated, Wire::hydrated);
    wire(bus, AlertMessage.class, Wire::alert, Wire::alert);
    wire(bus, RulesChanged.class, (out, r) -> out.writeLong(r.at()), in -> new RulesChanged(in.readLong()));
    local(bus, HydrateRooms.class);
    local(bus, Rebalance.class);
  }

  private static <T> void wire(EventBus bus, Class<T> type, Wire.Writer<? super T> writer, Wire.Reader<T> reader) {
    bus.registerDefaultCodec(type, new Codec<>(type, writer, reader));
  }

  private static <T> void local(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new Codec<>(type, null, null));
  }

  /**
   * In one JVM, passes the object itself (it is immutable); to another node, its {@link Wire} form.
   * Without a wire form the message is local by design: sending it away fails loudly.
   */
  private static final class Codec<T> implements MessageCodec<T, T> {
    private final String name;
    private final Wire.Writer<? super T> writer;
    private final Wire.Reader<T> reader;

    Codec(Class<T> type, Wire.Writer<? super T> writer, Wire.Reader<T> reader) {
      this.name = "livepulse:" + type.getName();
      this.writer = writer;
      this.reader = reader;
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
      if (writer == null) {
        throw new UnsupportedOperationException(name + " is local only");
      }
      byte[] b = Wire.encode(writer::write, t);
      buffer.appendInt(b.length).appendBytes(b);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      if (reader == null) {
        throw new UnsupportedOperationException(name + " is local only");
      }
      int length = buffer.getInt(pos);
      return Wire.decode(reader, buffer.getBytes(pos + 4, pos + 4 + length));
    }

    @Override
    public T transform(T t) {
      return t;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
