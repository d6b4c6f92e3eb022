package io.livepulse.ingest;

import io.livepulse.access.Grant;
import io.livepulse.metrics.Metrics;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One producer's {@code /ingest} connection. Frames are processed concurrently (so a producer can
 * pipeline) but acknowledged strictly in order, each only once its orders are committed. When too many
 * frames are in flight, or the producer does not read its acks, the socket stops being read: the
 * producer is slowed down, never dropped.
 */
public final class IngestConnection {
  static final int MAX_IN_FLIGHT = 64;

  private final ServerWebSocket ws;
  private final IngestPipeline pipeline;
  private final Metrics metrics;
  private final Grant grant;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long frames;
  private Buffer assembling;
  private long assembledBytes;
  private boolean paused;
  private boolean closed;
  private Promise<Void> drained;

  private static final class Pending {
    final long number;
    final long receivedNanos;
    FrameResult result;

    Pending(long number) {
      this.number = number;
      this.receivedNanos = System.nanoTime();
    }
  }

  private final RateLimit rateLimit;

  public IngestConnection(ServerWebSocket ws, IngestPipeline pipeline, Metrics metrics, Grant grant,
                          int eventsPerSecond) {
    this.rateLimit = new RateLimit(eventsPerSecond, System.nanoTime());
    this.ws = ws;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.grant = grant;
  }

  /** @param onClose called once the socket is closed, after the connection's own bookkeeping */
  public IngestConnection start(Runnable onClose) {
    metrics.ingestConnections().incrementAndGet();
    ws.frameHandler(this::onFrame);
    ws.drainHandler(v -> updateFlow());
    ws.closeHandler(v -> {
      closed = true;
      metrics.ingestConnections().decrementAndGet();
      completeDrainIfIdle();
      onClose.run();
    });
    return this;
  }

  /** Assembles fragmented messages ourselves so an over-limit frame gets an error ack, not a closed socket. */
  private void onFrame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      assembling = null;
      assembledBytes = 0;
    } else if (!frame.isContinuation()) {
      return;
    }
    Buffer data = frame.binaryData();
    assembledBytes += data.length();
    if (assembledBytes <= pipeline.maxFrameBytes()) {
      if (frame.isFinal() && assembling == null) {
        // A whole message in one frame, the usual case: parsed from the frame's own heap bytes (Vert.x
        // copied them off the socket's pooled buffer already), without a copy of our own.
        ByteBuf bytes = ((BufferInternal) data).getByteBuf();
        if (bytes.hasArray()) {
          onMessage(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes(), assembledBytes);
        } else {
          byte[] copy = data.getBytes();
          onMessage(copy, 0, copy.length, assembledBytes);
        }
        return;
      }
      if (assembling == null) {
        assembling = Buffer.buffer((int) Math.min(assembledBytes * 2, pipeline.maxFrameBytes()));
      }
      assembling.appendBuffer(data);
    } else {
      assembling = null;
    }
    if (frame.isFinal()) {
      byte[] message = assembling != null ? assembling.getBytes() : null;
      assembling = null;
      onMessage(message, 0, message != null ? message.length : 0, assembledBytes);
    }
  }

  private void onMessage(byte[] message, int offset, int length, long size) {
    Pending p = new Pending(++frames);
    pending.add(p);
    if (message == null) {
      p.result = FrameResult.rejectAll(1, FrameParser.frameTooLarge(size, pipeline.maxFrameBytes()));
      metrics.rejectedUnreadable(1);
      flush();
      return;
    }
    pipeline.process(message, offset, length, grant, rateLimit).onComplete(ar -> {
      p.result = ar.succeeded() ? ar.result()
          : FrameResult.rejectAll(1, "frame: internal error (" + ar.cause().getMessage() + ")");
      flush();
    });
    updateFlow();
  }

  /** Sends every ack whose frame and all frames before it are done; forwards their events first. */
  private void flush() {
    while (!pending.isEmpty() && pending.peek().result != null) {
      Pending p = pending.poll();
      // Forward even when the socket is gone: committed orders must reach the totals.
      pipeline.forward(p.result);
      if (!closed) {
        ws.writeTextMessage(p.result.toAck(p.number));
        metrics.ackLatency().record(System.nanoTime() - p.receivedNanos, TimeUnit.NANOSECONDS);
      }
    }
    updateFlow();
    completeDrainIfIdle();
  }

  private void updateFlow() {
    if (closed) {
      return;
    }
    boolean stop = drained != null || pending.size() >= MAX_IN_FLIGHT || ws.writeQueueFull();
    if (stop && !paused) {
      ws.pause();
      paused = true;
    } else if (!stop && paused && pending.size() <= MAX_IN_FLIGHT / 2) {
      ws.resume();
      paused = false;
    }
  }

  /** Graceful stop: read no more frames, ack every frame already received, then close (1001). */
  public Future<Void> drainAndClose() {
    if (drained == null) {
      drained = Promise.promise();
      updateFlow();
      completeDrainIfIdle();
    }
    return drained.future();
  }

  private void completeDrainIfIdle() {
    if (drained != null && pending.isEmpty()) {
      if (!closed) {
        ws.close((short) 1001, "server shutting down").onComplete(ar -> drained.tryComplete());
      } else {
        drained.tryComplete();
      }
    }
  }
}
