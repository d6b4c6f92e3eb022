package io.livepulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.ServerProcess;
import io.livepulse.testing.TempDirs;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL at a random moment under load, restart on the same data directory (stopping the orphaned
 * PostgreSQL), and prove: every acknowledged order is there exactly once, and re-sending everything
 * ends with every order counted once and GMV exact to the cent. {@code -Dlivepulse.chaos.rounds=N}
 * repeats it (docs/RELIABILITY.md).
 */
@Timeout(900)
class KillNineTest {
  @Test
  void acknowledgedOrdersSurviveSigkill() throws Exception {
    int rounds = Integer.getInteger("livepulse.chaos.rounds", 1);
    Random random = new Random(Long.getLong("livepulse.chaos.seed", System.nanoTime()));
    for (int round = 0; round < rounds; round++) {
      runRound(random, round);
    }
  }

  private void runRound(Random random, int round) throws Exception {
    Path dir = TempDirs.create("livepulse-kill9");
    LoadRecorder load = new LoadRecorder("kill9-" + round, 400);
    ServerProcess server = ServerProcess.start(dir);
    int killAfterFrames = 20 + random.nextInt(200);
    try (Clients clients = new Clients(server.port())) {
      Clients.Producer producer = clients.producer();
      Thread killer = new Thread(() -> {
        try {
          while (load.ackedCount() < killAfterFrames) {
            Thread.onSpinWait();
          }
          server.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      killer.start();
      load.push(producer, 0, 16);
      killer.join();
    }
    int ackedBeforeKill = load.ackedCount();
    assertThat(ackedBeforeKill).isGreaterThanOrEqualTo(killAfterFrames);

    try (ServerProcess restarted = ServerProcess.start(dir); Clients clients = new Clients(restarted.port());
         Clients.Producer producer = clients.producer()) {
      for (int f = 0; f < load.frames.size(); f++) {
        JsonObject ack = producer.send(load.frames.get(f));
        assertThat(ack.getInteger("rejected")).isZero();
        if (load.wasAcked(f)) {
          assertThat(ack.getInteger("duplicates")).as("round %d: frame %d was acknowledged before the kill, so all its "
              + "orders must already be stored", round, f).isEqualTo(LoadRecorder.ORDERS_PER_FRAME);
        }
      }
      JsonObject totals = clients.get("/api/rooms/" + load.room).json().getJsonObject("totals");
      assertThat(totals.getLong("orders")).isEqualTo(load.orders());
      assertThat(new BigDecimal(totals.getValue("gmv").toString()))
          .isEqualByComparingTo(BigDecimal.valueOf(load.totalCents, 2));
      assertThat(restarted.output()).as("the orphaned PostgreSQL was found and stopped")
          .anyMatch(l -> l.contains("left running on"));
    }
    System.out.printf("kill -9 round %d: killed after %d acknowledged frames (%d orders); all present once, "
        + "%d orders and GMV %s after re-sending%n", round, ackedBeforeKill, ackedBeforeKill * LoadRecorder.ORDERS_PER_FRAME,
        load.orders(), BigDecimal.valueOf(load.totalCents, 2));
  }
}
