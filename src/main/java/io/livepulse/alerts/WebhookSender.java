package io.livepulse.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * POSTs alert bodies to webhooks: non-blocking, {@link #TIMEOUT_MS} per attempt, {@link #ATTEMPTS}
 * attempts with growing pauses on a failure or a non-2xx answer, and at most {@link #MAX_IN_FLIGHT}
 * deliveries at once (further ones are dropped and logged), so that a webhook that hangs or fails
 * delays nothing else.
 */
public final class WebhookSender {
  private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
  static final long TIMEOUT_MS = 5_000;
  static final int ATTEMPTS = 3;
  static final int MAX_IN_FLIGHT = 200;

  private final Vertx vertx;
  private final HttpClient client;
  private final AtomicInteger inFlight = new AtomicInteger();

  public WebhookSender(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
        .setIdleTimeout(30));
  }

  public void send(String url, String format, JsonObject alert) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      LOG.warning("webhook " + url + ": too many deliveries in flight; alert of rule " + alert.getLong("rule")
          + " not delivered");
      return;
    }
    attempt(url, WebhookBodies.body(format, alert).toBuffer(), 1);
  }

  private void attempt(String url, Buffer body, int n) {
    RequestOptions options;
    try {
      options = new RequestOptions().setAbsoluteURI(URI.create(url).toURL()).setMethod(HttpMethod.POST)
          .setTimeout(TIMEOUT_MS).putHeader("Content-Type", "application/json");
    } catch (Exception e) {
      inFlight.decrementAndGet();
      LOG.warning("webhook " + url + " is not a URL: " + e.getMessage());
      return;
    }
    client.request(options)
        .compose(req -> req.send(body))
        .compose(res -> res.body().map(b -> res.statusCode()))
        .onComplete(ar -> {
          boolean ok = ar.succeeded() && ar.result() / 100 == 2;
          if (ok) {
            inFlight.decrementAndGet();
            return;
          }
          String why = ar.succeeded() ? "status " + ar.result() : ar.cause().getMessage();
          if (n >= ATTEMPTS) {
            inFlight.decrementAndGet();
            LOG.warning("webhook " + url + " failed " + n + " times (" + why + "); alert not delivered");
            return;
          }
          vertx.setTimer(1_000L * n, id -> attempt(url, body, n + 1));
        });
  }
}
