package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.leave;
import static io.livepulse.aggregate.Events.order;
import static io.livepulse.aggregate.Events.refund;
import static io.livepulse.aggregate.Events.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomStateTest {
  final RoomState state = new RoomState("r1");
  final long s0 = T0 / 1000;

  @Test
  void moneyOrdersUnitsBuyersAndDerivedRatios() {
    state.apply(enter("a", T0));
    state.apply(enter("b", T0));
    state.apply(enter("c", T0 + 10));
    state.apply(order("o1", "a", "lock", 1, 1299_00, T0 + 100));
    state.apply(order("o2", "a", "tea", 3, 264_00, T0 + 200));
    state.apply(order("o3", "b", "tea", 1, 88_01, T0 + 300));
    Figures.Totals t = state.totals();
    assertThat(t.gmvCents()).isEqualTo(1299_00 + 264_00 + 88_01);
    assertThat(t.orders()).isEqualTo(3);
    assertThat(t.units()).isEqualTo(5);
    assertThat(t.buyers()).isEqualTo(2);
    assertThat(t.uv()).isEqualTo(3);
    assertThat(t.views()).isEqualTo(3);
    assertThat(t.conversion()).isCloseTo(2.0 / 3, within(1e-12));
    // gpm = gmv * 1000 / views = 1651.01 * 1000 / 3 = 550336.666.. -> 550336.67
    assertThat(t.gpmCents()).isEqualTo(55_033_667L);
  }

  @Test
  void ratiosAreZeroWithoutViewers() {
    Figures.Totals t = state.totals();
    assertThat(t.conversion()).isZero();
    assertThat(t.gpmCents()).isZero();
    assertThat(t.ctr()).isZero();
  }

  @Test
  void orderUsersCountAsUniqueViewers() {
    state.apply(order("o1", "buyer", "s", 1, 100, T0));
    assertThat(state.totals().uv()).isEqualTo(1);
    assertThat(state.totals().conversion()).isEqualTo(1.0);
  }

  @Test
  void reEnterDoesNotCountTwiceOnlineButCountsAView() {
    state.apply(enter("a", T0));
    state.apply(enter("a", T0 + 1));
    Figures.Totals t = state.totals();
    assertThat(t.online()).isEqualTo(1);
    assertThat(t.views()).isEqualTo(2);
    assertThat(t.uv()).isEqualTo(1);
  }

  @Test
  void leaveWithoutEnterChangesNothingButIsCounted() {
    state.apply(enter("a", T0));
    state.apply(leave("ghost", T0 + 1));
    assertThat(state.totals().online()).isEqualTo(1);
    state.apply(leave("a", T0 + 2));
    state.apply(leave("a", T0 + 3));
    assertThat(state.totals().online()).isZero();
    assertThat(state.tick(s0).now().leaves()).isEqualTo(3);
  }

  @Test
  void peakOnlineKeepsTheHighest() {
    state.apply(enter("a", T0));
    state.apply(enter("b", T0));
    state.apply(leave("a", T0));
    state.apply(enter("c", T0));
    state.apply(leave("b", T0));
    state.apply(leave("c", T0));
    assertThat(state.totals().online()).isZero();
    assertThat(state.totals().peakOnline()).isEqualTo(2);
  }

  @Test
  void clicksMakeClickersAndCtr() {
    state.apply(enter("a", T0));
    state.apply(enter("b", T0));
    state.apply(enter("c", T0));
    state.apply(enter("d", T0));
    state.apply(click("a", "s1", T0));
    state.apply(click("a", "s2", T0));
    state.apply(click("e", "s1", T0));
    Figures.Totals t = state.totals();
    assertThat(t.clickers()).isEqualTo(2);
    assertThat(t.uv()).as("a clicking user counts as seen").isEqualTo(5);
    assertThat(t.ctr()).isEqualTo(2.0 / 5);
  }

  @Test
  void refundsLowerGmvAndTheProductButNotOrdersOrUnits() {
    state.apply(order("o1", "a", "lock", 2, 2000_00, T0));
    state.apply(refund("o1", "lock", 500_50, T0 + 1500));
    Figures.Totals t = state.totals();
    assertThat(t.gmvCents()).isEqualTo(1499_50);
    assertThat(t.orders()).isEqualTo(1);
    assertThat(t.units()).isEqualTo(2);
    assertThat(state.topProducts().get(0).gmvCents()).isEqualTo(1499_50);
    assertThat(state.tick(s0).now().gmvCents()).isEqualTo(2000_00);
    assertThat(state.tick(s0 + 1).now().gmvCents()).as("refund counts in its own second").isEqualTo(-500_50);
  }

  @Test
  void nowHoldsOnlyItsSecondAndTotalsTheSession() {
    state.apply(enter("a", T0));
    state.apply(order("o1", "a", "s", 1, 10_00, T0 + 999));
    state.apply(order("o2", "a", "s", 1, 20_00, T0 + 1000));
    Figures.RoomTick first = state.close(s0);
    assertThat(first.now().gmvCents()).isEqualTo(10_00);
    assertThat(first.now().orders()).isEqualTo(1);
    assertThat(first.now().views()).isEqualTo(1);
    assertThat(first.now().enters()).isEqualTo(1);
    assertThat(first.now().online()).isEqualTo(1);
    assertThat(first.totals().gmvCents()).isEqualTo(30_00);
    assertThat(state.close(s0 + 1).now().gmvCents()).isEqualTo(20_00);
  }

  @Test
  void lateEventsCountInTotalsAndInTheirOwnSecond() {
    state.close(s0);
    state.close(s0 + 1);
    state.apply(order("late", "a", "s", 1, 5_00, T0 + 10));
    assertThat(state.totals().gmvCents()).isEqualTo(5_00);
    assertThat(state.snapshot(s0 + 1).series()).filteredOn(x -> x.second() == s0)
        .singleElement().satisfies(x -> assertThat(x.gmvCents()).isEqualTo(5_00));
    assertThat(state.drainTraffic()).anySatisfy(r -> assertThat(r[0]).isEqualTo(s0));
  }

  @Test
  void seriesCoversThreeHundredSecondsWithOnlineCarriedOver() {
    state.apply(enter("a", T0));
    state.close(s0);
    List<Figures.Second> series = state.snapshot(s0 + 10).series();
    assertThat(series).hasSize(300);
    assertThat(series.get(299).second()).isEqualTo(s0 + 10);
    assertThat(series.get(299).online()).isEqualTo(1);
    assertThat(series.get(0).second()).isEqualTo(s0 + 10 - 299);
  }

  @Test
  void sessionRestartsWhenLiveFollowsEnded() {
    state.apply(room("live", T0));
    state.apply(enter("a", T0));
    state.apply(order("o1", "a", "s", 1, 100_00, T0));
    state.apply(room("ended", T0 + 1000));
    assertThat(state.totals().gmvCents()).as("ended keeps the figures").isEqualTo(100_00);
    assertThat(state.status()).isEqualTo("ended");
    state.apply(room("live", T0 + 2000));
    assertThat(state.session()).isEqualTo(2);
    assertThat(state.totals()).isEqualTo(Figures.Totals.ZERO);
    assertThat(state.topProducts()).isEmpty();
    assertThat(state.meta().anchor()).isEqualTo("Li");
    state.apply(room("live", T0 + 3000));
    assertThat(state.session()).as("live after live is not a new session").isEqualTo(2);
  }

  @Test
  void storeAssignedSessionsWin() {
    var o = order("o1", "a", "s", 1, 100, T0).committed(3);
    state.apply(o);
    assertThat(state.session()).isEqualTo(3);
    var old = order("o0", "a", "s", 1, 999, T0).committed(2);
    assertThat(state.apply(old)).isFalse();
    assertThat(state.totals().gmvCents()).isEqualTo(100);
  }

  @Test
  void productRankingByGmvThenUnitsThenSku() {
    state.apply(order("o1", "a", "b", 1, 100, T0));
    state.apply(order("o2", "a", "a", 1, 100, T0));
    state.apply(order("o3", "a", "c", 2, 100, T0));
    state.apply(order("o4", "a", "d", 1, 500, T0));
    assertThat(state.topProducts()).extracting(Figures.Product::sku).containsExactly("d", "c", "a", "b");
    for (int i = 0; i < 30; i++) {
      state.apply(order("x" + i, "a", "sku" + i, 1, 1, T0));
    }
    assertThat(state.topProducts()).hasSize(20);
  }

  @Test
  void sourcesCountEntersBySource() {
    state.apply(enter("a", "recommend", T0));
    state.apply(enter("b", "recommend", T0));
    state.apply(enter("c", "follow", T0));
    state.apply(enter("d", T0));
    assertThat(state.sources()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("recommend", 2L, "follow", 1L));
  }

  @Test
  void distinctUsersAreExactTo100000() {
    for (int i = 0; i < 100_000; i++) {
      state.apply(enter("user-" + i, T0));
    }
    for (int i = 0; i < 100_000; i += 2) {
      state.apply(leave("user-" + i, T0));
    }
    assertThat(state.totals().uv()).isEqualTo(100_000);
    assertThat(state.totals().online()).isEqualTo(50_000);
    assertThat(state.totals().peakOnline()).isEqualTo(100_000);
  }

  @Test
  void distinctUsersStayWithinOnePercentBeyondExactRange() {
    DistinctUsers users = new DistinctUsers();
    for (int i = 0; i < 1_000_000; i++) {
      users.add("viewer-" + i);
    }
    assertThat(users.exact()).isFalse();
    assertThat((double) users.count()).isCloseTo(1_000_000, within(10_000.0));
  }

  @Test
  void viewerStateRoundTripsForTheSameSessionOnly() {
    state.apply(enter("a", "ads", T0));
    state.apply(enter("b", T0));
    state.apply(leave("b", T0));
    state.apply(click("c", "s", T0));
    byte[] saved = state.viewerState();

    RoomState restored = new RoomState("r1");
    assertThat(restored.restoreViewerState(saved)).isTrue();
    assertThat(restored.totals()).isEqualTo(state.totals());
    assertThat(restored.sources()).isEqualTo(state.sources());
    restored.apply(enter("a", T0));
    assertThat(restored.totals().online()).isEqualTo(1);
    assertThat(restored.totals().uv()).as("a is already known").isEqualTo(3);

    assertThat(new RoomState("r1", 2).restoreViewerState(saved)).isFalse();
  }
}
