package io.livepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameParserTest {
  static final long NOW = 1_763_800_000_000L;
  final FrameParser parser = new FrameParser(4096, 5, () -> NOW);

  ParsedFrame parse(String s) {
    return parser.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The single error of a one-event frame. */
  String errorOf(String event) {
    ParsedFrame f = parse(event);
    assertThat(f.events()).as("expected %s to be rejected", event).isEmpty();
    assertThat(f.errors()).hasSize(1);
    assertThat(f.errors().get(0).index()).isZero();
    return f.errors().get(0).error();
  }

  Event only(String event) {
    ParsedFrame f = parse(event);
    assertThat(f.errors()).as("errors of %s", event).isEmpty();
    assertThat(f.events()).hasSize(1);
    return f.events().get(0);
  }

  @Nested
  class CommonFields {
    @Test
    void typeIsRequiredAndMustBeKnown() {
      assertThat(errorOf("{\"room\":\"r1\"}")).isEqualTo("event: type is required, one of viewer, order, refund, click, room, stats, explain, mark");
      assertThat(errorOf("{\"type\":\"like\",\"room\":\"r1\"}")).isEqualTo("event: type must be one of viewer, order, refund, click, room, stats, explain, mark");
      assertThat(errorOf("{\"type\":7,\"room\":\"r1\"}")).isEqualTo("event: type must be one of viewer, order, refund, click, room, stats, explain, mark");
    }

    @Test
    void roomIsRequired() {
      assertThat(errorOf("{\"type\":\"click\",\"user\":\"u\",\"sku\":\"s\"}")).isEqualTo("click: room is required");
    }

    @ParameterizedTest
    @CsvSource({"''", "'has space'", "'a/b'", "'é'",
        "'01234567890123456789012345678901234567890123456789012345678901234'"})
    void roomMustUseTheAllowedCharactersAndLength(String room) {
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"" + room + "\",\"user\":\"u\",\"sku\":\"s\"}"))
          .isEqualTo("click: room must be 1-64 characters of A-Z a-z 0-9 _ . : -");
    }

    @Test
    void roomAcceptsEveryAllowedCharacterUpTo64() {
      String room = "Az09_.:-" + "x".repeat(56);
      assertThat(only("{\"type\":\"click\",\"room\":\"" + room + "\",\"user\":\"u\",\"sku\":\"s\"}").room).isEqualTo(room);
    }

    @Test
    void tsDefaultsToServerTimeAndMustBeWithin24Hours() {
      assertThat(only("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\"}").ts).isEqualTo(NOW);
      long day = 24L * 3600 * 1000;
      assertThat(only("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"ts\":" + (NOW - day) + "}").ts)
          .isEqualTo(NOW - day);
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"ts\":" + (NOW + day + 1) + "}"))
          .isEqualTo("click: ts must be within 24 h of server time (epoch milliseconds)");
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"ts\":\"" + NOW + "\"}"))
          .isEqualTo("click: ts must be an integer (epoch milliseconds)");
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"ts\":1.5}"))
          .isEqualTo("click: ts must be an integer (epoch milliseconds)");
    }

    @Test
    void stringFieldsMustBeStringsWithoutNul() {
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":5,\"sku\":\"s\"}")).isEqualTo("click: user must be a string");
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":{\"a\":1},\"sku\":\"s\"}")).isEqualTo("click: user must be a string");
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"a\\u0000b\",\"sku\":\"s\"}"))
          .isEqualTo("click: user must not contain the NUL character");
    }

    @Test
    void unknownFieldsAndNullsAreIgnored() {
      Event e = only("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"extra\":{\"deep\":[1,2]},\"ts\":null}");
      assertThat(e.ts).isEqualTo(NOW);
    }
  }

  @Nested
  class Viewer {
    @Test
    void valid() {
      Event e = only("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"u1\",\"action\":\"enter\",\"source\":\"follow\"}");
      assertThat(e.type).isEqualTo(EventType.VIEWER);
      assertThat(e.enter).isTrue();
      assertThat(e.source).isEqualTo("follow");
      assertThat(only("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"u1\",\"action\":\"leave\"}").enter).isFalse();
    }

    @Test
    void rules() {
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"action\":\"enter\"}")).isEqualTo("viewer: user is required");
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"\",\"action\":\"enter\"}")).isEqualTo("viewer: user must be 1-128 characters");
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"" + "u".repeat(129) + "\",\"action\":\"enter\"}"))
          .isEqualTo("viewer: user must be 1-128 characters");
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"u\"}")).isEqualTo("viewer: action is required, enter or leave");
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"u\",\"action\":\"stay\"}")).isEqualTo("viewer: action must be enter or leave");
      assertThat(errorOf("{\"type\":\"viewer\",\"room\":\"r\",\"user\":\"u\",\"action\":\"enter\",\"source\":\"" + "s".repeat(33) + "\"}"))
          .isEqualTo("viewer: source must be 1-32 characters");
    }
  }

  @Nested
  class Order {
    String order(String fields) {
      return "{\"type\":\"order\",\"room\":\"r\",\"order\":\"o1\",\"user\":\"u\",\"sku\":\"s\"" + fields + "}";
    }

    @Test
    void valid() {
      Event e = only(order(",\"amount\":\"1299.5\",\"qty\":2,\"title\":\"Door lock\",\"source\":\"ads\""));
      assertThat(e.amountCents).isEqualTo(129_950);
      assertThat(e.qty).isEqualTo(2);
      assertThat(e.title).isEqualTo("Door lock");
      assertThat(only(order(",\"amount\":0")).amountCents).isZero();
      assertThat(only(order(",\"amount\":19.99")).qty).as("qty defaults to 1").isEqualTo(1);
      assertThat(only(order(",\"amount\":1000000000")).amountCents).isEqualTo(100_000_000_000L);
      assertThat(only(order(",\"amount\":1.50")).amountCents).isEqualTo(150);
      assertThat(only(order(",\"amount\":2.500")).amountCents).as("trailing zeros are not decimals").isEqualTo(250);
    }

    @Test
    void requiredFields() {
      assertThat(errorOf("{\"type\":\"order\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\",\"amount\":1}")).isEqualTo("order: order is required");
      assertThat(errorOf("{\"type\":\"order\",\"room\":\"r\",\"order\":\"o\",\"sku\":\"s\",\"amount\":1}")).isEqualTo("order: user is required");
      assertThat(errorOf("{\"type\":\"order\",\"room\":\"r\",\"order\":\"o\",\"user\":\"u\",\"amount\":1}")).isEqualTo("order: sku is required");
      assertThat(errorOf(order(""))).isEqualTo("order: amount is required");
      assertThat(errorOf("{\"type\":\"order\",\"room\":\"r\",\"order\":\"" + "o".repeat(129) + "\",\"user\":\"u\",\"sku\":\"s\",\"amount\":1}"))
          .isEqualTo("order: order must be 1-128 characters");
    }

    @Test
    void amountRules() {
      assertThat(errorOf(order(",\"amount\":-0.01"))).isEqualTo("order: amount must be >= 0");
      assertThat(errorOf(order(",\"amount\":1.001"))).isEqualTo("order: amount must have at most 2 decimals");
      assertThat(errorOf(order(",\"amount\":1000000000.01"))).isEqualTo("order: amount must be at most 1000000000");
      assertThat(errorOf(order(",\"amount\":\"abc\""))).isEqualTo("order: amount must be a number");
      assertThat(errorOf(order(",\"amount\":\"NaN\""))).isEqualTo("order: amount must be a number");
      assertThat(errorOf(order(",\"amount\":true"))).isEqualTo("order: amount must be a number or a numeric string");
      assertThat(errorOf(order(",\"amount\":1e400"))).isEqualTo("order: amount must be a number written with ASCII digits 0-9 and at most one '.'");
    }

    @Test
    void qtyTitleSource() {
      assertThat(errorOf(order(",\"amount\":1,\"qty\":0"))).isEqualTo("order: qty must be an integer from 1 to 100000");
      assertThat(errorOf(order(",\"amount\":1,\"qty\":100001"))).isEqualTo("order: qty must be an integer from 1 to 100000");
      assertThat(errorOf(order(",\"amount\":1,\"qty\":1.5"))).isEqualTo("order: qty must be an integer from 1 to 100000");
      assertThat(errorOf(order(",\"amount\":1,\"qty\":\"2\""))).isEqualTo("order: qty must be an integer from 1 to 100000");
      assertThat(errorOf(order(",\"amount\":1,\"title\":\"" + "t".repeat(201) + "\""))).isEqualTo("order: title must be at most 200 characters");
      assertThat(only(order(",\"amount\":1,\"title\":\"" + "t".repeat(200) + "\"")).title).hasSize(200);
      assertThat(only(order(",\"amount\":1,\"qty\":100000")).qty).isEqualTo(100000);
    }
  }

  @Test
  void refundRules() {
    assertThat(only("{\"type\":\"refund\",\"room\":\"r\",\"order\":\"o1\",\"amount\":\"10.5\"}").amountCents).isEqualTo(1050);
    assertThat(errorOf("{\"type\":\"refund\",\"room\":\"r\",\"amount\":1}")).isEqualTo("refund: order is required");
    assertThat(errorOf("{\"type\":\"refund\",\"room\":\"r\",\"order\":\"o1\"}")).isEqualTo("refund: amount is required");
    assertThat(errorOf("{\"type\":\"refund\",\"room\":\"r\",\"order\":\"o1\",\"amount\":0}")).isEqualTo("refund: amount must be > 0");
    assertThat(errorOf("{\"type\":\"refund\",\"room\":\"r\",\"order\":\"o1\",\"amount\":0.005}")).isEqualTo("refund: amount must have at most 2 decimals");
  }

  @Test
  void clickRules() {
    assertThat(only("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\"}").sku).isEqualTo("s");
    assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"sku\":\"s\"}")).isEqualTo("click: user is required");
    assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\"}")).isEqualTo("click: sku is required");
  }

  @Test
  void roomRules() {
    Event e = only("{\"type\":\"room\",\"room\":\"r\",\"anchor\":\"Li\",\"title\":\"Big sale\",\"platform\":\"douyin\",\"status\":\"live\"}");
    assertThat(e.anchor).isEqualTo("Li");
    assertThat(e.platform).isEqualTo("douyin");
    assertThat(e.status).isEqualTo("live");
    assertThat(only("{\"type\":\"room\",\"room\":\"r\"}").status).isNull();
    assertThat(errorOf("{\"type\":\"room\",\"room\":\"r\",\"status\":\"paused\"}")).isEqualTo("room: status must be live or ended");
    assertThat(errorOf("{\"type\":\"room\",\"room\":\"r\",\"anchor\":\"" + "a".repeat(201) + "\"}")).isEqualTo("room: anchor must be at most 200 characters");
  }

  @Nested
  class Frames {
    static final String CLICK = "{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\"}";
    static final String BAD = "{\"type\":\"click\",\"room\":\"r\"}";

    @Test
    void arrayKeepsPositionsAndOneBadEventRejectsOnlyItself() {
      ParsedFrame f = parse("[" + CLICK + "," + BAD + ",42," + CLICK + "]");
      assertThat(f.total()).isEqualTo(4);
      assertThat(f.events()).hasSize(2);
      assertThat(List.of(f.index(0), f.index(1))).containsExactly(0, 3);
      assertThat(f.errors()).extracting(EventError::index).containsExactly(1, 2);
      assertThat(f.errors().get(1).error()).isEqualTo("event: must be a JSON object");
    }

    @Test
    void ndjsonCountsNonBlankLinesAndSurvivesABrokenLine() {
      ParsedFrame f = parse(CLICK + "\n\n{not json\r\n" + CLICK + "\n");
      assertThat(f.total()).isEqualTo(3);
      assertThat(f.events()).hasSize(2);
      assertThat(f.errors()).hasSize(1);
      assertThat(f.errors().get(0).index()).isEqualTo(1);
      assertThat(f.errors().get(0).error()).startsWith("event: not valid JSON");
    }

    @Test
    void prettyPrintedSingleObject() {
      ParsedFrame f = parse("{\n  \"type\": \"click\",\n  \"room\": \"r\",\n  \"user\": \"u\",\n  \"sku\": \"s\"\n}\n");
      assertThat(f.events()).hasSize(1);
      assertThat(f.total()).isEqualTo(1);
    }

    @Test
    void notJsonAtAllIsOneRejectedEventAtIndexZero() {
      ParsedFrame f = parse("hello");
      assertThat(f.total()).isEqualTo(1);
      assertThat(f.errors()).singleElement().satisfies(e -> {
        assertThat(e.index()).isZero();
        assertThat(e.error()).startsWith("frame: not valid JSON");
      });
      assertThat(parse("   ").errors().get(0).error()).startsWith("frame: empty");
      assertThat(parse("[" + CLICK + ",").errors().get(0).error()).startsWith("frame: not valid JSON");
      assertThat(parse("[" + CLICK + ",").events()).isEmpty();
    }

    @Test
    void eventLimitRejectsTheWholeFrameCountingItsEvents() {
      String six = "[" + String.join(",", List.of(CLICK, CLICK, CLICK, CLICK, CLICK, CLICK)) + "]";
      ParsedFrame f = parse(six);
      assertThat(f.events()).isEmpty();
      assertThat(f.total()).isEqualTo(6);
      assertThat(f.errors().get(0).error()).isEqualTo("frame: 6 events exceed the limit of 5 events per frame");
      String lines = String.join("\n", List.of(CLICK, CLICK, CLICK, CLICK, CLICK, CLICK, CLICK));
      assertThat(parse(lines).total()).isEqualTo(7);
      assertThat(parse(lines).errors().get(0).error()).isEqualTo("frame: 7 events exceed the limit of 5 events per frame");
    }

    @Test
    void sizeLimit() {
      String big = "[" + CLICK + ",\"" + "x".repeat(5000) + "\"]";
      ParsedFrame f = parse(big);
      assertThat(f.events()).isEmpty();
      assertThat(f.errors().get(0).error()).isEqualTo("frame: " + big.length() + " bytes exceeds the limit of 4096 bytes per frame");
    }

    @Test
    void deepNestingIsRejectedNotThrown() {
      String deep = "[" + "[".repeat(500) + "]".repeat(500) + "]";
      ParsedFrame f = parse(deep);
      assertThat(f.events()).isEmpty();
      assertThat(f.errors()).isNotEmpty();
    }
  }

  @Nested
  class TextThatIsNotWhatItSeems {
    static final String CLICK = "{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"sku\":\"s\"}";

    @Test
    void loneSurrogatesAreRefusedPairsAreKept() {
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"\\ud800\",\"sku\":\"s\"}"))
          .isEqualTo("click: user must be valid Unicode (a lone UTF-16 surrogate at character 0)");
      assertThat(errorOf("{\"type\":\"click\",\"room\":\"r\",\"user\":\"a\\udc00\",\"sku\":\"s\"}"))
          .isEqualTo("click: user must be valid Unicode (a lone UTF-16 surrogate at character 1)");
      assertThat(only("{\"type\":\"click\",\"room\":\"r\",\"user\":\"\\ud83d\\ude00\",\"sku\":\"s\"}").user)
          .isEqualTo("\ud83d\ude00");
    }

    @Test
    void aKeyGivenTwiceRejectsTheEventOnly() {
      ParsedFrame f = parse("[" + CLICK + ",{\"type\":\"click\",\"room\":\"r\",\"user\":\"u\",\"user\":\"v\",\"sku\":\"s\"}]");
      assertThat(f.events()).hasSize(1);
      assertThat(f.errors()).containsExactly(new EventError(1, "click: user is given twice in one event"));
    }

    @Test
    void aByteOrderMarkBeforeAnArrayIsSkipped() {
      byte[] body = ("\uFEFF[" + CLICK + "," + CLICK + "]").getBytes(StandardCharsets.UTF_8);
      ParsedFrame f = parser.parse(body);
      assertThat(f.errors()).isEmpty();
      assertThat(f.events()).hasSize(2);
    }

    @Test
    void overlongUtf8IsRefused() {
      // "u" written as the overlong two-byte form C1 B5 inside the user id.
      byte[] good = CLICK.getBytes(StandardCharsets.UTF_8);
      byte[] bad = new byte[good.length + 1];
      int at = CLICK.indexOf("\"u\",") + 1;
      System.arraycopy(good, 0, bad, 0, at);
      bad[at] = (byte) 0xC1;
      bad[at + 1] = (byte) 0xB5;
      System.arraycopy(good, at + 1, bad, at + 2, good.length - at - 1);
      ParsedFrame single = parser.parse(bad);
      assertThat(single.events()).isEmpty();
      assertThat(single.errors().get(0).error()).startsWith("frame: not valid UTF-8 at byte " + at);

      byte[] lines = (CLICK + "\n").getBytes(StandardCharsets.UTF_8);
      byte[] ndjson = new byte[lines.length + bad.length];
      System.arraycopy(lines, 0, ndjson, 0, lines.length);
      System.arraycopy(bad, 0, ndjson, lines.length, bad.length);
      ParsedFrame f = parser.parse(ndjson);
      assertThat(f.events()).hasSize(1);
      assertThat(f.errors()).containsExactly(new EventError(1, "event: not valid UTF-8 at byte " + at + " of its line"));
    }

    @Test
    void encodedSurrogatesAndCodePointsAboveUnicodeAreRefused() {
      assertThat(Utf8.firstInvalid(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 4)).isEqualTo(1);
      assertThat(Utf8.firstInvalid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4)).isZero();
      assertThat(Utf8.firstInvalid(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, 0, 3)).isZero();
      assertThat(Utf8.firstInvalid("ä€😀".getBytes(StandardCharsets.UTF_8), 0, 9)).isEqualTo(-1);
    }
  }
}
