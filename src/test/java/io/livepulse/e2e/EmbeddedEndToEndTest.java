package io.livepulse.e2e;

import io.livepulse.testing.TestServer;

class EmbeddedEndToEndTest extends EndToEndContract {
  @Override
  TestServer startServer() throws Exception {
    return TestServer.start();
  }
}
