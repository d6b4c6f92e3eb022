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
 *
 * <p>With several URLs (the nodes of a cluster) it fails over: a lost connection is replaced by one
 * to the next URL, and the frames it had not acknowledged are sent again there. Events whose ack says
 * they were not stored, or (for orders, and refunds with an id, whose copies are duplicates) that
 * nobody knows whether they were, are sent again too, at most {@link #MAX_ATTEMPTS} times.
 */
public final class IngestClient {
  public static final int MAX_ERRORS_KEPT = 20;
  static final int MAX_ATTEMPTS = 5;
  /** How long failing over may take before the run gives up. */
  static final long FAILOVER_FOR_MS = 60_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<IngestUrl> urls;
  private int current;
  private final ArrayDeque<Frame> resend = new ArrayDeque<>();
  private final java.util.Map<Frame, Integer> attempts = new java.util.IdentityHashMap<>();
  private long failovers;
  private long resent;
  private boolean failingOver;
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
    this(vertx, List.of(url), token, window);
  }

  public IngestClient(Vertx vertx, List<URI> urls, String token, int window) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
    this.urls = urls.stream().map(IngestUrl::of).toList();
    this.token = token;
    this.window = window;
  }

  public Future<Void> connect() {
    IngestUrl url = urls.get(current % urls.size());
    WebSocketConnectOptions options = url.options();
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    return client.connect(options).map(ws -> {
      socket = ws;
      ws.textMessageHandler(this::onAck);
      ws.closeHandler(v -> onClosed(ws));
      return null;
    }).<Void>mapEmpty().recover(err -> Future.failedFuture(url.explain(err)));
  }

  private void onClosed(WebSocket ws) {
    if (ws != socket || done == null || done.future().isComplete()) {
      return;
    }
    if (urls.size() == 1) {
      if (!inFlight.isEmpty()) {
        done.tryFail("connection closed with " + inFlight.size() + " frames unacknowledged; they may or may not "
            + "be stored: run again, duplicates are safe");
      }
      return;
    }
    // Unacknowledged frames go again, first and in order, to the next node.
    List<Sent> lost = new ArrayList<>(inFlight);
    inFlight.clear();
    for (int i = lost.size() - 1; i >= 0; i--) {
      resend.addFirst(lost.get(i).frame());
    }
    failovers++;
    failingOver = true;
    failover(System.currentTimeMillis() + FAILOVER_FOR_MS);
  }

  private void failover(long deadline) {
    current++;
    connect().onSuccess(v -> {
      failingOver = false;
      pump();
    }).onFailure(err -> {
      if (System.currentTimeMillis() > deadline) {
        done.tryFail("no server of " + urls.size() + " answered for " + FAILOVER_FOR_MS / 1000 + " s: "
            + err.getMessage());
      } else {
        vertx.setTimer(500, id -> failover(deadline));
      }
    });
  }

  /** Sends every frame and completes once all are acknowledged. Must be called on the client's context. */
  public Future<Void> run(Iterator<Frame> source) {
    frames = source;
    done = Promise.promise();
    pump();
    return done.future();
  }

  private void pump() {
    if (failingOver) {
      return;
    }
    long now = System.currentTimeMillis();
    while (inFlight.size() < window) {
      // Frames to send again first (they are due already), then the source's, each when due.
      Frame f = resend.poll();
      if (f == null) {
        f = waiting != null ? waiting : frames.hasNext() ? frames.next() : null;
        waiting = null;
      }
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
    if (inFlight.isEmpty() && waiting == null && resend.isEmpty() && !frames.hasNext()) {
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
    errors = retryWhatWasNotStored(s.frame(), errors);
    for (int i = 0; i < errors.size() && firstErrors.size() < MAX_ERRORS_KEPT; i++) {
      JsonObject e = errors.getJsonObject(i);
      int index = e.getInteger("index");
      long record = index < s.frame().records().length ? s.frame().records()[index] : s.frame().records()[0];
      firstErrors.add(s.frame().source() + " record " + record + ": "
          + e.getString("error"));
    }
    pump();
  }

  /**
   * Events of {@code frame} the server did not store (or cannot say, for events whose copies are
   * duplicates) go out again in a frame of their own; returns the errors that stand.
   */
  private JsonArray retryWhatWasNotStored(Frame frame, JsonArray errors) {
    int tries = attempts.getOrDefault(frame, 1);
    if (errors.isEmpty() || tries >= MAX_ATTEMPTS) {
      attempts.remove(frame);
      return errors;
    }
    String[] lines = frame.text().split("\n", -1);
    JsonArray standing = new JsonArray();
    StringBuilder text = new StringBuilder();
    List<Long> records = new ArrayList<>();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      int index = e.getInteger("index");
      String error = e.getString("error", "");
      if (index < lines.length && (error.contains("nothing stored") || error.contains("whether it was stored is unknown")
          && idempotent(lines[index]))) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(lines[index]);
        records.add(frame.records()[Math.min(index, frame.records().length - 1)]);
      } else {
        standing.add(e);
      }
    }
    attempts.remove(frame);
    if (!records.isEmpty()) {
      Frame again = new Frame(text.toString(), frame.source(), records.stream().mapToLong(Long::longValue).toArray(), 0);
      attempts.put(again, tries + 1);
      resend.add(again);
      resent += records.size();
      // Counted when their final answer comes.
      rejected -= records.size();
    }
    return standing;
  }

  /** Orders, and refunds with an id: a copy of one already stored is a duplicate, so re-sending is safe. */
  private static boolean idempotent(String line) {
    try {
      JsonObject e = new JsonObject(line);
      return "order".equals(e.getString("type")) || "refund".equals(e.getString("type")) && e.containsKey("refund");
    } catch (RuntimeException ex) {
      return false;
    }
  }

  public Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  /** A consistent view of the counters; call on the client's context. */
  public Stats stats() {
    return new Stats(framesSent, eventsSent, framesAcked, accepted, duplicates, rejected, inFlight.size(),
        List.copyOf(firstErrors), latencyMs.isEmpty() ? 0 : latencyMs.getQuantile(0.5),
        latencyMs.isEmpty() ? 0 : latencyMs.getQuantile(0.99), latencyMs.isEmpty() ? 0 : latencyMs.getMaxItem(),
        failovers, resent);
  }

  /** {@code eventsSent} counts events re-sent again; accepted + duplicates + rejected counts each event once. */
  public record Stats(long framesSent, long eventsSent, long framesAcked, long accepted, long duplicates,
                      long rejected, int inFlight, List<String> firstErrors, double p50Ms, double p99Ms, double maxMs,
                      long failovers, long resent) {
  }
}
