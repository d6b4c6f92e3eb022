package io.livepulse.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;

/** Whether the database answers, and the durability settings it really runs with. */
public final class DatabaseHealth {
  private DatabaseHealth() {
  }

  public record Status(String fsync, String synchronousCommit) {
  }

  /** Fails when the database does not answer within 3 s. */
  public static Future<Status> check(Pool pool) {
    return pool.query(Sql.HEALTH).execute()
        .timeout(3, TimeUnit.SECONDS)
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Status(row.getString(0), row.getString(1));
        });
  }
}
