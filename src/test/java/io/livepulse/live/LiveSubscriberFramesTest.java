package io.livepulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15: a subscriber on a real Vert.x server socket writes its messages as complete frames below
 * Vert.x's writer; a client reads them in order, each with its own seq, the frame path taken.
 */
@ExtendWith(VertxExtension.class)
class LiveSubscriberFramesTest {
  /** A field, not a local: Vert.x closes a client nothing refers to any more, mid-handshake. */
  private WebSocketClient client;

  @Test
  void framesWrittenBelowVertxReachTheClientInOrder(Vertx vertx, VertxTestContext ctx) {
    Metrics metrics = new Metrics(new SimpleMeterRegistry());
    List<LiveSubscriber> subs = new ArrayList<>();
    String big = "x".repeat(70_000);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1 << 20)
            .setMaxWebSocketMessageSize(1 << 20))
        .webSocketHandler(ws -> {
          LiveSubscriber sub = new LiveSubscriber(ws, metrics, 10_000, 1 << 20);
          subs.add(sub);
          sub.first(LiveMessage.of("{\"type\":\"snapshot\",\"room\":\"直播间\"}"), 5);
          sub.push(LiveMessage.of("{\"type\":\"tick\",\"second\":6}"), 6);
          sub.event(LiveMessage.of("{\"type\":\"alert\",\"pad\":\"" + big + "\"}"));
          sub.push(LiveMessage.of("{\"type\":\"tick\",\"second\":7}"), 7);
        });
    List<String> got = new ArrayList<>();
    var received = ctx.checkpoint(4);
    client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    server.listen(0).compose(s -> client.connect(s.actualPort(), "127.0.0.1", "/live")).onComplete(ctx.succeeding(ws -> ws.textMessageHandler(text -> {
      got.add(text);
      if (got.size() == 4) {
        ctx.verify(() -> {
          assertThat(subs).singleElement().matches(LiveSubscriber::writesFrames, "writes frames");
          assertThat(got.get(0)).isEqualTo("{\"seq\":1,\"type\":\"snapshot\",\"room\":\"直播间\"}");
          assertThat(got.get(1)).isEqualTo("{\"seq\":2,\"type\":\"tick\",\"second\":6}");
          String alert = "{\"seq\":3,\"type\":\"alert\",\"pad\":\"" + big + "\"}";
          assertThat(got.get(2).equals(alert)).as("the 70 kB alert (a 64-bit length header), whole").isTrue();
          assertThat(got.get(3)).isEqualTo("{\"seq\":4,\"type\":\"tick\",\"second\":7}");
        });
      }
      received.flag();
    })));
  }
}
