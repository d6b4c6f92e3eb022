package io.livepulse.push;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code push} and {@code simulate} share: where the server is, the token, the window of frames
 * in flight, the summary after a run, and output that tests can capture (picocli's out and err).
 */
public abstract class ProducerCommand {
  @Option(names = "--url", split = ",", defaultValue = "${env:LIVEPULSE_URL:-ws://localhost:8080}",
      description = "Server URL: base (ws://localhost:8080) or full (ws://localhost:8080/ingest); ws, wss, http "
          + "or https. Several, comma-separated (the nodes of a cluster): when a connection is lost the next "
          + "is used and what was not acknowledged is sent again (env LIVEPULSE_URL, default ${DEFAULT-VALUE}).")
  protected java.util.List<URI> url;

  @Option(names = "--token", defaultValue = "${env:LIVEPULSE_TOKEN}", description = "Access token (env LIVEPULSE_TOKEN).")
  protected String token;

  @Option(names = "--window", defaultValue = "32", description = "Frames in flight before waiting for acks (default ${DEFAULT-VALUE}).")
  protected int window;

  @Spec
  protected CommandSpec spec;

  /** Null when {@code --url} can name a LivePulse server, else the message to print (exit 2). */
  protected String urlError() {
    try {
      url.forEach(IngestUrl::of);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Progress lines go to stderr, so stdout holds only the result. */
  protected PrintStream progress() {
    return new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        err().write(b);
      }

      @Override
      public void flush() {
        err().flush();
      }
    }, true);
  }

  /** Prints the counts, the first errors and the ack latency; 0 when nothing was rejected, else 1. */
  protected int summary(IngestClient.Stats s) {
    out().printf("accepted %d, duplicates %d, rejected %d%n", s.accepted(), s.duplicates(), s.rejected());
    if (!s.firstErrors().isEmpty()) {
      out().println("first errors:");
      s.firstErrors().forEach(e -> out().println("  " + e));
    }
    out().printf("ack latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", s.p50Ms(), s.p99Ms(), s.maxMs());
    if (s.failovers() > 0 || s.resent() > 0) {
      out().printf("failovers %d (connections lost and replaced by the next --url), events sent again %d%n",
          s.failovers(), s.resent());
    }
    return s.rejected() == 0 ? 0 : 1;
  }
}
