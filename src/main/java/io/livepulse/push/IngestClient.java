package io.livepulse.push;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Sends frames to {@code /ingest} with up to {@code window} frames awaiting their ack, optionally
 * paced (a due time per frame), and tallies the acks. Runs on one Vert.x context; the caller waits
 * for {@link #run}'s future.
 */
public final class IngestClient {
  public static final int MAX_ERRORS_KEPT = 20;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final IngestUrl url;
  private final String token;
  private final int window;
  private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
  private final KllDoublesSketch latencyMs = KllDoublesSketch.newHeapInstance();
  private final List<String> firstErrors = new ArrayList<>();
  private long framesSent;
  private long eventsSent;
  private long framesAcked;
  private long accepted;
  private long duplicates;
  private long rejected;
  private WebSocket socket;
  private Iterator<Frame> frames;
  private Frame waiting;
  private Promise<Void> done;
  private boolean timerSet;

  private record Sent(Frame frame, long sentNanos) {
  }

  public IngestClient(Vertx vertx, URI url, String token, int window) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
    this.url = IngestUrl.of(url);
    this.token = token;
    this.window = window;
  }

  public Future<Void> connect() {
    WebSocketConnectOptions options = url.options();
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    return client.connect(options).map(ws -> {
      socket = ws;
      ws.textMessageHandler(this::onAck);
      ws.closeHandler(v -> {
        if (done != null && !inFlight.isEmpty()) {
          done.tryFail("connection closed with " + inFlight.size() + " frames unacknowledged; they may or may not "
              + "be stored: run again, duplicates are safe");
        }
      });
      return null;
    }).<Void>mapEmpty().recover(err -> Future.failedFuture(url.explain(err)));
  }

  /** Sends every frame and completes once all are acknowledged. Must be called on the client's context. */
  public Future<Void> run(Iterator<Frame> source) {
    frames = source;
    done = Promise.promise();
    pump();
    return done.future();
  }

  private void pump() {
    long now = System.currentTimeMillis();
    while (inFlight.size() < window) {
      Frame f = waiting != null ? waiting : frames.hasNext() ? frames.next() : null;
      waiting = null;
      if (f == null) {
        break;
      }
      if (f.dueMillis() > now) {
        waiting = f;
        if (!timerSet) {
          timerSet = true;
          vertx.setTimer(Math.max(1, f.dueMillis() - now), id -> {
            timerSet = false;
            pump();
          });
        }
        return;
      }
      inFlight.add(new Sent(f, System.nanoTime()));
      framesSent++;
      eventsSent += f.events();
      socket.writeTextMessage(f.text());
    }
    if (inFlight.isEmpty() && waiting == null && !frames.hasNext()) {
      done.tryComplete();
    }
  }

  private void onAck(String text) {
    Sent s = inFlight.poll();
    if (s == null) {
      return;
    }
    latencyMs.update((System.nanoTime() - s.sentNanos()) / 1e6);
    JsonObject ack = new JsonObject(text);
    framesAcked++;
    accepted += ack.getLong("accepted", 0L);
    duplicates += ack.getLong("duplicates", 0L);
    rejected += ack.getLong("rejected", 0L);
    JsonArray errors = ack.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size() && firstErrors.size() < MAX_ERRORS_KEPT; i++) {
      JsonObject e = errors.getJsonObject(i);
      int index = e.getInteger("index");
      long record = index < s.frame().records().length ? s.frame().records()[index] : s.frame().records()[0];
      firstErrors.add(s.frame().source() + " record " + record + ": "
          + e.getString("error"));
    }
    pump();
  }

  public Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  /** A consistent view of the counters; call on the client's context. */
  public Stats stats() {
    return new Stats(framesSent, eventsSent, framesAcked, accepted, duplicates, rejected, inFlight.size(),
        List.copyOf(firstErrors), latencyMs.isEmpty() ? 0 : latencyMs.getQuantile(0.5),
        latencyMs.isEmpty() ? 0 : latencyMs.getQuantile(0.99), latencyMs.isEmpty() ? 0 : latencyMs.getMaxItem());
  }

  public record Stats(long framesSent, long eventsSent, long framesAcked, long accepted, long duplicates,
                      long rejected, int inFlight, List<String> firstErrors, double p50Ms, double p99Ms, double maxMs) {
  }
}
