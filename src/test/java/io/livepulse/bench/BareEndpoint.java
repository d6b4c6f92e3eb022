package io.livepulse.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;

/**
 * The ceiling of the benchmark: a bare Vert.x WebSocket endpoint that parses each frame's JSON, throws
 * it away and acks the frame. Not part of the product. {@code java … BareEndpoint PORT}
 */
public final class BareEndpoint extends VerticleBase {
  private final int port;

  BareEndpoint(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1")
            .setMaxWebSocketFrameSize(4 << 20).setMaxWebSocketMessageSize(4 << 20)
            .setPerMessageWebSocketCompressionSupported(false))
        .webSocketHandler(ws -> {
          long[] frames = {0};
          ws.binaryMessageHandler(b -> ws.writeTextMessage(ack(++frames[0], b.toString())));
          ws.textMessageHandler(t -> ws.writeTextMessage(ack(++frames[0], t)));
        })
        .listen();
  }

  private static String ack(long n, String frame) {
    int events = new JsonArray(frame).size();
    return "{\"ack\":" + n + ",\"accepted\":" + events + ",\"duplicates\":0,\"rejected\":0,\"errors\":[]}";
  }

  /** Runs on the process's main thread, not an event loop: its await blocks nothing that serves. */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareEndpoint(port), new DeploymentOptions().setInstances(instances)).await();
    System.out.println("bare endpoint listening on port " + port);
  }
}
