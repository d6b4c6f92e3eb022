package io.livepulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.bus.Bus.Outcome;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WritePlanTest {
  static Event order(String room, String id) {
    return new Event(EventType.ORDER, room, 1_000, "u", false, null, id, "s", 1, 100, null, null, null, null);
  }

  static Event refund(String room, String id) {
    return new Event(EventType.REFUND, room, 1_000, null, false, null, id, null, 0, 10, null, null, null, null);
  }

  static Event room(String room, String status) {
    return new Event(EventType.ROOM, room, 1_000, null, false, null, null, null, 0, 0, null, null, null, status);
  }

  @Test
  void anOrderIdRepeatedInTheBatchIsADuplicateWhicheverFrameItIsIn() {
    WritePlan plan = WritePlan.build(List.of(List.of(order("r", "a"), order("r", "b")), List.of(order("r", "a"))),
        new RoomSessions());
    assertThat(plan.oId).containsExactly("a", "b");
    assertThat(plan.outcomes[1][0]).isEqualTo(Outcome.DUPLICATE);
    plan.resolveOrders(Set.of(WritePlan.key("r", "a")));
    assertThat(plan.outcomes[0]).containsExactly(Outcome.ACCEPTED, Outcome.DUPLICATE);
  }

  @Test
  void ordersAreSortedByRoomAndIdForAConsistentLockOrder() {
    WritePlan plan = WritePlan.build(List.of(List.of(order("r2", "b"), order("r1", "z"), order("r1", "a"))),
        new RoomSessions());
    assertThat(plan.oRoom).containsExactly("r1", "r1", "r2");
    assertThat(plan.oId).containsExactly("a", "z", "b");
    assertThat(plan.newRooms()).containsExactlyInAnyOrder("r1", "r2");
  }

  @Test
  void liveAfterEndedStartsTheNextSessionForWhatFollowsInTheBatch() {
    RoomSessions sessions = new RoomSessions();
    sessions.load("r", 4, "live");
    Event before = order("r", "a");
    Event ended = room("r", "ended");
    Event live = room("r", "live");
    Event after = order("r", "b");
    WritePlan plan = WritePlan.build(List.of(List.of(before, ended, live, after)), sessions);
    assertThat(plan.sessionOf[0]).containsExactly(4, 4, 5, 5);
    assertThat(plan.committed(0, 3).session).isEqualTo(5);
    assertThat(after.session).as("the event itself is not changed").isZero();
    assertThat(plan.roomEvents).isTrue();
    assertThat(sessions.get("r").session).as("committed only after the transaction").isEqualTo(4);
    sessions.commit(plan.overlay);
    assertThat(sessions.get("r").session).isEqualTo(5);
  }

  @Test
  void aRefundOfAnOrderThatComesLaterInTheBatchIsNotYetAccepted() {
    WritePlan plan = WritePlan.build(List.of(List.of(refund("r", "a"), order("r", "a"), refund("r", "a"))),
        new RoomSessions());
    Set<String> inserted = Set.of(WritePlan.key("r", "a"));
    assertThat(plan.orderArrivesLater(plan.refunds.get(0), inserted)).isTrue();
    assertThat(plan.orderArrivesLater(plan.refunds.get(1), inserted)).isFalse();
  }
}
