package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class EmbeddedEndToEndTest extends EndToEndContract {
  @Override
  TestServer startServer() throws Exception {
    return TestServer.start();
  }

  /** The whole contract above ran on epoll; losing its native library (packaging) would fall back silently. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64"})
  void onLinuxX86TheServerRunsOnEpoll() {
    assertThat(server.app().vertx().isNativeTransportEnabled()).isTrue();
  }
}
