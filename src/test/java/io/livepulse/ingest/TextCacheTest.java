package io.livepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser's cache of short repeated values: same text gives the same String, other text never does. */
class TextCacheTest {
  final TextCache cache = new TextCache();

  static char[] chars(String s) {
    return s.toCharArray();
  }

  @Test
  void aKeptValueIsFoundAsTheSameInstanceAtAnyOffset() {
    String room = new String("room-17");
    cache.keep(room);
    char[] buffer = "xxroom-17yy".toCharArray();
    assertThat(cache.find(buffer, 2, 7)).isSameAs(room);
    assertThat(cache.find(buffer, 2, 6)).isNull();
    assertThat(cache.find(buffer, 1, 7)).isNull();
  }

  @Test
  void equalHashesWithOtherTextAreMisses() {
    // "Aa" and "BB" share String.hashCode, so they share a slot and a hash: only the text tells them apart.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    cache.keep("Aa");
    assertThat(cache.find(chars("BB"), 0, 2)).isNull();
    cache.keep("BB");
    assertThat(cache.find(chars("BB"), 0, 2)).isEqualTo("BB");
    assertThat(cache.find(chars("Aa"), 0, 2)).isNull();
  }

  @Test
  void nonLatinTextAndTheEmptyStringAreCachedToo() {
    cache.keep("直播间");
    cache.keep("");
    assertThat(cache.find(chars("直播间"), 0, 3)).isEqualTo("直播间");
    assertThat(cache.find(new char[0], 0, 0)).isEqualTo("");
  }

  @Test
  void onlyValuesUpToTheMaximumLengthAreKept() {
    String longest = "r".repeat(TextCache.MAX_LENGTH);
    String tooLong = longest + "r";
    cache.keep(longest);
    cache.keep(tooLong);
    assertThat(cache.find(chars(longest), 0, longest.length())).isSameAs(longest);
    assertThat(cache.find(chars(tooLong), 0, tooLong.length())).isNull();
  }

  @Test
  void theParserGivesRepeatedRoomsTypesAndSourcesOneInstance() {
    FrameParser parser = new FrameParser(1 << 16, 100, () -> 1_763_800_000_000L);
    String frame = "[" + "{\"type\":\"viewer\",\"room\":\"r1\",\"user\":\"u1\",\"action\":\"enter\",\"source\":\"feed\"},"
        + "{\"type\":\"viewer\",\"room\":\"r1\",\"user\":\"u2\",\"action\":\"enter\",\"source\":\"feed\"}" + "]";
    List<Event> events = parser.parse(frame.getBytes(StandardCharsets.UTF_8)).events();
    assertThat(events).hasSize(2);
    assertThat(events.get(1).room).isSameAs(events.get(0).room).isEqualTo("r1");
    assertThat(events.get(1).source).isSameAs(events.get(0).source).isEqualTo("feed");
    assertThat(events.get(1).user).isEqualTo("u2");
    assertThat(events.get(0).user).isEqualTo("u1");
  }

  @Test
  void aCachedValueIsStillValidatedForTheFieldItArrivesIn() {
    // "a b" is a valid source (cached through that field) but never a valid room id.
    FrameParser parser = new FrameParser(1 << 16, 100, () -> 1_763_800_000_000L);
    String frame = "[{\"type\":\"viewer\",\"room\":\"r1\",\"user\":\"u1\",\"action\":\"enter\",\"source\":\"a b\"},"
        + "{\"type\":\"viewer\",\"room\":\"a b\",\"user\":\"u2\",\"action\":\"enter\"}]";
    ParsedFrame parsed = parser.parse(frame.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.events()).hasSize(1);
    assertThat(parsed.errors()).singleElement().satisfies(e -> {
      assertThat(e.index()).isEqualTo(1);
      assertThat(e.error()).isEqualTo("viewer: room must be 1-64 characters of A-Z a-z 0-9 _ . : -");
    });
  }

  @Test
  void aValueTheTextRuleRefusesIsNeverCached() {
    FrameParser parser = new FrameParser(1 << 16, 100, () -> 1_763_800_000_000L);
    String bad = "{\"type\":\"viewer\",\"room\":\"r1\",\"user\":\"u1\",\"action\":\"enter\",\"source\":\"x\\u0000\"}";
    String frame = "[" + bad + "," + bad + "]";
    ParsedFrame parsed = parser.parse(frame.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.events()).isEmpty();
    assertThat(parsed.errors()).extracting(EventError::error)
        .containsExactly("viewer: source must not contain the NUL character",
            "viewer: source must not contain the NUL character");
  }
}
