package io.livepulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule body of contract §10, field by field: empty, smallest, largest and just past it. */
class RuleRequestTest {
  record Case(String field, Object value, boolean ok, String error) {
    @Override
    public String toString() {
      return field + "=" + (value instanceof String s && s.length() > 20 ? s.substring(0, 20) + "…(" + s.length() + ")" : value)
          + (ok ? " ok" : " refused");
    }
  }

  static JsonObject base() {
    return new JsonObject().put("room", "r1").put("figure", "online").put("op", "below").put("value", 2000)
        .put("seconds", 60).put("cooldownSeconds", 120);
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    out.add(new Case("room", "", false, "room must be a string of 1-128 characters"));
    out.add(new Case("room", "r", true, null));
    out.add(new Case("room", "r".repeat(128), true, null));
    out.add(new Case("room", "r".repeat(129), false, "room must be a string of 1-128 characters"));
    out.add(new Case("figure", "", false, "figure must be a string of 1-64 characters"));
    out.add(new Case("figure", "now.gmv", true, null));
    out.add(new Case("figure", "refundRate", true, null));
    out.add(new Case("figure", "onlne", false, "figure must be one of "));
    out.add(new Case("op", "", false, "op must be one of below, above, drop, rise, stall, silent, milestone, pace"));
    out.add(new Case("op", "above", true, null));
    out.add(new Case("op", "equals", false, "op must be one of "));
    out.add(new Case("value", -1e300, true, null));
    out.add(new Case("value", "2000", false, "value must be a number"));
    out.add(new Case("seconds", -1, false, "seconds must be an integer 0-86400"));
    out.add(new Case("seconds", 0, true, null));
    out.add(new Case("seconds", 86_400, true, null));
    out.add(new Case("seconds", 86_401, false, "seconds must be an integer 0-86400"));
    out.add(new Case("seconds", 1.5, false, "seconds must be an integer 0-86400"));
    out.add(new Case("cooldownSeconds", -1, false, "cooldownSeconds must be an integer 0-86400"));
    out.add(new Case("cooldownSeconds", 0, true, null));
    out.add(new Case("cooldownSeconds", 86_400, true, null));
    out.add(new Case("cooldownSeconds", 86_401, false, "cooldownSeconds must be an integer 0-86400"));
    out.add(new Case("webhook", "", false, "webhook must be a string of 1-2000 characters"));
    out.add(new Case("webhook", "http://h", true, null));
    out.add(new Case("webhook", "https://h/" + "x".repeat(1990), true, null));
    out.add(new Case("webhook", "https://h/" + "x".repeat(1991), false, "webhook must be a string of 1-2000 characters"));
    out.add(new Case("webhook", "ftp://h", false, "webhook must be an http:// or https:// URL"));
    out.add(new Case("format", "slack", true, null));
    out.add(new Case("format", "teams", false, "format must be one of json, feishu, dingtalk, wecom, slack"));
    out.add(new Case("anchor", true, true, null));
    out.add(new Case("anchor", "yes", false, "anchor must be true or false"));
    out.add(new Case("percent", 0, true, null));
    out.add(new Case("percent", 100, true, null));
    out.add(new Case("percent", 100.5, false, "percent must be 0-100"));
    out.add(new Case("colour", "red", false, "unknown field colour"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFieldAtItsLimits(Case c) {
    JsonObject body = base().put(c.field(), c.value());
    if (c.ok()) {
      AlertRule r = RuleRequest.parse(body);
      assertThat(r.room()).isEqualTo(body.getString("room"));
    } else {
      assertThatThrownBy(() -> RuleRequest.parse(body)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(c.error());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void whatEachKindNeeds(JsonObject body, String error) {
    if (error == null) {
      assertThat(RuleRequest.parse(body).op()).isNotNull();
    } else {
      assertThatThrownBy(() -> RuleRequest.parse(body)).hasMessageStartingWith(error);
    }
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> kinds() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "silent").put("seconds", 30), null),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "silent"), "seconds is required"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "stall").put("seconds", 0),
            "seconds must be at least 1 for stall"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "drop").put("figure", "online")
            .put("value", 20).put("seconds", 60), null),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "drop").put("figure", "online")
            .put("value", 101).put("seconds", 60), "value of a drop is a percentage"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "above").put("figure", "online"),
            "value is required"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "above").put("value", 1),
            "figure is required"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("op", "pace").put("figure", "gmv")
            .put("value", 1_000_000).put("seconds", 59), "seconds of a pace rule is the planned length of the show: at least 60"),
        org.junit.jupiter.params.provider.Arguments.of(new JsonObject().put("room", "a").put("prefix", "b")
            .put("op", "silent").put("seconds", 5), "room and prefix: give one of them"));
  }
}
