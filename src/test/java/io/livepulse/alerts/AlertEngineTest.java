package io.livepulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.bus.Figures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of rule against figures second by second: when it fires, how often, when it resolves. */
class AlertEngineTest {
  static final long S0 = 1_763_800_000;

  static AlertRule rule(long id, String figure, AlertRule.Op op, double value, long seconds, long cooldown) {
    return new AlertRule(id, "r1", null, figure, op, value, seconds, cooldown, null, "json", false, 0, 10);
  }

  static Figures.RoomTick tick(long second, long online, long gmvCents, long orders, String status, long liveSeconds) {
    Figures.Totals t = new Figures.Totals(gmvCents, orders, orders, orders, online, online, online, online, 0, gmvCents,
        0, 0, Figures.Reported.NONE, new Figures.Watch(0, liveSeconds, 0, 0, 0));
    return new Figures.RoomTick("r1", second, 1, new Figures.Meta(null, null, null, status),
        Figures.Second.empty(second, online), t, List.of(), java.util.Map.of());
  }

  final AlertEngine engine = new AlertEngine();

  /** Runs one value per second from S0; returns "second:firing|resolved" for each transition. */
  List<String> run(AlertRule r, long[] online) {
    engine.rules(List.of(r));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < online.length; i++) {
      long s = S0 + i;
      for (AlertEngine.Transition t : engine.evaluate(s, new AlertEngine.RoomSecond(tick(s, online[i], 0, 0, "live", i),
          s, Long.MIN_VALUE))) {
        out.add(i + ":" + (t.firing() ? "firing" : "resolved"));
      }
    }
    return out;
  }

  @Test
  void aThresholdFiresWhenCrossedAndResolvesWhenBack() {
    assertThat(run(rule(1, "online", AlertRule.Op.BELOW, 2000, 0, 0), new long[] {2500, 1900, 1800, 2100, 1500}))
        .containsExactly("1:firing", "3:resolved", "4:firing");
  }

  @Test
  void aThresholdHeldForSecondsAndTheCooldown() {
    // Must hold 3 seconds in a row; after firing, not again within 10 s of the first.
    assertThat(run(rule(1, "online", AlertRule.Op.ABOVE, 100, 3, 10),
        new long[] {200, 200, 50, 200, 200, 200, 50, 200, 200, 200, 200, 50, 200, 200, 200, 200}))
        .containsExactly("5:firing", "6:resolved", "15:firing");
  }

  @Test
  void aDropIsAPercentageWithinTheWindow() {
    assertThat(run(rule(1, "online", AlertRule.Op.DROP, 20, 3, 0), new long[] {1000, 1000, 1000, 900, 790, 790, 790, 790}))
        .as("-21 % against 3 s before; at 6 only -12 % against 900").containsExactly("4:firing", "6:resolved");
    assertThat(run(rule(2, "online", AlertRule.Op.RISE, 50, 2, 0), new long[] {0, 0, 100, 160, 160}))
        .as("from zero there is no percentage; +60 % over 2 s").containsExactly("4:firing");
  }

  @Test
  void stallSilentMilestoneAndPace() {
    AlertRule stall = new AlertRule(1, "r1", null, "orders", AlertRule.Op.STALL, 0, 5, 0, null, "json", false, 100, 0);
    AlertRule silent = rule(2, "views", AlertRule.Op.SILENT, 0, 3, 0);
    AlertRule milestone = rule(3, "gmv", AlertRule.Op.MILESTONE, 1_000_000, 0, 0);
    AlertRule pace = new AlertRule(4, "r1", null, "gmv", AlertRule.Op.PACE, 36_000, 3_600, 0, null, "json", false, 0, 20);
    engine.rules(List.of(stall, silent, milestone, pace));
    List<String> out = new ArrayList<>();
    long lastEvent = S0;
    long lastOrder = S0;
    for (int i = 0; i <= 120; i++) {
      long s = S0 + i;
      long online = 500;
      if (i < 3 || i >= 10 && i < 12) {
        lastEvent = s;
      }
      if (i == 2 || i == 11) {
        lastOrder = s;
      }
      long gmv = i >= 100 ? 1_000_000_00L : i * 5_00L;
      for (AlertEngine.Transition t : engine.evaluate(s, new AlertEngine.RoomSecond(tick(s, online, gmv, 1, "live", i),
          lastEvent, lastOrder))) {
        out.add(t.rule().op().wire() + "@" + i + ":" + (t.firing() ? "firing" : "resolved"));
      }
    }
    // stall: no order since 2, fires at 7, resolves with the order at 11, fires again at 16.
    // silent: no event since 2, fires at 5, resolves at 10; again at 14 (last event 11).
    // pace: 36,000 over an hour is 10/s; at 5/s it is 50 % behind, past 60 s of show; met at 100.
    // milestone: once, at 100.
    assertThat(out).containsExactly("silent@5:firing", "stall@7:firing", "silent@10:resolved", "stall@11:resolved",
        "silent@14:firing", "stall@16:firing", "pace@60:firing", "milestone@100:firing", "pace@100:resolved");
  }

  @Test
  void aNewSessionStartsEveryRuleAfresh() {
    AlertRule milestone = rule(1, "gmv", AlertRule.Op.MILESTONE, 10, 0, 0);
    engine.rules(List.of(milestone));
    var hit = engine.evaluate(S0, new AlertEngine.RoomSecond(tick(S0, 1, 20_00, 1, "live", 1), S0, S0));
    assertThat(hit).hasSize(1);
    assertThat(engine.evaluate(S0 + 1, new AlertEngine.RoomSecond(tick(S0 + 1, 1, 30_00, 1, "live", 2), S0, S0)))
        .as("a milestone fires once").isEmpty();
    Figures.RoomTick next = tick(S0 + 2, 1, 20_00, 1, "live", 1);
    Figures.RoomTick session2 = new Figures.RoomTick(next.room(), next.second(), 2, next.meta(), next.now(), next.totals(),
        next.topProducts(), next.sources());
    assertThat(engine.evaluate(S0 + 2, new AlertEngine.RoomSecond(session2, S0, S0))).hasSize(1);
  }

  @Test
  void scopesAndRuleChanges() {
    AlertRule all = new AlertRule(1, null, null, "online", AlertRule.Op.ABOVE, 0, 0, 0, null, "json", false, 0, 0);
    AlertRule brand = new AlertRule(2, null, "brandA-", "online", AlertRule.Op.ABOVE, 0, 0, 0, null, "json", false, 0, 0);
    assertThat(all.applies("x")).isTrue();
    assertThat(brand.applies("brandA-1")).isTrue();
    assertThat(brand.applies("brandB-1")).isFalse();
    engine.rules(List.of(brand));
    assertThat(engine.watches("brandB-1")).isFalse();
    assertThat(engine.watches("brandA-9")).isTrue();
    engine.rules(List.of());
    assertThat(engine.watches("brandA-9")).isFalse();
  }
}
