package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Figures must not depend on which connection was faster. An order whose ack waits behind a slow
 * frame on its own connection is already committed; a refund of it sent on another connection in
 * that time must lower the product's GMV as well as the room's.
 */
@Timeout(120)
class CommitOrderTest {
  @Test
  void aRefundOvertakingItsOrdersAckStillLowersTheProduct() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Clients.Producer slow = clients.producer(); Clients.Producer other = clients.producer()) {
      long ts = System.currentTimeMillis();
      for (int round = 0; round < 5; round++) {
        String room = "overtake-" + round;
        JsonArray big = new JsonArray();
        for (int i = 0; i < 6000; i++) {
          big.add(order(room, "big-" + i, "bulk", "1.00", ts));
        }
        Future<JsonObject> bigAck = slow.sendAsync(big.encode());
        Future<JsonObject> orderAck = slow.sendAsync(order(room, "x", "lamp", "100.00", ts).encode());
        // Refund on the other connection as soon as the order is committed: typically well before
        // its own ack, which waits for the 6,000-order frame ahead of it.
        int tries = 0;
        JsonObject refundAck;
        do {
          refundAck = other.send(new JsonObject().put("type", "refund").put("room", room).put("order", "x")
              .put("amount", "30.00").put("ts", ts).encode());
          tries++;
        } while (refundAck.getInteger("accepted") == 0 && tries < 10_000);
        assertThat(refundAck.getInteger("accepted")).isEqualTo(1);
        assertThat(Future.all(bigAck, orderAck).timeout(60, TimeUnit.SECONDS).await()).isNotNull();
        assertThat(orderAck.result().getInteger("accepted")).isEqualTo(1);
        assertThat(bigAck.result().getInteger("accepted")).as(bigAck.result().encode()).isEqualTo(6000);

        JsonObject body = clients.get("/api/rooms/" + room).json();
        assertThat(new BigDecimal(body.getJsonObject("totals").getValue("gmv").toString()))
            .isEqualByComparingTo("6070.00");
        JsonObject lamp = body.getJsonArray("topProducts").stream().map(JsonObject.class::cast)
            .filter(p -> p.getString("sku").equals("lamp")).findFirst().orElseThrow();
        assertThat(new BigDecimal(lamp.getValue("gmv").toString())).as("round %d", round).isEqualByComparingTo("70.00");
      }
    }
  }

  static JsonObject order(String room, String id, String sku, String amount, long ts) {
    return new JsonObject().put("type", "order").put("room", room).put("order", id).put("user", "u-" + id)
        .put("sku", sku).put("amount", amount).put("ts", ts);
  }
}
