package io.livepulse.live;

import io.livepulse.metrics.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /live} connection. Every update gets the next sequence number. While the socket has not
 * yet taken what was written to it (more than {@code maxInFlightBytes} not yet accepted by the
 * kernel), a new update replaces the one already waiting (latest state wins): a slow reader sees a
 * jump in {@code seq} instead of a growing backlog, holds at most one pending update, and never slows
 * anyone else. A reader that stays blocked for {@code stuckAfterMs} is disconnected.
 */
final class LiveSubscriber {
  final ServerWebSocket ws;
  private final Metrics metrics;
  private final long stuckAfterMs;
  private final int maxInFlightBytes;
  private long seq;
  private boolean ready;
  private long inFlightBytes;
  private LiveMessage waiting;
  private long waitingSecond;
  private long blockedSinceMs = -1;
  private boolean closing;
  /** Events (alerts) are never replaced by a newer state: they wait in order, at most {@link #MAX_EVENTS}. */
  private final java.util.ArrayDeque<LiveMessage> events = new java.util.ArrayDeque<>();
  static final int MAX_EVENTS = 256;
  /**
   * Where this socket's complete frames are written: the context of Netty's WebSocket frame encoder,
   * so they skip the encoder and every handler above it and pass only those below it, nearer the
   * socket. Null when the socket is not Vert.x's or has no such encoder; then, and for a write from
   * another thread, a message goes through {@code writeTextMessage}.
   */
  private final ChannelHandlerContext frames;

  LiveSubscriber(ServerWebSocket ws, Metrics metrics, long stuckAfterMs, int maxInFlightBytes) {
    this.ws = ws;
    this.metrics = metrics;
    this.stuckAfterMs = stuckAfterMs;
    this.maxInFlightBytes = maxInFlightBytes;
    this.frames = ws instanceof WebSocketInternal internal
        ? internal.channelHandlerContext().pipeline().context(WebSocketFrameEncoder.class) : null;
  }

  /** The first message (snapshot or leaderboard): an update pushed before it is sent after it, if newer. */
  void first(LiveMessage encoded, long second) {
    // Taken out before writing: the write can complete at once and would send what waits, unnumbered.
    LiveMessage early = waiting;
    long earlySecond = waitingSecond;
    waiting = null;
    ready = true;
    write(++seq, encoded, -1);
    if (early != null && earlySecond > second) {
      push(early, earlySecond);
    }
  }

  void push(LiveMessage encoded, long second) {
    if (!ready) {
      waiting = encoded;
      waitingSecond = second;
      return;
    }
    if (blocked() || !events.isEmpty()) {
      // Its number is used up either way: a state it replaces shows as a jump in seq.
      seq++;
      waiting = encoded;
      waitingSecond = second;
      if (blocked()) {
        checkStuck();
      }
      return;
    }
    write(++seq, encoded, second);
  }

  /** Whether this subscriber's messages go out as complete frames (see {@link #frames}). */
  boolean writesFrames() {
    return frames != null;
  }

  private boolean blocked() {
    return inFlightBytes >= maxInFlightBytes;
  }

  /**
   * An event (an alert): unlike a state update it is not replaced by the next one; it goes out as soon
   * as the socket takes it, before any waiting state. A reader so slow that 256 wait loses the oldest.
   */
  void event(LiveMessage encoded) {
    if (closing) {
      return;
    }
    if (ready && !blocked() && events.isEmpty()) {
      write(++seq, encoded, -1);
      return;
    }
    if (events.size() >= MAX_EVENTS) {
      events.pollFirst();
    }
    events.addLast(encoded);
    if (blocked()) {
      checkStuck();
    }
  }

  private void writeWaiting() {
    while (!events.isEmpty() && ready && !blocked() && !closing) {
      write(++seq, events.pollFirst(), -1);
    }
    if (!events.isEmpty()) {
      return;
    }
    if (waiting != null && ready && !blocked() && !closing) {
      LiveMessage w = waiting;
      waiting = null;
      write(++seq, w, waitingSecond);
    }
  }

  private void write(long n, LiveMessage message, long second) {
    if (closing) {
      return;
    }
    blockedSinceMs = -1;
    if (frames != null && frames.executor().inEventLoop() && !ws.isClosed()) {
      ByteBuf frame = message.frame(frames.alloc(), n);
      int size = frame.readableBytes();
      inFlightBytes += size;
      frames.writeAndFlush(frame).addListener(f -> {
        inFlightBytes -= size;
        if (f.isSuccess()) {
          writeWaiting();
        }
      });
    } else {
      String text = message.text(n);
      long size = text.length();
      inFlightBytes += size;
      ws.writeTextMessage(text).onComplete(ar -> {
        inFlightBytes -= size;
        writeWaiting();
      });
    }
    if (second >= 0) {
      long lag = System.currentTimeMillis() - (second + 1) * 1000;
      metrics.tickLag().record(Math.max(0, lag), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Vert.x's close (and shutdown) write a close frame and start their timeout only once that frame is
   * written, which never happens for a reader that does not read, and a plain channel close is routed
   * through the same path; the connection would stay open for ever. So the socket is closed below
   * the pipeline, through Netty's unsafe close, reached via Vert.x's internal channel access.
   */
  private void forceClose() {
    if (ws instanceof WebSocketInternal internal) {
      Channel channel = internal.channelHandlerContext().channel();
      channel.eventLoop().execute(() -> channel.unsafe().close(channel.voidPromise()));
    } else {
      ws.close((short) 1008, "subscriber too slow; reconnect for a fresh snapshot");
    }
  }

  private void checkStuck() {
    long now = System.currentTimeMillis();
    if (blockedSinceMs < 0) {
      blockedSinceMs = now;
    } else if (!closing && now - blockedSinceMs > stuckAfterMs) {
      closing = true;
      waiting = null;
      forceClose();
    }
  }
}
