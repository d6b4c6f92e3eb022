package io.livepulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stop under load leaves no frame ambiguous: acknowledged frames are stored, the others are not. */
@Timeout(300)
class GracefulStopTest {
  @Test
  void everyFrameIsEitherAcknowledgedAndStoredOrNotStoredAtAll() throws Exception {
    LoadRecorder load = new LoadRecorder("graceful", 1500);
    try (TestServer server = TestServer.start()) {
      try (Clients clients = new Clients(server.port())) {
        Clients.Producer producer = clients.producer();
        Thread stopper = new Thread(() -> {
          while (load.ackedCount() < 100) {
            Thread.onSpinWait();
          }
          server.app().stop();
        });
        stopper.start();
        int sent = load.push(producer, 0, 32);
        stopper.join();
        assertThat(sent).isGreaterThan(load.ackedCount());
      }
      int acked = load.ackedCount();
      assertThat(acked).isBetween(100, load.frames.size() - 1);
      server.restart();
      int stored = 0;
      try (Clients clients = new Clients(server.port()); Clients.Producer producer = clients.producer()) {
        for (int f = 0; f < load.frames.size(); f++) {
          JsonObject ack = producer.send(load.frames.get(f));
          int expectedDuplicates = load.wasAcked(f) ? LoadRecorder.ORDERS_PER_FRAME : 0;
          assertThat(ack.getInteger("duplicates")).as("frame %d (acknowledged: %s)", f, load.wasAcked(f))
              .isEqualTo(expectedDuplicates);
          stored += ack.getInteger("duplicates") > 0 ? 1 : 0;
        }
        JsonObject totals = clients.get("/api/rooms/" + load.room).json().getJsonObject("totals");
        assertThat(totals.getLong("orders")).isEqualTo(load.orders());
        assertThat(new BigDecimal(totals.getValue("gmv").toString()))
            .isEqualByComparingTo(BigDecimal.valueOf(load.totalCents, 2));
      }
      assertThat(stored).isEqualTo(acked);
      System.out.printf("graceful stop under load: %d frames acknowledged and stored, the other %d not stored%n", acked,
          load.frames.size() - acked);
    }
  }
}
