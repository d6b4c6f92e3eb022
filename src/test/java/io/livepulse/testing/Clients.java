package io.livepulse.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Real HTTP and WebSocket clients for tests; kept in fields so their pools live as long as the test. */
public final class Clients implements AutoCloseable {
  public static final long WAIT_SECONDS = 20;

  private final Vertx vertx = Vertx.vertx();
  private final java.net.http.HttpClient jdkHttp = java.net.http.HttpClient.newHttpClient();
  private final WebSocketClient ws = vertx.createWebSocketClient(
      new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(20_000));
  private final int port;

  public Clients(int port) {
    this.port = port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Response get(String path) {
    return request(HttpMethod.GET, path, null);
  }

  public Response post(String path, String body) {
    return request(HttpMethod.POST, path, body);
  }

  /** Plain blocking HTTP from the test thread (the JDK's client): simple, and a different client than ours. */
  public Response request(HttpMethod method, String path, String body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(WAIT_SECONDS))
        .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> res = jdkHttp.send(req.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(res.statusCode(), res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A producer: sends frames and returns each frame's ack, matched by order. */
  public Producer producer() {
    // Handlers are set before connecting, so not even a message that follows the upgrade is missed.
    ClientWebSocket socket = ws.webSocket();
    Producer producer = new Producer(socket);
    socket.connect(port, "127.0.0.1", "/ingest").timeout(WAIT_SECONDS, TimeUnit.SECONDS).await();
    return producer;
  }

  public Future<WebSocket> connect(WebSocketConnectOptions options) {
    return ws.connect(options.setHost("127.0.0.1").setPort(port));
  }

  /** A /live subscriber that records every message. */
  public Subscriber subscribe(String uri) {
    ClientWebSocket socket = ws.webSocket();
    Subscriber subscriber = new Subscriber(socket);
    socket.connect(port, "127.0.0.1", uri).timeout(WAIT_SECONDS, TimeUnit.SECONDS).await();
    return subscriber;
  }

  public final class Producer implements AutoCloseable {
    private final ClientWebSocket socket;
    private final ArrayDeque<Promise<JsonObject>> waiting = new ArrayDeque<>();

    Producer(ClientWebSocket socket) {
      this.socket = socket;
      socket.closeHandler(v -> {
        List<Promise<JsonObject>> lost;
        synchronized (waiting) {
          lost = new ArrayList<>(waiting);
          waiting.clear();
        }
        lost.forEach(p -> p.tryFail("connection closed before the ack"));
      });
      socket.textMessageHandler(text -> {
        Promise<JsonObject> p;
        synchronized (waiting) {
          p = waiting.poll();
        }
        if (p != null) {
          p.complete(new JsonObject(text));
        }
      });
    }

    public Future<JsonObject> sendAsync(String frame) {
      Promise<JsonObject> p = Promise.promise();
      synchronized (waiting) {
        waiting.add(p);
      }
      socket.writeTextMessage(frame);
      return p.future();
    }

    public JsonObject send(String frame) {
      return sendAsync(frame).timeout(WAIT_SECONDS, TimeUnit.SECONDS).await();
    }

    public WebSocket socket() {
      return socket;
    }

    @Override
    public void close() {
      socket.close().await();
    }
  }

  public final class Subscriber implements AutoCloseable {
    private final ClientWebSocket socket;
    private final List<JsonObject> received = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<JsonObject> test, Promise<JsonObject> promise) {
    }

    Subscriber(ClientWebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> {
        JsonObject msg = new JsonObject(text);
        synchronized (this) {
          received.add(msg);
          arrivals.add(System.currentTimeMillis());
          waiters.removeIf(w -> w.test.test(msg) && w.promise.tryComplete(msg));
        }
      });
    }

    /** The first message, already received or still to come, that passes {@code test}. */
    public JsonObject await(Predicate<JsonObject> test) {
      return await(test, Duration.ofSeconds(WAIT_SECONDS));
    }

    /** As {@link #await(Predicate)}, for what the server does on a slower schedule of its own. */
    public JsonObject await(Predicate<JsonObject> test, Duration within) {
      Promise<JsonObject> p = Promise.promise();
      synchronized (this) {
        for (JsonObject m : received) {
          if (test.test(m)) {
            return m;
          }
        }
        waiters.add(new Waiter(test, p));
      }
      return p.future().timeout(within.toMillis(), TimeUnit.MILLISECONDS).await();
    }

    public synchronized List<JsonObject> received() {
      return new ArrayList<>(received);
    }

    /** Wall-clock arrival time (ms) of each received message, in the same order. */
    public synchronized List<Long> arrivals() {
      return new ArrayList<>(arrivals);
    }

    @Override
    public void close() {
      socket.close().await();
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  public static int status(HttpClientResponse r) {
    return r.statusCode();
  }
}
