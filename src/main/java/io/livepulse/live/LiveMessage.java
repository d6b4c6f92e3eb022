package io.livepulse.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A {@code /live} message encoded once for every subscriber who gets it: its UTF-8 bytes, of which
 * each subscriber's frame carries all but the opening brace. Each subscriber's copy is its own {@code {"seq":n,} followed by those bytes, written
 * as a complete WebSocket text frame: 10,000 subscribers cost 10,000 small copies, not 10,000 string
 * concatenations, UTF-8 encodings and trips through Vert.x's and Netty's frame writers.
 */
final class LiveMessage {
  private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  /** FIN and the text opcode: the whole message in one frame. */
  private static final int FIN_TEXT = 0x81;

  private final String encoded;
  /** The whole message in UTF-8; its first byte is the opening brace, which {@link #SEQ} replaces. */
  private final byte[] utf8;

  private LiveMessage(String encoded) {
    if (encoded.length() < 2 || encoded.charAt(0) != '{' || encoded.charAt(1) == '}') {
      throw new IllegalArgumentException("a /live message is a non-empty JSON object");
    }
    this.encoded = encoded;
    this.utf8 = encoded.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code encoded}: a non-empty JSON object without a {@code seq}, which each subscriber's copy adds first. */
  static LiveMessage of(String encoded) {
    return new LiveMessage(encoded);
  }

  static LiveMessage of(JsonObject message) {
    return new LiveMessage(message.encode());
  }

  /** The message as one subscriber gets it (the text of {@link #frame}'s payload). */
  String text(long seq) {
    return LiveJson.withSeq(seq, encoded);
  }

  /** The payload's length in bytes for this sequence number. */
  int payloadLength(long seq) {
    return payloadLength(digits(seq));
  }

  private int payloadLength(int seqDigits) {
    return SEQ.length + seqDigits + 1 + utf8.length - 1;
  }

  /**
   * The complete, unmasked server-to-client text frame (RFC 6455 §5.2) carrying {@link #text}: what
   * Netty's frame encoder would write for it, built without it.
   */
  ByteBuf frame(ByteBufAllocator alloc, long seq) {
    int seqDigits = digits(seq);
    int length = payloadLength(seqDigits);
    int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf buf = alloc.directBuffer(header + length);
    buf.writeByte(FIN_TEXT);
    if (length <= 125) {
      buf.writeByte(length);
    } else if (length <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(length);
    } else {
      buf.writeByte(127);
      buf.writeLong(length);
    }
    buf.writeBytes(SEQ);
    writeDigits(buf, seq, seqDigits);
    buf.writeByte(',');
    buf.writeBytes(utf8, 1, utf8.length - 1);
    return buf;
  }

  private static int digits(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("seq " + n + " is negative");
    }
    int d = 1;
    for (long x = n; x >= 10; x /= 10) {
      d++;
    }
    return d;
  }

  private static void writeDigits(ByteBuf buf, long n, int d) {
    int at = buf.writerIndex();
    buf.writerIndex(at + d);
    for (int i = at + d - 1; i >= at; i--) {
      buf.setByte(i, '0' + (int) (n % 10));
      n /= 10;
    }
  }
}
