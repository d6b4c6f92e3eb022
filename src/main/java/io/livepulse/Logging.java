package io.livepulse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;

/** One-line log records on stderr, configured from {@code logging.properties} in the jar. */
final class Logging {
  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Logging.class.getResourceAsStream("/logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Only severe records, and none from Vert.x or Netty (their connection notes are not for a CLI user). */
  static void quiet() {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    for (String noisy : new String[] {"io.vertx", "io.netty"}) {
      java.util.logging.Logger.getLogger(noisy).setLevel(java.util.logging.Level.OFF);
    }
  }
}
