package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explain windows (contract §9): their boundaries and what each counts. */
class TimelineTest {
  final RoomState state = new RoomState("r1");

  static Event explain(String sku, boolean start, long ts) {
    return new Event(EventType.EXPLAIN, "r1", ts, null, start, null, null, sku, 0, 0, null, null, null, null);
  }

  static Event mark(String label, String kind, long ts) {
    return new Event(EventType.MARK, "r1", ts, null, false, kind, null, null, 0, 0, label, null, null, null);
  }

  List<Figures.Explain> windows() {
    return state.timeline().explains();
  }

  @Test
  void aWindowCountsItsSkuAndTheRoomWhileItRuns() {
    state.apply(enter("a", T0));
    state.apply(order("before", "a", "lamp", 1, 50_00, T0 + 10));
    state.apply(explain("lamp", true, T0 + 1_000));
    state.apply(enter("b", T0 + 1_100));
    state.apply(click("a", "lamp", T0 + 1_200));
    state.apply(click("b", "lamp", T0 + 1_300));
    state.apply(click("b", "mug", T0 + 1_300));
    state.apply(order("o1", "a", "lamp", 2, 200_00, T0 + 2_000));
    state.apply(order("o2", "b", "mug", 1, 30_00, T0 + 2_500));
    state.closeSecond(T0 / 1000 + 2);
    Figures.Explain running = windows().get(0);
    assertThat(running.end()).as("running").isEqualTo(-1);
    assertThat(running.gmvCents()).isEqualTo(200_00);
    assertThat(running.units()).isEqualTo(2);
    assertThat(running.roomGmvCents()).as("the whole room in the window").isEqualTo(230_00);
    assertThat(running.roomOrders()).isEqualTo(2);
    assertThat(running.clicks()).isEqualTo(2);
    assertThat(running.clickToBuy()).as("1 buyer of 2 clickers").isEqualTo(0.5);
    assertThat(running.onlineStart()).isEqualTo(1);
    assertThat(running.onlineEnd()).as("online now, while it runs").isEqualTo(2);
    state.apply(explain("lamp", false, T0 + 3_000));
    state.apply(order("after", "a", "lamp", 1, 10_00, T0 + 3_500));
    Figures.Explain closed = windows().get(0);
    assertThat(closed.end()).isEqualTo(T0 + 3_000);
    assertThat(closed.gmvCents()).as("an order after the end is not the window's").isEqualTo(200_00);
  }

  @Test
  void aStartEndsTheRunningWindowAndAnEndWithoutOneChangesNothing() {
    state.apply(explain("mug", false, T0));
    assertThat(windows()).isEmpty();
    state.apply(explain("lamp", true, T0 + 1_000));
    state.apply(explain("mug", true, T0 + 5_000));
    state.apply(explain("lamp", false, T0 + 6_000));
    assertThat(windows()).extracting(Figures.Explain::sku).containsExactly("lamp", "mug");
    assertThat(windows().get(0).end()).as("ended by the next start").isEqualTo(T0 + 5_000);
    assertThat(windows().get(1).end()).as("an end for another sku").isEqualTo(-1);
    // A late order whose ts falls in the first window counts there.
    state.apply(order("late", "x", "lamp", 1, 99_00, T0 + 2_000));
    assertThat(windows().get(0).gmvCents()).isEqualTo(99_00);
    assertThat(windows().get(1).roomGmvCents()).isZero();
  }

  @Test
  void marksAndMovingTheRoomWhole() {
    state.apply(mark("Flash sale", "flash", T0));
    state.apply(explain("lamp", true, T0 + 1_000));
    state.apply(order("o1", "a", "lamp", 1, 10_00, T0 + 1_500));
    assertThat(state.timeline().marks()).containsExactly(new Figures.Mark(T0, "Flash sale", "flash"));
    RoomState copy = RoomState.fromSnapshot(state.toSnapshot());
    assertThat(copy.timeline()).isEqualTo(state.timeline());
    state.startSession(2);
    assertThat(state.timeline().explains()).as("a new session starts a new timeline").isEmpty();
  }
}
