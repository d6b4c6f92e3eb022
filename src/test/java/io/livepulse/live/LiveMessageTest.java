package io.livepulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a subscriber's frame is built by hand, so it is read back by Netty's own client-side
 * frame decoder (RFC 6455), at the payload lengths where the header changes size.
 */
class LiveMessageTest {
  /** A message whose frame payload for {@code seq} is exactly {@code length} bytes. */
  static LiveMessage ofPayloadLength(int length, long seq) {
    String start = "{\"type\":\"tick\",\"pad\":\"";
    int fixed = "{\"seq\":".length() + Long.toString(seq).length() + 1 + start.length() - 1 + "\"}".length();
    return LiveMessage.of(start + "x".repeat(length - fixed) + "\"}");
  }

  static TextWebSocketFrame decode(ByteBuf frame) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    try {
      assertThat(client.writeInbound(frame)).isTrue();
      TextWebSocketFrame f = client.readInbound();
      assertThat(f.isFinalFragment()).isTrue();
      assertThat(f.rsv()).isZero();
      assertThat((Object) client.readInbound()).as("one frame, nothing left over").isNull();
      return f;
    } finally {
      client.finishAndReleaseAll();
    }
  }

  @ParameterizedTest
  @CsvSource({"125, 1", "126, 1", "127, 7", "65535, 42", "65536, 42", "200000, 9"})
  void aFrameAtEachHeaderSizeReadsBackAsTheMessage(int length, long seq) {
    LiveMessage m = ofPayloadLength(length, seq);
    assertThat(m.payloadLength(seq)).isEqualTo(length);
    ByteBuf frame = m.frame(ByteBufAllocator.DEFAULT, seq);
    int header = length <= 125 ? 2 : length <= 65535 ? 4 : 10;
    assertThat(frame.readableBytes()).isEqualTo(header + length);
    TextWebSocketFrame f = decode(frame);
    try {
      assertThat(f.text()).isEqualTo(m.text(seq));
      JsonObject json = new JsonObject(f.text());
      assertThat(json.getLong("seq")).isEqualTo(seq);
      assertThat(json.fieldNames()).containsExactly("seq", "type", "pad");
    } finally {
      f.release();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 9, 10, 99, 100, 1_000_000_007L, Long.MAX_VALUE})
  void everySequenceNumberIsWrittenInFull(long seq) {
    LiveMessage m = LiveMessage.of("{\"type\":\"tick\",\"room\":\"直播间-7\"}");
    TextWebSocketFrame f = decode(m.frame(ByteBufAllocator.DEFAULT, seq));
    try {
      assertThat(f.text()).isEqualTo("{\"seq\":" + seq + ",\"type\":\"tick\",\"room\":\"直播间-7\"}");
      assertThat(f.content().readableBytes()).isEqualTo(m.payloadLength(seq))
          .isEqualTo(f.text().getBytes(StandardCharsets.UTF_8).length);
    } finally {
      f.release();
    }
  }

  @Test
  void onlyANonEmptyObjectAndANonNegativeSeqMakeAMessage() {
    assertThatThrownBy(() -> LiveMessage.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiveMessage.of("{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiveMessage.of("[1]")).isInstanceOf(IllegalArgumentException.class);
    LiveMessage m = LiveMessage.of("{\"a\":1}");
    assertThatThrownBy(() -> m.frame(ByteBufAllocator.DEFAULT, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
