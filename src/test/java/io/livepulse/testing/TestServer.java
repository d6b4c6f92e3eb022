package io.livepulse.testing;

import io.livepulse.Config;
import io.livepulse.LivePulse;
import java.io.IOException;
import java.nio.file.Path;

/** A real LivePulse (embedded PostgreSQL unless a database URL is given) on a free port, in a temp dir. */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final Config config;
  private LivePulse app;

  private TestServer(Path dataDir, Config config) {
    this.dataDir = dataDir;
    this.config = config;
  }

  public static TestServer start() throws IOException {
    return start(TempDirs.create("livepulse-test"), (String) null);
  }

  public static TestServer start(Path dataDir, String databaseUrl) throws IOException {
    return start(dataDir, c -> c.withDatabaseUrl(databaseUrl));
  }

  /** A server whose configuration the test adjusts (tokens, limits, …). */
  public static TestServer start(java.util.function.UnaryOperator<Config> customize) throws IOException {
    return start(TempDirs.create("livepulse-test"), customize);
  }

  public static TestServer start(Path dataDir, java.util.function.UnaryOperator<Config> customize) throws IOException {
    Config config = customize.apply(Config.defaults().withPort(0).withDataDir(dataDir));
    TestServer server = new TestServer(dataDir, config);
    server.app = LivePulse.start(config);
    return server;
  }

  /** Stops and starts again on the same data directory and the same port. */
  public TestServer restart() throws IOException {
    int port = app.port();
    app.stop();
    app = LivePulse.start(config.withPort(port));
    return this;
  }

  public int port() {
    return app.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  public LivePulse app() {
    return app;
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }
}
