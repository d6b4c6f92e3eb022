package io.livepulse.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code livepulse push FILE…}: sends event files to a server's /ingest and waits for every ack. */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = {"Send NDJSON, JSON-array or CSV files of events to a LivePulse server and wait for every ack.",
        "CSV files need a header row of event field names (type,room,order,user,sku,qty,amount,ts,…).",
        "Exit code 0 when nothing was rejected, 1 when some events were rejected, 2 on errors."})
public final class PushCommand extends ProducerCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to send; - reads NDJSON or JSON from stdin.")
  List<String> files;



  @Option(names = "--batch", defaultValue = "500", description = "Events per frame (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--rate", defaultValue = "0", description = "At most this many events per second; 0: as fast as acks allow.")
  double rate;

  @Option(names = "--speed", defaultValue = "0",
      description = "Replay at N times the recorded ts pace (ts is moved to the replay time); 0: no replay.")
  double speed;


  @Override
  public Integer call() {
    if (urlError() != null) {
      err().println("livepulse push: " + urlError());
      return 2;
    }
    if (batch < 1 || batch > 10_000) {
      err().println("livepulse push: --batch must be 1-10000, got " + batch);
      return 2;
    }
    for (String f : files) {
      if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
        err().println("livepulse push: cannot read " + f);
        return 2;
      }
    }
    ClientRun.Result result = ClientRun.run(url, token, Math.max(1, window),
        () -> new Framer(sources(), batch, rate, speed), progress());
    if (result.failure() != null) {
      err().println("livepulse push: " + result.failure());
      return 2;
    }
    IngestClient.Stats s = result.stats();
    out().printf("pushed %,d events in %,d frames from %d file(s) in %.1f s%n", s.eventsSent(), s.framesSent(),
        files.size(), result.seconds());
    return summary(s);
  }

  private Iterator<Framer.Source> sources() {
    List<String> names = new ArrayList<>(files);
    Iterator<String> it = names.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Framer.Source next() {
        String name = it.next();
        try {
          return name.equals("-")
              ? new Framer.Source("stdin", EventFiles.open("stdin", System.in))
              : new Framer.Source(name, EventFiles.open(Path.of(name)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
      }
    };
  }
}
