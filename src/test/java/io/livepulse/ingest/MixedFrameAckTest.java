package io.livepulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TempDirs;
import io.livepulse.testing.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One frame whose events meet every outcome at once, over a real socket: accepted, refused by the
 * token's rooms before the store, refused by the store, a duplicate. The ack's counts and each error's
 * index must name the right event, whatever mix of refusals shifts the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MixedFrameAckTest {
  static final String INGEST_A = "ingest-brand-a-0123456789";

  TestServer server;
  Clients clients;

  @BeforeAll
  void start() throws Exception {
    Path tokens = TempDirs.file("tokens.json", """
        {"tokens": [{"token": "%s", "role": "ingest", "rooms": ["brandA-"]}]}""".formatted(INGEST_A));
    server = TestServer.start(c -> c.withTokens(tokens));
    clients = new Clients(server.port());
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  @Test
  void everyOutcomeInOneFrameKeepsItsIndex() {
    // The invalid event comes early so that the parsed events' positions differ from their indices.
    JsonArray frame = new JsonArray()
        .add(event("click", "brandA-1").put("user", "u1").put("sku", "s1"))                 // 0 accepted
        .add(new JsonObject().put("type", "viewer"))                                       // 1 invalid
        .add(event("order", "brandB-1").put("order", "b1").put("user", "u1").put("sku", "s1")
            .put("amount", "9.90"))                                                        // 2 token
        .add(event("order", "brandA-1").put("order", "a1").put("user", "u1").put("sku", "s1")
            .put("amount", "9.90"))                                                        // 3 accepted
        .add(event("viewer", "brandB-2").put("user", "u2").put("action", "enter"))         // 4 token
        .add(event("refund", "brandA-1").put("order", "never-sold").put("amount", "1.00")) // 5 store
        .add(event("order", "brandA-1").put("order", "a2").put("user", "u2").put("sku", "s1")
            .put("amount", "1.00"))                                                        // 6 accepted
        .add(event("viewer", "brandA-1").put("user", "u2").put("action", "enter"));        // 7 accepted
    JsonObject first = send(frame);
    assertThat(first.getInteger("accepted")).isEqualTo(4);
    assertThat(first.getInteger("duplicates")).isZero();
    assertThat(first.getInteger("rejected")).isEqualTo(4);
    assertThat(indices(first)).containsExactly(1, 2, 4, 5);
    assertThat(errorAt(first, 1)).isEqualTo("viewer: room is required");
    assertThat(errorAt(first, 2)).isEqualTo("order: room brandB-1 is outside the rooms this token may write");
    assertThat(errorAt(first, 4)).isEqualTo("viewer: room brandB-2 is outside the rooms this token may write");
    assertThat(errorAt(first, 5)).startsWith("refund: ");

    // The same frame again: the two orders are now duplicates, and the refusals keep their indices.
    JsonObject again = send(frame);
    assertThat(again.getInteger("accepted")).isEqualTo(2);
    assertThat(again.getInteger("duplicates")).isEqualTo(2);
    assertThat(again.getInteger("rejected")).isEqualTo(4);
    assertThat(indices(again)).containsExactly(1, 2, 4, 5);
  }

  @Test
  void aFrameWithoutRefusalsAcksAsTheEncoderWould() {
    JsonObject ack = send(new JsonArray().add(event("viewer", "brandA-3").put("user", "u").put("action", "enter")));
    assertThat(ack.fieldNames()).containsExactly("ack", "accepted", "duplicates", "rejected", "errors");
    assertThat(ack.getInteger("accepted")).isEqualTo(1);
    assertThat(ack.getJsonArray("errors")).isEmpty();
  }

  private static JsonObject event(String type, String room) {
    return new JsonObject().put("type", type).put("room", room);
  }

  private JsonObject send(JsonArray frame) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setURI("/ingest")
        .addHeader("Authorization", "Bearer " + INGEST_A);
    WebSocket ws = clients.connect(o).timeout(Clients.WAIT_SECONDS, TimeUnit.SECONDS).await();
    Promise<String> ack = Promise.promise();
    ws.textMessageHandler(ack::tryComplete);
    ws.writeTextMessage(frame.encode());
    JsonObject a = new JsonObject(ack.future().timeout(Clients.WAIT_SECONDS, TimeUnit.SECONDS).await());
    ws.close().await();
    return a;
  }

  private static List<Integer> indices(JsonObject ack) {
    return ack.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getInteger("index")).toList();
  }

  private static String errorAt(JsonObject ack, int index) {
    return ack.getJsonArray("errors").stream().map(e -> (JsonObject) e)
        .filter(e -> e.getInteger("index") == index).findFirst().orElseThrow().getString("error");
  }
}
