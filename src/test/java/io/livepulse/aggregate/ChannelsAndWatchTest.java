package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.leave;
import static io.livepulse.aggregate.Events.order;
import static io.livepulse.aggregate.Events.refund;
import static io.livepulse.aggregate.Events.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11's figures: sales per source and their grouping, per-order and per-buyer values, watch time. */
class ChannelsAndWatchTest {
  /** A second that starts a minute, so the 15-minute window's buckets are easy to reason about. */
  static final long M0 = Math.floorDiv(T0 / 1000, 60) * 60 + 60;

  final RoomState state = new RoomState("r1");

  static long ms(long second) {
    return second * 1000;
  }

  @Test
  void salesPerSourceAreNetOfTheirRefundsWithDistinctBuyers() {
    state.apply(order("o1", "a", "lamp", 1, 100_00, T0, "ads"));
    state.apply(order("o2", "a", "mug", 1, 20_00, T0, "ads"));
    state.apply(order("o3", "b", "lamp", 1, 50_00, T0, "follow"));
    state.apply(order("o4", "c", "lamp", 1, 7_00, T0, null));
    state.apply(refund("o1", "lamp", 30_00, T0 + 1, "ads"));
    List<Figures.SourceSales> sales = state.channels().sales();
    assertThat(sales).containsExactly(
        new Figures.SourceSales("ads", 90_00, 120_00, 2, 1),
        new Figures.SourceSales("follow", 50_00, 50_00, 1, 1));
    assertThat(state.totals().gmvCents()).as("orders without a source still count in the room").isEqualTo(147_00);
  }

  @Test
  void groupsAreNaturalPaidAndPrivateWithSharesSummingToOneHundred() {
    state.apply(enter("v1", "recommend", T0));
    state.apply(enter("v2", "search", T0));
    state.apply(enter("v3", "ads", T0));
    state.apply(enter("v4", "fans", T0));
    state.apply(enter("v5", "follow", T0));
    state.apply(enter("v6", "group", T0));
    state.apply(order("o1", "v1", "lamp", 1, 10_00, T0, "recommend"));
    state.apply(order("o2", "v3", "lamp", 1, 10_00, T0, "ads"));
    state.apply(order("o3", "v4", "lamp", 1, 10_00, T0, "fans"));
    List<Figures.SourceGroup> groups = state.channels().groups();
    assertThat(groups).extracting(Figures.SourceGroup::group).containsExactly("natural", "paid", "private");
    assertThat(groups).extracting(Figures.SourceGroup::entries).containsExactly(2L, 1L, 3L);
    assertThat(groups).extracting(Figures.SourceGroup::entryShare).containsExactly(33.3, 16.7, 50.0);
    assertThat(groups).extracting(Figures.SourceGroup::gmvShare).containsExactly(33.4, 33.3, 33.3);
    assertThat(groups.stream().mapToDouble(Figures.SourceGroup::gmvShare).sum()).isEqualTo(100.0);

    state.groupSources(SourceGroups.parse("paid=ads,search"));
    assertThat(state.channels().groups()).extracting(Figures.SourceGroup::entries)
        .as("a new grouping: search is paid now, fans/follow/group natural").containsExactly(4L, 2L, 0L);
  }

  @Test
  void sharesUseTheLargestRemainderAndAreZeroForNothing() {
    assertThat(SourceGroups.shares(new long[] {1, 1, 1})).containsExactly(33.4, 33.3, 33.3);
    assertThat(SourceGroups.shares(new long[] {0, 0, 0})).containsExactly(0.0, 0.0, 0.0);
    assertThat(SourceGroups.shares(new long[] {0, 5, 0})).containsExactly(0.0, 100.0, 0.0);
    assertThat(SourceGroups.shares(new long[] {Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2}))
        .containsExactly(25.0, 25.0, 50.0);
    for (long[] parts : new long[][] {{2, 3, 95}, {1, 2, 3}, {7, 7, 7}, {999, 1, 0}, {14, 36, 50}}) {
      assertThat(Arrays.stream(SourceGroups.shares(parts)).map(x -> x * 10).sum()).as(Arrays.toString(parts))
          .isCloseTo(1000.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "paid                        | 'paid' must look like group=source,source",
      "=ads                        | '=ads' must look like group=source,source",
      "organic=recommend           | group 'organic' must be one of natural, paid, private",
      "paid=                       | sources of group paid must be 1-32 characters each",
      "paid=ads,,search            | sources of group paid must be 1-32 characters each",
      "paid=ads;private=ads        | source 'ads' is in both paid and private",
      "paid=123456789012345678901234567890123 | sources of group paid must be 1-32 characters each",
  })
  void badGroupingsAreRefusedNamingTheRule(String spec, String message) {
    assertThatThrownBy(() -> SourceGroups.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void groupingsThatAreAccepted() {
    SourceGroups d = SourceGroups.DEFAULT;
    assertThat(List.of("ads", "follow", "fans", "group", "private", "recommend", "other").stream().map(d::groupOf))
        .containsExactly("paid", "private", "private", "private", "private", "natural", "natural");
    SourceGroups custom = SourceGroups.parse(" PAID = ads , qianchuan ; natural=follow ; ");
    assertThat(custom.groupOf("qianchuan")).isEqualTo("paid");
    assertThat(custom.groupOf("follow")).isEqualTo("natural");
    assertThat(SourceGroups.parse("paid=12345678901234567890123456789012").groupOf("12345678901234567890123456789012"))
        .as("32 characters: the longest source").isEqualTo("paid");
    assertThat(SourceGroups.parse("").groupOf("ads")).as("empty: everything natural").isEqualTo("natural");
  }

  @Test
  void perOrderPerBuyerAndUvValueRoundHalfUpToTheCent() {
    Figures.Totals t = new Figures.Totals(1001, 3, 3, 2, 3, 0, 0, 0, 0, 1000, 0, 0, Figures.Reported.NONE);
    assertThat(t.perOrderCents()).as("笔单价: gross 10.00 / 3 orders").isEqualTo(333);
    assertThat(t.perBuyerCents()).as("客单价: net 10.01 / 2 buyers = 5.005").isEqualTo(501);
    assertThat(t.uvValueCents()).as("UV value: 10.01 / 3 = 3.3367").isEqualTo(334);
    assertThat(Figures.Totals.ZERO.perBuyerCents()).isZero();
  }

  /** Closes seconds up to and including {@code last}. */
  long close(long from, long last) {
    for (long s = from; s <= last; s++) {
      state.closeSecond(s);
    }
    return last + 1;
  }

  @Test
  void watchTimeFromEntersAndLeavesPerViewerAndAverageOnline() {
    state.apply(room("live", ms(M0)));
    state.apply(enter("a", ms(M0)));
    long next = close(M0, M0 + 4);
    state.apply(enter("b", ms(M0 + 5)));
    next = close(next, M0 + 9);
    state.apply(leave("a", ms(M0 + 10)));
    next = close(next, M0 + 19);
    Figures.Watch w = state.totals().watch();
    // a: seconds M0..M0+9 (10 s); b: M0+5..M0+19 (15 s).
    assertThat(w.userSeconds()).isEqualTo(25);
    assertThat(w.liveSeconds()).isEqualTo(20);
    assertThat(w.avgWatchSeconds()).as("25 s over 2 viewers, half up").isEqualTo(13);
    assertThat(w.avgOnline()).as("25 viewer-seconds over 20 s").isEqualTo(1);
    assertThat(w.avgWatchSeconds15m()).as("both visits are in the window").isEqualTo(13);

    // Twenty minutes on with b alone: the window holds the last 15 minutes only.
    long end = M0 + 20 * 60 + 29;
    close(next, end);
    w = state.totals().watch();
    long windowStart = (Math.floorDiv(end, 60) - 14) * 60;
    assertThat(w.recentUserSeconds()).isEqualTo(end - windowStart + 1);
    assertThat(w.recentVisits()).as("b, online when the window began").isEqualTo(1);
    assertThat(w.avgWatchSeconds15m()).isEqualTo(end - windowStart + 1);

    // An ended show stops counting.
    state.apply(room("ended", ms(end + 1)));
    long before = state.totals().watch().userSeconds();
    close(end + 1, end + 100);
    assertThat(state.totals().watch().userSeconds()).isEqualTo(before);
  }

  @Test
  void withAReportedOnlineWatchTimeFollowsThePlatform() {
    state.apply(Event.stats("r1", ms(M0), new Event.Stats(100, 1_000, -1, -1, -1, -1, -1)));
    close(M0, M0 + 9);
    Figures.Watch w = state.totals().watch();
    assertThat(w.userSeconds()).isEqualTo(1_000);
    assertThat(w.viewers()).as("the platform's cumulative viewers").isEqualTo(1_000);
    assertThat(w.avgWatchSeconds()).isEqualTo(1);
    assertThat(w.avgOnline()).isEqualTo(100);
  }

  @Test
  void withAReportedOnlineButNoReportedViewersTheBaseIsAtLeastThePeak() {
    state.apply(enter("a", ms(M0)));
    state.apply(Event.stats("r1", ms(M0), new Event.Stats(50, -1, -1, -1, -1, -1, -1)));
    close(M0, M0 + 9);
    Figures.Watch w = state.totals().watch();
    assertThat(w.viewers()).as("50 were online at once; one sent events").isEqualTo(50);
    assertThat(w.avgWatchSeconds()).isEqualTo(10);
  }

  @Test
  void watchTimeSurvivesTheSavedViewerState() {
    state.apply(enter("a", ms(M0)));
    close(M0, M0 + 59);
    RoomState again = new RoomState("r1");
    assertThat(again.restoreViewerState(state.viewerState())).isTrue();
    assertThat(again.totals().watch().userSeconds()).isEqualTo(60);
    assertThat(again.totals().watch().liveSeconds()).isEqualTo(60);
  }

  @Test
  void aTargetsProgressAndPace() {
    state.apply(Event.roomMeta("r1", ms(M0), null, null, null, "live", -1, new Event.Target(1_000_000_00, 100)));
    state.apply(order("o1", "a", "lamp", 1, 620_000_00, ms(M0)));
    close(M0, M0 + 59 * 60 - 1);
    Figures.Totals t = state.totals();
    assertThat(t.targetProgress()).as("62 % of ¥1,000,000").isEqualTo(0.62);
    // At the straight-line pace ¥620,000 takes 62 of the 100 minutes; the show is 59 minutes in.
    assertThat(t.paceSeconds()).as("3 min ahead").isEqualTo(180);
    state.apply(room("ended", ms(M0 + 3600)));
    state.apply(room("live", ms(M0 + 3700)));
    assertThat(state.totals().target()).as("a new show starts without the old target").isNull();
    assertThat(new Figures.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0).paceSeconds()).isZero();
  }
}
