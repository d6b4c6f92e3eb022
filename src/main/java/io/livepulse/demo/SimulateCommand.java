package io.livepulse.demo;

import io.livepulse.push.ClientRun;
import io.livepulse.push.Frame;
import io.livepulse.push.IngestClient;
import io.livepulse.push.ProducerCommand;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code livepulse simulate}: the demo traffic, pointed at any server; the load tool of the benchmarks. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Feed simulated live rooms to a LivePulse server through /ingest, printing throughput and ack latency.")
public final class SimulateCommand extends ProducerCommand implements Callable<Integer> {


  @Option(names = "--rooms", defaultValue = "12", description = "Rooms (default ${DEFAULT-VALUE}).")
  int rooms;

  @Option(names = "--rate", defaultValue = "1000", description = "Events per second (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "0", description = "Seconds to run; 0 runs until stopped.")
  double duration;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "100", description = "Events per frame (default ${DEFAULT-VALUE}).")
  int batch;


  @Override
  public Integer call() {
    if (rooms < 1 || rate <= 0 || batch < 1 || batch > 10_000 || duration < 0) {
      err().println("livepulse simulate: --rooms >= 1, --rate > 0, --batch 1-10000 and --duration >= 0 are required");
      return 2;
    }
    if (urlError() != null) {
      err().println("livepulse simulate: " + urlError());
      return 2;
    }
    DemoTraffic traffic = new DemoTraffic(seed, rooms, "sim" + seed + "-");
    long start = System.currentTimeMillis();
    long end = duration > 0 ? start + (long) (duration * 1000) : Long.MAX_VALUE;
    Iterator<Frame> frames = new Iterator<>() {
      long events;

      @Override
      public boolean hasNext() {
        return start + (long) (events * 1000 / rate) < end;
      }

      @Override
      public Frame next() {
        long due = start + (long) (events * 1000 / rate);
        List<JsonObject> batchEvents = traffic.next(batch, Math.max(due, System.currentTimeMillis()));
        long[] records = new long[batchEvents.size()];
        for (int i = 0; i < records.length; i++) {
          records[i] = events + i + 1;
        }
        events += batchEvents.size();
        String text = batchEvents.stream().map(JsonObject::encode).collect(Collectors.joining("\n"));
        return new Frame(text, "simulation", records, due);
      }
    };
    ClientRun.Result result = ClientRun.run(url, token, Math.max(1, window), () -> frames, progress());
    if (result.failure() != null) {
      err().println("livepulse simulate: " + result.failure());
      return 2;
    }
    IngestClient.Stats s = result.stats();
    out().printf("simulated %,d events to %d rooms in %.1f s: %,.0f events/s acknowledged%n", s.eventsSent(), rooms,
        result.seconds(), (s.accepted() + s.duplicates() + s.rejected()) / result.seconds());
    return summary(s);
  }
}
