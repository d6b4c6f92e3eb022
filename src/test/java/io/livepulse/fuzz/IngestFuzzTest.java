package io.livepulse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated frames over one real /ingest connection: exactly one ack per frame, in order,
 * the connection stays usable, and the room's totals move only by the valid orders.
 */
class IngestFuzzTest {
  static TestServer server;
  static Clients clients;
  static Clients.Producer producer;
  static long frames;
  static long acked;

  @BeforeContainer
  static void start() throws Exception {
    server = TestServer.start();
    clients = new Clients(server.port());
    producer = clients.producer();
  }

  @AfterContainer
  static void stop() {
    producer.close();
    clients.close();
    server.close();
  }

  @Provide
  Arbitrary<List<String>> batches() {
    return FrameFuzz.mutatedFrame("fuzz-noise").list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 60)
  void everyFrameGetsExactlyOneAckAndOnlyValidOrdersCount(@ForAll("batches") List<String> noise) {
    // A known valid order in its own room, sent between the noise, tells us the totals stay exact.
    long id = ++frames;
    String marker = new JsonObject().put("type", "order").put("room", "fuzz-exact").put("order", "m" + id)
        .put("user", "u").put("sku", "s").put("amount", "1.01").encode();
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (String frame : noise) {
      acks.add(producer.sendAsync(frame));
    }
    acks.add(producer.sendAsync(marker));
    Future.all(acks).timeout(30, TimeUnit.SECONDS).await();
    for (int i = 0; i < acks.size(); i++) {
      JsonObject ack = acks.get(i).result();
      assertThat(ack.getLong("ack")).as("acks come one per frame, in frame order").isEqualTo(++acked);
      assertThat(ack.getInteger("accepted") + ack.getInteger("duplicates") + ack.getInteger("rejected")).isPositive();
      assertThat(ack.getJsonArray("errors").size()).isLessThanOrEqualTo(Math.max(1, ack.getInteger("rejected")));
    }
    JsonObject last = acks.get(acks.size() - 1).result();
    assertThat(last.getInteger("accepted")).isEqualTo(1);
    JsonObject totals = clients.get("/api/rooms/fuzz-exact").json().getJsonObject("totals");
    assertThat(totals.getLong("orders")).isEqualTo(id);
    assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(101 * id, 2));
  }
}
