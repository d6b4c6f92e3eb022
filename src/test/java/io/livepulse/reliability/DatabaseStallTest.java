package io.livepulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.Config;
import io.livepulse.testing.Clients;
import io.livepulse.testing.ExternalPostgres;
import io.livepulse.testing.TempDirs;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL freezes (SIGSTOP: it neither answers nor fails) under pipelined load, longer than the
 * store's deadlines (shortened here to 2 s queued / 4 s running). Every answer must be true when it
 * is given: "nothing stored" only for frames that never started (re-sending them stores them anew),
 * "unknown" for frames whose transaction was running; whatever committed once PostgreSQL resumes is in
 * the live totals at once, and the totals equal the stored orders, also after a restart.
 */
@Timeout(300)
class DatabaseStallTest {
  static final String NOTHING_STORED = "nothing of it was stored";
  static final String UNKNOWN = "whether it was stored is unknown";

  @Test
  void answersDuringAStallAreTrueAndLateCommitsReachTheTotals() throws Exception {
    try (ExternalPostgres pg = ExternalPostgres.start();
         TestServer server = TestServer.start(TempDirs.create("livepulse-stall"),
             c -> c.withDatabaseUrl(pg.url()).withStoreDeadlines(new Config.StoreDeadlines(2_000, 4_000)));
         Clients clients = new Clients(server.port());
         Clients.Producer producer = clients.producer()) {
      LoadRecorder load = new LoadRecorder("stall", 60);
      for (int f = 0; f < 10; f++) {
        assertThat(producer.send(load.frames.get(f)).getInteger("rejected")).isZero();
      }
      pg.freeze();
      List<Future<JsonObject>> during = new ArrayList<>();
      for (int f = 10; f < 40; f++) {
        during.add(producer.sendAsync(load.frames.get(f)));
      }
      Future.join(during).timeout(30, TimeUnit.SECONDS).await();
      pg.thaw();

      List<Integer> nothingStored = new ArrayList<>();
      List<Integer> unknown = new ArrayList<>();
      for (int i = 0; i < during.size(); i++) {
        JsonObject ack = during.get(i).result();
        String error = ack.getJsonArray("errors").isEmpty() ? ""
            : ack.getJsonArray("errors").getJsonObject(0).getString("error");
        if (error.contains(NOTHING_STORED)) {
          nothingStored.add(10 + i);
        } else if (error.contains(UNKNOWN)) {
          unknown.add(10 + i);
        }
        assertThat(ack.getInteger("duplicates")).isZero();
      }
      assertThat(nothingStored).as("frames that never started").isNotEmpty();
      assertThat(unknown).as("frames whose transaction was running").isNotEmpty();

      // A frame said to be "not stored" really is not: re-sent, all its orders are new.
      for (int f : nothingStored) {
        JsonObject again = producer.send(load.frames.get(f));
        assertThat(again.getInteger("duplicates")).as("frame %d was said not to be stored", f).isZero();
        assertThat(again.getInteger("rejected")).isZero();
      }
      for (int f = 40; f < load.frames.size(); f++) {
        assertThat(producer.send(load.frames.get(f)).getInteger("rejected")).isZero();
      }
      // The "unknown" frames committed once PostgreSQL resumed: re-sent, they are duplicates (a re-send
      // waits for a running batch with the same order ids), and so change no figure; the totals must
      // already hold them.
      for (int f : unknown) {
        assertThat(producer.send(load.frames.get(f)).getInteger("duplicates")).as("frame %d", f)
            .isEqualTo(LoadRecorder.ORDERS_PER_FRAME);
      }
      JsonObject totals = clients.get("/api/rooms/stall").json().getJsonObject("totals");
      assertThat(totals.getLong("orders")).isEqualTo(load.orders());
      assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(load.totalCents, 2));

      server.restart();
      JsonObject rebuilt = clients.get("/api/rooms/stall").json().getJsonObject("totals");
      assertThat(rebuilt.getLong("orders")).isEqualTo(load.orders());
      assertThat(new BigDecimal(rebuilt.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(load.totalCents, 2));
    }
  }
}
