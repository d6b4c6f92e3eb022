package io.livepulse.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message that crosses nodes decodes to a value equal to the one encoded, nulls and all. */
class WireTest {
  static <T> T roundTrip(Wire.Writer<T> writer, Wire.Reader<T> reader, T value) {
    return Wire.decode(reader, Wire.encode(writer, value));
  }

  static final Event ORDER = new Event(EventType.ORDER, "r1", 1_763_800_000_123L, "u1", false, "ads", "A-1", "sku-1", 3,
      129_900, "智能门锁 Smart lock", null, null, null).committed(4);
  static final Event REFUND = Event.refund("r1", 5L, "A-1", 100, "RF-1").committed(2, "sku-1", null, "follow");
  static final Event STATS = Event.stats("r2", 9L, new Event.Stats(12_000, 40_000, 880, -1, 3, -1, 0));
  static final Event ROOM = Event.roomMeta("r3", 7L, "Big sale", "Li", "douyin", "live", 10);
  static final Event VIEWER = new Event(EventType.VIEWER, "r1", 1L, "v1", true, null, null, null, 0, 0, null, null,
      null, null);

  /** Events have no equals: compare every field through their wire form and their text. */
  static void assertSameEvent(Event a, Event b) {
    assertThat(b).usingRecursiveComparison().isEqualTo(a);
  }

  @Test
  void eventsOfEveryTypeKeepEveryField() {
    for (Event e : List.of(ORDER, REFUND, STATS, ROOM, VIEWER)) {
      assertSameEvent(e, roundTrip(Wire::event, Wire::event, e));
    }
  }

  @Test
  void storeMessagesRoundTrip() {
    Bus.StoreWrite w = roundTrip(Wire::storeWrite, Wire::storeWrite, new Bus.StoreWrite(List.of(ORDER, REFUND, ROOM)));
    assertThat(w.events()).hasSize(3);
    assertSameEvent(REFUND, w.events().get(1));
    Bus.StoreResult r = roundTrip(Wire::storeResult, Wire::storeResult, new Bus.StoreResult(
        new Bus.Outcome[] {Bus.Outcome.ACCEPTED, Bus.Outcome.DUPLICATE, Bus.Outcome.REJECTED},
        new String[] {null, null, "refund: order A-9 was not accepted in room r1"}));
    assertThat(r.outcomes()).containsExactly(Bus.Outcome.ACCEPTED, Bus.Outcome.DUPLICATE, Bus.Outcome.REJECTED);
    assertThat(r.errors()).containsExactly(null, null, "refund: order A-9 was not accepted in room r1");
    Bus.ShardEvents s = roundTrip(Wire::shardEvents, Wire::shardEvents, new Bus.ShardEvents(List.of(VIEWER, STATS), 42));
    assertThat(s.seq()).isEqualTo(42);
    assertSameEvent(STATS, s.events().get(1));
  }

  @Test
  void queriesRoundTrip() {
    for (Bus.Query q : List.of(new Bus.RoomQuery("r1"), new Bus.SnapshotQuery("r2"), new Bus.RoomsQuery())) {
      assertThat(roundTrip(Wire::query, Wire::query, q)).isEqualTo(q);
    }
  }

  static Figures.RoomTick tick() {
    Figures.Totals totals = new Figures.Totals(88_000_50, 301, 420, 280, 9_100, 12_000, 3_400, 5_100, 1_500, 90_000_00,
        1_999_50, 7, new Figures.Reported(true, 880, -1, 3, -1, 0, 40_000), new Figures.Watch(100, 20, 5, 30, 2),
        new Figures.Target(1_000_000_00, 120));
    return new Figures.RoomTick("r1", 1_763_800_000, 3, new Figures.Meta("Li", null, "douyin", "live"),
        new Figures.Second(1_763_800_000, 1_299_00, 3, 4, 57, 57, 12, 3_400, 9), totals,
        List.of(new Figures.Product("s1", "Door lock", 50_000_00, 100, 98, 40, 30, 20),
            new Figures.Product("s2", null, 0, 0, 0, 1, 1, 0)),
        Map.of("recommend", 6_000L, "follow", 2_100L),
        new Figures.Channels(List.of(new Figures.SourceSales("ads", 155_00, 200_00, 1, 1)),
            List.of(new Figures.SourceGroup("natural", 2, 50.0, 0, 0.0, 0),
                new Figures.SourceGroup("paid", 1, 25.0, 155_00, 60.8, 1))));
  }

  @Test
  void figuresRoundTrip() {
    Figures.RoomTick t = tick();
    assertThat(roundTrip(Wire::roomTick, Wire::roomTick, t)).isEqualTo(t);
    Figures.RoomSnapshot snap = new Figures.RoomSnapshot(t, List.of(Figures.Second.empty(1, 2), t.now()));
    assertThat(roundTrip(Wire::roomSnapshot, Wire::roomSnapshot, snap)).isEqualTo(snap);
    Bus.RoomList list = new Bus.RoomList(List.of(t, t.idleAt(t.second() + 1)));
    assertThat(roundTrip(Wire::roomList, Wire::roomList, list)).isEqualTo(list);
    Bus.ShardTick shard = new Bus.ShardTick(Bus.tickSource("node-a", 1), 5, List.of(t), List.of("gone"), true);
    assertThat(roundTrip(Wire::shardTick, Wire::shardTick, shard)).isEqualTo(shard);
  }

  @Test
  void alertsRoundTrip() {
    Bus.AlertMessage a = new Bus.AlertMessage("firing", 7, "r1", "online", "below", 1_850, 2_000, 1_763_800_000, true);
    assertThat(roundTrip(Wire::alert, Wire::alert, a)).isEqualTo(a);
  }

  @Test
  void hydratedRoomsKeepTheirSnapshotBytes() {
    Bus.HydratedRooms h = new Bus.HydratedRooms(Map.of("r1", new byte[] {1, 2, 3}), 9);
    Bus.HydratedRooms back = roundTrip(Wire::hydrated, Wire::hydrated, h);
    assertThat(back.seq()).isEqualTo(9);
    assertThat(back.rooms().get("r1")).containsExactly(1, 2, 3);
  }

  @Test
  void rendezvousOwnersMoveOnlyWhatTheyMust() {
    List<String> three = List.of("a", "b", "c");
    List<String> two = List.of("a", "c");
    int moved = 0;
    int[] perNode = new int[3];
    for (int i = 0; i < 3_000; i++) {
      String room = "room-" + i;
      String before = Placement.rendezvous(room, three);
      perNode[three.indexOf(before)]++;
      String after = Placement.rendezvous(room, two);
      if (!before.equals("b")) {
        assertThat(after).as("a room of a surviving node stays there").isEqualTo(before);
      } else {
        moved++;
      }
    }
    assertThat(moved).isEqualTo(perNode[1]);
    for (int n : perNode) {
      assertThat(n).as("about a third each").isBetween(850, 1_150);
    }
  }
}
