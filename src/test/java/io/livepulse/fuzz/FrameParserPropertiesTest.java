package io.livepulse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.ingest.EventError;
import io.livepulse.ingest.FrameParser;
import io.livepulse.ingest.ParsedFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The parser never throws, accounts for every event, and accepts exactly the valid ones. */
class FrameParserPropertiesTest {
  final FrameParser parser = new FrameParser(1 << 20, 10_000, System::currentTimeMillis);

  @Provide
  Arbitrary<String> frames() {
    return FrameFuzz.mutatedFrame("fuzz");
  }

  @Provide
  Arbitrary<List<JsonObject>> validEvents() {
    return FrameFuzz.validEvent("fuzz").list().ofMinSize(1).ofMaxSize(50);
  }

  @Property(tries = 3000)
  void anyFrameIsAccountedForWithoutThrowing(@ForAll("frames") String frame) {
    ParsedFrame parsed = parser.parse(frame.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.total()).isPositive();
    assertThat(parsed.events().size() + parsed.rejected()).isEqualTo(parsed.total());
    for (EventError e : parsed.errors()) {
      assertThat(e.index()).isBetween(0, parsed.total() - 1);
      assertThat(e.error()).matches("(event|frame|viewer|order|refund|click|room): .+");
    }
  }

  @Property(tries = 500)
  void validEventsAreAllAcceptedInEveryFormat(@ForAll("validEvents") List<JsonObject> events) {
    String array = new JsonArray(new java.util.ArrayList<>(events)).encode();
    String ndjson = String.join("\n", events.stream().map(JsonObject::encode).toList());
    for (String frame : List.of(array, ndjson)) {
      ParsedFrame parsed = parser.parse(frame.getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.events()).hasSize(events.size());
    }
  }

  @Property(tries = 300)
  void tenThousandEventArraysAreHandled(@ForAll("validEvents") List<JsonObject> seed) {
    JsonArray big = new JsonArray();
    for (int i = 0; i < 10_000; i++) {
      big.add(seed.get(i % seed.size()));
    }
    byte[] bytes = big.encode().getBytes(StandardCharsets.UTF_8);
    ParsedFrame parsed = new FrameParser(bytes.length, 10_000, System::currentTimeMillis).parse(bytes);
    assertThat(parsed.events()).hasSize(10_000);
    ParsedFrame over = new FrameParser(bytes.length, 9_999, System::currentTimeMillis).parse(bytes);
    assertThat(over.events()).isEmpty();
    assertThat(over.total()).isEqualTo(10_000);
  }
}
