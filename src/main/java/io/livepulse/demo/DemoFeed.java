package io.livepulse.demo;

import io.livepulse.Config;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import java.util.logging.Logger;

/** Feeds {@link DemoTraffic} into the server through its real {@code /ingest} endpoint, ten frames a second. */
public final class DemoFeed {
  private static final Logger LOG = Logger.getLogger(DemoFeed.class.getName());

  private final Vertx vertx;
  private final WebSocketClient client;
  private final DemoTraffic traffic;
  private final int perFrame;
  private final int port;
  private long timer = -1;
  private WebSocket socket;
  private volatile boolean stopped;

  private DemoFeed(Vertx vertx, int port, Config.Demo demo) {
    this.vertx = vertx;
    this.port = port;
    this.client = vertx.createWebSocketClient();
    this.traffic = new DemoTraffic(demo.seed(), demo.rooms(), "demo" + demo.seed() + "-");
    this.perFrame = Math.max(1, demo.eventsPerSecond() / 10);
  }

  public static DemoFeed start(Vertx vertx, int port, Config.Demo demo) {
    DemoFeed feed = new DemoFeed(vertx, port, demo);
    vertx.runOnContext(v -> feed.connect());
    System.out.println("Demo feed: " + demo.rooms() + " rooms, about " + demo.eventsPerSecond()
        + " events/s through ws://127.0.0.1:" + port + "/ingest (seed " + demo.seed() + ")");
    return feed;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    client.connect(port, "127.0.0.1", "/ingest")
        .onSuccess(ws -> {
          socket = ws;
          ws.textMessageHandler(ack -> { });
          ws.closeHandler(v -> {
            socket = null;
            if (!stopped) {
              vertx.setTimer(1000, id -> connect());
            }
          });
          timer = vertx.setPeriodic(100, id -> send());
        })
        .onFailure(err -> {
          LOG.warning("demo feed: cannot connect, retrying: " + err.getMessage());
          vertx.setTimer(1000, id -> connect());
        });
  }

  private void send() {
    WebSocket ws = socket;
    if (ws == null || ws.writeQueueFull()) {
      return;
    }
    ws.writeTextMessage(new JsonArray(new java.util.ArrayList<>(traffic.next(perFrame, System.currentTimeMillis()))).encode());
  }

  public void stop() {
    stopped = true;
    vertx.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (socket != null) {
        socket.close();
      }
    });
  }
}
