package io.livepulse.live;

import io.livepulse.metrics.Metrics;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /live} connection. Every update gets the next sequence number; an update that finds the
 * socket's write queue full replaces the one already waiting (latest state wins), so a slow reader
 * sees a jump in {@code seq} instead of a growing backlog, and never slows anyone else.
 */
final class LiveSubscriber {
  final ServerWebSocket ws;
  final String room;
  private final Metrics metrics;
  private final long stuckAfterMs;
  private long seq;
  private boolean ready;
  private String waiting;
  private long waitingSeq;
  private long waitingSecond;
  private long fullSinceMs = -1;

  LiveSubscriber(ServerWebSocket ws, String room, Metrics metrics, long stuckAfterMs, int writeQueueBytes) {
    this.ws = ws;
    this.room = room;
    this.metrics = metrics;
    this.stuckAfterMs = stuckAfterMs;
    ws.setWriteQueueMaxSize(writeQueueBytes);
    ws.drainHandler(v -> writeWaiting());
  }

  /** The first message (snapshot or leaderboard): an update pushed before it is sent after it, if newer. */
  void first(String encoded, long second) {
    ready = true;
    write(++seq, encoded, -1);
    if (waiting != null && waitingSecond > second) {
      waitingSeq = ++seq;
      writeWaiting();
    } else {
      waiting = null;
    }
  }

  void push(String encoded, long second) {
    if (!ready) {
      waiting = encoded;
      waitingSecond = second;
      return;
    }
    long n = ++seq;
    if (ws.writeQueueFull()) {
      waiting = encoded;
      waitingSeq = n;
      waitingSecond = second;
      checkStuck();
      return;
    }
    write(n, encoded, second);
  }

  private void writeWaiting() {
    if (waiting != null && ready && !ws.writeQueueFull()) {
      String w = waiting;
      waiting = null;
      write(waitingSeq, w, waitingSecond);
    }
  }

  private void write(long n, String encoded, long second) {
    fullSinceMs = -1;
    ws.writeTextMessage(LiveJson.withSeq(n, encoded));
    if (second >= 0) {
      long lag = System.currentTimeMillis() - (second + 1) * 1000;
      metrics.tickLag().record(Math.max(0, lag), TimeUnit.MILLISECONDS);
    }
  }

  /** A reader stuck for too long is disconnected; it resynchronises from a snapshot when it reconnects. */
  private void checkStuck() {
    long now = System.currentTimeMillis();
    if (fullSinceMs < 0) {
      fullSinceMs = now;
    } else if (ready && now - fullSinceMs > stuckAfterMs) {
      ws.close((short) 1008, "subscriber too slow; reconnect for a fresh snapshot");
    }
  }
}
