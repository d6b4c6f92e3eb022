package io.livepulse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** LivePulse in its own JVM, so that a test can kill it with SIGKILL like a crash would. */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  private final Process process;
  private final int port;
  private final List<String> output;

  private ServerProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  public static ServerProcess start(Path dataDir, String... extraArgs) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "io.livepulse.Main", "serve", "--port", "0", "--data-dir", dataDir.toString()));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("server exited:\n" + String.join("\n", output)));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    return new ServerProcess(p, port.get(120, TimeUnit.SECONDS), output);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public List<String> output() {
    return new ArrayList<>(output);
  }

  /** SIGKILL: no shutdown hook, no flush; the embedded PostgreSQL is left running as an orphan. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful stop. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
  }
}
