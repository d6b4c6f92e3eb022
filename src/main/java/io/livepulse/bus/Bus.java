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
 * <p>Flow: ingest --{@link #STORE_WRITE}--> store (commit orders, refunds, room status) --reply-->
 * ingest --{@link #aggregatorEvents}--> the room's aggregator shard --{@link #TICKS} (publish, every
 * second)--> live hubs, which also rank the rooms for the leaderboard.
 *
 * <p>Messages are immutable records sent with local codecs, so in-JVM delivery never serialises.
 */
public final class Bus {
  public static final String STORE_WRITE = "livepulse.store.write";
  public static final String STORE_HYDRATE = "livepulse.store.hydrate";
  public static final String TICKS = "livepulse.live.ticks";
  private static final String AGGREGATOR_PREFIX = "livepulse.aggregate.";

  /** Failure code in a reply when the database cannot take writes. */
  public static final int STORE_UNAVAILABLE = 503;
  /** Failure code in a reply when the store cannot tell whether the frame was stored. */
  public static final int STORE_OUTCOME_UNKNOWN = 504;
  /** What a producer is told when nobody can say whether its frame was stored. */
  public static final String OUTCOME_UNKNOWN = "whether it was stored is unknown; resend it "
      + "(orders already stored come back as duplicates)";
  /** Failure code in a reply when a room is unknown. */
  public static final int NOT_FOUND = 404;

  private Bus() {
  }

  public static String aggregatorEvents(int shard) {
    return AGGREGATOR_PREFIX + shard + ".events";
  }

  public static String aggregatorQueries(int shard) {
    return AGGREGATOR_PREFIX + shard + ".queries";
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
  public sealed interface Query permits RoomQuery, RoomsQuery, SnapshotQuery {
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
  public record ShardTick(int shard, long second, List<Figures.RoomTick> rooms, List<String> removed, boolean full) {
  }

  public static DeliveryOptions queryOptions() {
    return new DeliveryOptions().setSendTimeout(5_000);
  }

  public static DeliveryOptions storeOptions() {
    return new DeliveryOptions().setSendTimeout(60_000);
  }

  public static void registerCodecs(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    register(bus, StoreWrite.class);
    register(bus, StoreResult.class);
    register(bus, ShardEvents.class);
    register(bus, HydrateRooms.class);
    register(bus, HydratedRooms.class);
    register(bus, RoomQuery.class);
    register(bus, RoomsQuery.class);
    register(bus, SnapshotQuery.class);
    register(bus, RoomList.class);
    register(bus, ShardTick.class);
    register(bus, Figures.RoomTick.class);
    register(bus, Figures.RoomSnapshot.class);
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new LocalCodec<>(type));
  }

  /** Passes the object itself; these messages never leave the JVM (a cluster would add wire codecs). */
  private static final class LocalCodec<T> implements MessageCodec<T, T> {
    private final String name;

    LocalCodec(Class<T> type) {
      this.name = "local:" + type.getName();
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
      throw new UnsupportedOperationException(name + " is local only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException(name + " is local only");
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
