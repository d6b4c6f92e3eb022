package io.livepulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved viewer states are stored uncompressed (V10): PostgreSQL's pglz spent a core's share on
 * compressing the empty slots of sketch tables, taking it from ingest (docs/BENCHMARKS.md).
 */
class RoomStateStorageTest {
  @TempDir
  Path dir;

  @Test
  void aSavedStateIsStoredOutOfLineUncompressedAndReadBackByteForByte() throws Exception {
    try (Database db = Database.embedded(dir)) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = PgBuilder.pool().connectingTo(db.connectOptions()).using(vertx).build();
        // Like a sketch table: random hashes with empty (zero) slots between them, very compressible.
        byte[] state = new byte[200_000];
        Random rnd = new Random(7);
        for (int i = 0; i < state.length; i += 16) {
          for (int j = 0; j < 8; j++) {
            state[i + j] = (byte) rnd.nextInt();
          }
        }
        pool.preparedQuery("INSERT INTO room_state (room, session, state) VALUES ($1, 1, $2)")
            .execute(Tuple.of("r1", Buffer.buffer(state))).await();
        Row row = pool.query("SELECT state, octet_length(state) AS raw, pg_column_size(state) AS stored, "
            + "(SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'room_state'::regclass AND attname = 'state') "
            + "AS storage FROM room_state WHERE room = 'r1'").execute().await().iterator().next();
        assertThat(row.getBuffer("state").getBytes()).isEqualTo(state);
        assertThat(row.getString("storage")).isEqualTo("e");
        // pglz would have stored about half of it.
        assertThat(row.getInteger("stored")).isEqualTo(row.getInteger("raw"));
      } finally {
        vertx.close().await();
      }
    }
  }
}
