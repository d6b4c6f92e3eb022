package io.livepulse.e2e;

import io.livepulse.testing.ExternalPostgres;
import io.livepulse.testing.TempDirs;
import io.livepulse.testing.TestServer;

/** The same end-to-end contract through --database-url against a separately started PostgreSQL. */
class ExternalDatabaseEndToEndTest extends EndToEndContract {
  ExternalPostgres postgres;

  @Override
  TestServer startServer() throws Exception {
    postgres = ExternalPostgres.start();
    return TestServer.start(TempDirs.create("livepulse-unused"), postgres.url());
  }

  @Override
  void afterServerStopped() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }
}
