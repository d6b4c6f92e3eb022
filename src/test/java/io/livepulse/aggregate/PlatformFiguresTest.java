package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.order;
import static io.livepulse.aggregate.Events.refund;
import static io.livepulse.aggregate.Events.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import org.junit.jupiter.api.Test;

/** The figures of contract §8, each pinned to its definition. */
class PlatformFiguresTest {
  final RoomState state = new RoomState("r1");

  static Event stats(long online, long likes, long viewers, long ts) {
    return Event.stats("r1", ts, new Event.Stats(online, viewers, likes, -1, -1, -1, -1));
  }

  @Test
  void grossNetRefundsAndTheirRate() {
    state.apply(order("o1", "a", "lamp", 1, 100_00, T0));
    state.apply(order("o2", "b", "mug", 1, 50_00, T0));
    state.apply(refund("o1", "lamp", 10_00, T0 + 1));
    state.apply(refund("o1", "lamp", 5_00, T0 + 2));
    state.apply(refund("o2", "mug", 50_00, T0 + 3));
    Figures.Totals t = state.totals();
    assertThat(t.grossCents()).as("grossGmv: accepted orders").isEqualTo(150_00);
    assertThat(t.refundCents()).as("refundAmount").isEqualTo(65_00);
    assertThat(t.gmvCents()).as("gmv stays net").isEqualTo(85_00);
    assertThat(t.refundOrders()).as("distinct orders with a refund").isEqualTo(2);
    assertThat(t.refundRate()).as("refundAmount / grossGmv").isCloseTo(65.0 / 150, within(1e-12));
    assertThat(new RoomState("empty").totals().refundRate()).as("no sales: 0").isZero();
  }

  @Test
  void clickToBuyAndClicksPerProduct() {
    state.apply(click("a", "lamp", T0));
    state.apply(click("a", "lamp", T0));
    state.apply(click("b", "lamp", T0));
    state.apply(click("c", "mug", T0));
    state.apply(order("o1", "a", "lamp", 1, 10_00, T0));
    Figures.Totals t = state.totals();
    assertThat(t.clickToBuy()).as("buyers / clickers").isCloseTo(1.0 / 3, within(1e-12));
    assertThat(state.topProducts()).singleElement().satisfies(p -> {
      assertThat(p.sku()).isEqualTo("lamp");
      assertThat(p.clicks()).as("click events on the sku").isEqualTo(3);
      assertThat(p.clickers()).as("distinct users who clicked the sku").isEqualTo(2);
      assertThat(p.buyers()).as("distinct users who bought the sku").isEqualTo(1);
      assertThat(p.clickToBuy()).as("buyers / clickers of the sku").isEqualTo(0.5);
    });
    assertThat(new RoomState("x").totals().clickToBuy()).isZero();
  }

  @Test
  void reportedOnlineReplacesTheCountedOneAndCountsKeepTheirHighest() {
    state.apply(enter("a", T0));
    state.apply(enter("b", T0));
    assertThat(state.totals().reported().online()).isFalse();
    assertThat(state.totals().online()).isEqualTo(2);
    state.apply(stats(5_000, 120, 9_000, T0 + 1_000));
    state.apply(enter("c", T0 + 2_000));
    Figures.Totals t = state.totals();
    assertThat(t.reported().online()).isTrue();
    assertThat(t.online()).as("the platform's figure").isEqualTo(5_000);
    assertThat(t.peakOnline()).isEqualTo(5_000);
    state.apply(stats(4_000, 100, -1, T0 + 3_000));
    t = state.totals();
    assertThat(t.online()).as("the latest report").isEqualTo(4_000);
    assertThat(t.peakOnline()).isEqualTo(5_000);
    assertThat(t.reported().likes()).as("cumulative: a lower, older count does not lower it").isEqualTo(120);
    assertThat(t.reported().viewers()).isEqualTo(9_000);
    assertThat(t.reported().comments()).as("never reported").isEqualTo(-1);
    state.closeSecond(T0 / 1000 + 3);
    assertThat(state.tick(T0 / 1000 + 3).now().online()).isEqualTo(4_000);
  }

  @Test
  void theNewFiguresSurviveTheSavedViewerStateAndANewSessionClearsThem() {
    state.apply(click("a", "lamp", T0));
    state.apply(stats(300, 7, -1, T0));
    RoomState restored = new RoomState("r1");
    assertThat(restored.restoreViewerState(state.viewerState())).isTrue();
    state.apply(order("o1", "a", "lamp", 1, 1_00, T0));
    restored.apply(order("o1", "a", "lamp", 1, 1_00, T0));
    assertThat(restored.totals()).isEqualTo(state.totals());
    assertThat(restored.topProducts()).isEqualTo(state.topProducts());

    state.apply(room("ended", T0 + 10));
    state.apply(room("live", T0 + 20));
    Figures.Totals fresh = state.totals();
    assertThat(fresh.grossCents()).isZero();
    assertThat(fresh.reported()).isEqualTo(Figures.Reported.NONE);
    assertThat(fresh.online()).isZero();
  }
}
