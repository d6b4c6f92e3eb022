package io.livepulse.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of ingest frames: valid events, broken events, and mutated or truncated frames. */
final class FrameFuzz {
  private FrameFuzz() {
  }

  static final long NOW = System.currentTimeMillis();

  static Arbitrary<JsonObject> validEvent(String room) {
    Arbitrary<String> user = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<JsonObject> viewer = Combinators.combine(user, Arbitraries.of("enter", "leave"))
        .as((u, a) -> new JsonObject().put("type", "viewer").put("room", room).put("user", u).put("action", a));
    Arbitrary<JsonObject> click = user.map(u -> new JsonObject().put("type", "click").put("room", room).put("user", u)
        .put("sku", "s"));
    Arbitrary<JsonObject> order = Combinators.combine(user, Arbitraries.integers().between(0, 999_999),
            Arbitraries.integers().between(1, 5))
        .as((u, cents, qty) -> new JsonObject().put("type", "order").put("room", room)
            .put("order", "f-" + u + "-" + cents).put("user", u).put("sku", "s" + (cents % 7)).put("qty", qty)
            .put("amount", java.math.BigDecimal.valueOf(cents, 2).toPlainString()));
    return Arbitraries.oneOf(viewer, click, order).map(e -> e.put("ts", NOW));
  }

  /** Values that break one rule or another: wrong types, huge numbers, NaN, odd unicode, nesting. */
  static Arbitrary<Object> hostileValue() {
    return Arbitraries.oneOf(
        Arbitraries.just("NaN"), Arbitraries.just("Infinity"), Arbitraries.just("-0.001"),
        Arbitraries.just("1e400"), Arbitraries.just("\u0000"), Arbitraries.just("\uD800"), Arbitraries.just("😀💥"),
        Arbitraries.just(""), Arbitraries.strings().ofMaxLength(300),
        Arbitraries.longs(), Arbitraries.doubles(), Arbitraries.just(Double.MAX_VALUE),
        Arbitraries.just(new JsonArray().add(1).add("x")), Arbitraries.just(new JsonObject().put("a", new JsonObject())),
        Arbitraries.just(true), Arbitraries.just((Object) null));
  }

  static Arbitrary<JsonObject> brokenEvent(String room) {
    Arbitrary<String> field = Arbitraries.of("type", "room", "user", "action", "order", "sku", "qty", "amount", "ts",
        "status", "title");
    return Combinators.combine(validEvent(room), field, hostileValue())
        .as((e, f, v) -> e.copy().put(f, v));
  }

  /** A frame and how many of its events are certainly valid (the rest may or may not be). */
  record Frame(String text, int events) {
  }

  static Arbitrary<String> mutatedFrame(String room) {
    Arbitrary<String> structured = Arbitraries.oneOf(validEvent(room), brokenEvent(room)).list().ofMinSize(1).ofMaxSize(30)
        .flatMap(list -> Arbitraries.of(0, 1, 2).map(format -> switch (format) {
          case 0 -> new JsonArray(new java.util.ArrayList<>(list)).encode();
          case 1 -> String.join("\n", list.stream().map(JsonObject::encode).toList());
          default -> list.get(0).encode();
        }));
    Arbitrary<String> truncated = structured.flatMap(s -> Arbitraries.integers().between(0, s.length())
        .map(cut -> s.substring(0, cut)));
    Arbitrary<String> deep = Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
    Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(500);
    Arbitrary<String> byteFlip = structured.flatMap(s -> Arbitraries.integers().between(0, Math.max(0, s.length() - 1))
        .flatMap(i -> Arbitraries.chars().map(c -> s.isEmpty() ? s : s.substring(0, i) + c + s.substring(i + 1))));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, structured), net.jqwik.api.Tuple.of(2, truncated), net.jqwik.api.Tuple.of(1, deep),
        net.jqwik.api.Tuple.of(1, garbage), net.jqwik.api.Tuple.of(2, byteFlip));
  }
}
