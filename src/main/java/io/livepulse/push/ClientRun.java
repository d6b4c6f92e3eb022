package io.livepulse.push;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Runs an {@link IngestClient} to completion for a command-line tool. It runs on a worker context,
 * because reading the input files blocks; the progress line is printed once a second.
 */
public final class ClientRun {
  private ClientRun() {
  }

  public record Result(IngestClient.Stats stats, String failure, double seconds) {
  }

  public static Result run(java.util.List<URI> url, String token, int window, Supplier<Iterator<Frame>> frames, PrintStream progress) {
    // It waits for the whole run (await below): the command's own thread, never an event loop.
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a push or simulate run waits for its end; start it from a plain thread");
    }
    Vertx vertx = Vertx.vertx();
    long start = System.nanoTime();
    Promise<IngestClient.Stats> finished = Promise.promise();
    try {
      vertx.deployVerticle(new VerticleBase() {
        IngestClient client;

        @Override
        public Future<?> start() {
          client = new IngestClient(vertx, url, token, window);
          long timer = vertx.setPeriodic(1000, id -> progress.println(line(client.stats(), start)));
          client.connect()
              .compose(v -> client.run(frames.get()))
              .eventually(() -> {
                vertx.cancelTimer(timer);
                return client.close();
              })
              .onSuccess(v -> finished.tryComplete(client.stats()))
              .onFailure(err -> finished.tryFail(new RuntimeException(err.getMessage() + "\n" + line(client.stats(), start))));
          return Future.succeededFuture();
        }
      }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();
      IngestClient.Stats stats = finished.future().await();
      return new Result(stats, null, (System.nanoTime() - start) / 1e9);
    } catch (RuntimeException e) {
      return new Result(null, e.getMessage(), (System.nanoTime() - start) / 1e9);
    } finally {
      vertx.close().await();
    }
  }

  public static String line(IngestClient.Stats s, long startNanos) {
    double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long acked = s.accepted() + s.duplicates() + s.rejected();
    return String.format("%6.1fs  sent %,d events (%,d frames)  acked %,d  %,.0f ev/s  accepted %,d  duplicates %,d  "
            + "rejected %,d  ack p50 %.1f ms p99 %.1f ms%s",
        secs, s.eventsSent(), s.framesSent(), acked, acked / secs, s.accepted(), s.duplicates(), s.rejected(),
        s.p50Ms(), s.p99Ms(), s.failovers() > 0 || s.resent() > 0
            ? String.format("  failovers %,d  re-sent %,d", s.failovers(), s.resent()) : "");
  }
}
