package io.livepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract §1 as a table: every field of every event type at empty, minimum, maximum and just past
 * it, as a JSON string and as a JSON number where the contract allows both. Each case starts from a
 * valid event of its type, changes one field, and expects exactly what the contract says.
 */
class ContractValidationTableTest {
  static final long NOW = 1_763_800_000_000L;
  static final long DAY_MS = 24L * 3600 * 1000;
  final FrameParser parser = new FrameParser(1 << 20, 10_000, () -> NOW);

  /** A valid event of each type, with every required field. */
  static final Map<String, JsonObject> BASE = Map.of(
      "viewer", new JsonObject().put("type", "viewer").put("room", "r1").put("user", "u1").put("action", "enter"),
      "order", new JsonObject().put("type", "order").put("room", "r1").put("order", "o1").put("user", "u1")
          .put("sku", "s1").put("amount", "1.00"),
      "refund", new JsonObject().put("type", "refund").put("room", "r1").put("order", "o1").put("amount", "1.00"),
      "click", new JsonObject().put("type", "click").put("room", "r1").put("user", "u1").put("sku", "s1"),
      "room", new JsonObject().put("type", "room").put("room", "r1"),
      "stats", new JsonObject().put("type", "stats").put("room", "r1").put("online", 10),
      "explain", new JsonObject().put("type", "explain").put("room", "r1").put("sku", "s1").put("action", "start"),
      "mark", new JsonObject().put("type", "mark").put("room", "r1").put("label", "Flash sale"));

  /** One row: in an event of {@code type}, {@code field} set to {@code value} (absent if REMOVE). */
  record Case(String type, String field, Object value, boolean valid) {
    @Override
    public String toString() {
      String shown = value == REMOVE ? "absent" : value instanceof String s && s.length() > 12
          ? "\"" + s.substring(0, 6) + "…\"(" + s.length() + ")" : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
      return type + "." + field + "=" + shown + (valid ? " accepted" : " rejected");
    }
  }

  static final Object REMOVE = new Object();

  /** A string field of 1-max characters (ids, source). */
  static void boundedString(List<Case> out, String type, String field, int max, boolean required) {
    out.add(new Case(type, field, "", false));
    out.add(new Case(type, field, "a", true));
    out.add(new Case(type, field, "a".repeat(max), true));
    out.add(new Case(type, field, "a".repeat(max + 1), false));
    out.add(new Case(type, field, 5, false));
    out.add(new Case(type, field, REMOVE, !required));
  }

  /** An optional text of at most max characters: empty is a valid value (title, anchor, platform). */
  static void optionalText(List<Case> out, String type, String field, int max) {
    out.add(new Case(type, field, "", true));
    out.add(new Case(type, field, "a", true));
    out.add(new Case(type, field, "ä".repeat(max), true));
    out.add(new Case(type, field, "a".repeat(max + 1), false));
    out.add(new Case(type, field, 5, false));
    out.add(new Case(type, field, REMOVE, true));
  }

  static void common(List<Case> out, String type) {
    out.add(new Case(type, "room", "", false));
    out.add(new Case(type, "room", "a", true));
    out.add(new Case(type, "room", "aZ0_.:-".repeat(9) + "a", true));
    out.add(new Case(type, "room", "a".repeat(64), true));
    out.add(new Case(type, "room", "a".repeat(65), false));
    out.add(new Case(type, "room", "a b", false));
    out.add(new Case(type, "room", 5, false));
    out.add(new Case(type, "room", REMOVE, false));
    out.add(new Case(type, "ts", NOW - DAY_MS, true));
    out.add(new Case(type, "ts", NOW - DAY_MS - 1, false));
    out.add(new Case(type, "ts", NOW + DAY_MS, true));
    out.add(new Case(type, "ts", NOW + DAY_MS + 1, false));
    out.add(new Case(type, "ts", Long.MIN_VALUE, false));
    out.add(new Case(type, "ts", Long.MAX_VALUE, false));
    out.add(new Case(type, "ts", String.valueOf(NOW), false));
    out.add(new Case(type, "ts", REMOVE, true));
  }

  static void amount(List<Case> out, String type, boolean positive) {
    out.add(new Case(type, "amount", "", false));
    out.add(new Case(type, "amount", "0", !positive));
    out.add(new Case(type, "amount", 0, !positive));
    out.add(new Case(type, "amount", "0.01", true));
    out.add(new Case(type, "amount", 0.01, true));
    out.add(new Case(type, "amount", "-0.01", false));
    out.add(new Case(type, "amount", "1000000000", true));
    out.add(new Case(type, "amount", 1_000_000_000, true));
    out.add(new Case(type, "amount", "1000000000.01", false));
    out.add(new Case(type, "amount", new java.math.BigDecimal("1000000000.01"), false));
    out.add(new Case(type, "amount", "1.005", false));
    out.add(new Case(type, "amount", "+1", false));
    out.add(new Case(type, "amount", "1e2", false));
    out.add(new Case(type, "amount", "１２", false));
    out.add(new Case(type, "amount", "١٢", false));
    out.add(new Case(type, "amount", "1.2.3", false));
    out.add(new Case(type, "amount", true, false));
    out.add(new Case(type, "amount", REMOVE, false));
  }

  static Stream<Case> table() {
    List<Case> out = new ArrayList<>();
    for (String type : BASE.keySet()) {
      common(out, type);
    }
    boundedString(out, "viewer", "user", 128, true);
    out.add(new Case("viewer", "action", "enter", true));
    out.add(new Case("viewer", "action", "leave", true));
    out.add(new Case("viewer", "action", "", false));
    out.add(new Case("viewer", "action", "exit", false));
    out.add(new Case("viewer", "action", REMOVE, false));
    boundedString(out, "viewer", "source", 32, false);

    boundedString(out, "order", "order", 128, true);
    boundedString(out, "order", "user", 128, true);
    boundedString(out, "order", "sku", 128, true);
    out.add(new Case("order", "qty", 0, false));
    out.add(new Case("order", "qty", 1, true));
    out.add(new Case("order", "qty", 100_000, true));
    out.add(new Case("order", "qty", 100_001, false));
    out.add(new Case("order", "qty", "2", false));
    out.add(new Case("order", "qty", 1.5, false));
    out.add(new Case("order", "qty", REMOVE, true));
    amount(out, "order", false);
    optionalText(out, "order", "title", 200);
    boundedString(out, "order", "source", 32, false);

    boundedString(out, "refund", "order", 128, true);
    amount(out, "refund", true);
    boundedString(out, "refund", "refund", 128, false);

    // §8: every stats figure an integer >= 0; at least one of them.
    for (String f : new String[] {"online", "viewers", "likes", "comments", "follows", "shares", "exposures"}) {
      out.add(new Case("stats", f, 0, true));
      out.add(new Case("stats", f, Long.MAX_VALUE, true));
      out.add(new Case("stats", f, -1, false));
      out.add(new Case("stats", f, "5", false));
      out.add(new Case("stats", f, 1.5, false));
    }
    out.add(new Case("stats", "online", REMOVE, false));

    boundedString(out, "click", "user", 128, true);
    boundedString(out, "click", "sku", 128, true);

    optionalText(out, "room", "anchor", 200);
    optionalText(out, "room", "title", 200);
    optionalText(out, "room", "platform", 200);
    out.add(new Case("room", "status", "live", true));
    out.add(new Case("room", "status", "ended", true));
    out.add(new Case("room", "status", "", false));
    out.add(new Case("room", "status", "paused", false));
    out.add(new Case("room", "status", REMOVE, true));
    out.add(new Case("room", "viewerIdleMinutes", 0, true));
    out.add(new Case("room", "viewerIdleMinutes", 1440, true));
    out.add(new Case("room", "viewerIdleMinutes", -1, false));
    out.add(new Case("room", "viewerIdleMinutes", 1441, false));
    out.add(new Case("room", "viewerIdleMinutes", "5", false));
    out.add(new Case("room", "viewerIdleMinutes", REMOVE, true));
    // Contract §9: explain and mark.
    boundedString(out, "explain", "sku", 128, true);
    out.add(new Case("explain", "action", "start", true));
    out.add(new Case("explain", "action", "end", true));
    out.add(new Case("explain", "action", "", false));
    out.add(new Case("explain", "action", "pause", false));
    out.add(new Case("explain", "action", REMOVE, false));
    boundedString(out, "mark", "label", 200, true);
    boundedString(out, "mark", "kind", 32, false);
    // Issue 13's session target: an amount like an order's, and the show's planned length.
    out.add(new Case("room", "target", "0", true));
    out.add(new Case("room", "target", "1000000000", true));
    out.add(new Case("room", "target", "1000000000.01", false));
    out.add(new Case("room", "target", -1, false));
    out.add(new Case("room", "target", "", false));
    out.add(new Case("room", "target", "12.345", false));
    out.add(new Case("room", "target", REMOVE, true));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachFieldAtItsBounds(Case c) {
    JsonObject event = BASE.get(c.type()).copy();
    if (c.value() == REMOVE) {
      event.remove(c.field());
    } else {
      event.put(c.field(), c.value());
    }
    ParsedFrame frame = parser.parse(event.encode().getBytes(StandardCharsets.UTF_8));
    assertThat(frame.total()).isEqualTo(1);
    if (c.valid()) {
      assertThat(frame.errors()).as(event.encode()).isEmpty();
      assertThat(frame.events()).hasSize(1);
    } else {
      assertThat(frame.events()).as(event.encode()).isEmpty();
      String error = frame.errors().get(0).error();
      // The error names the event type and the field, so the producer knows what to fix.
      assertThat(error).startsWith(c.type() + ": ").contains(c.field());
    }
  }
}
