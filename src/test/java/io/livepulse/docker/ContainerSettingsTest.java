package io.livepulse.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the Docker image relies on, tested without a Docker engine: the entrypoint's guard, and the
 * environment variables the server reads (shown as resolved defaults by {@code serve --help}).
 */
class ContainerSettingsTest {
  record Run(int exit, String output) {
  }

  static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void entrypointRefusesADataDirectoryItCannotWrite() throws Exception {
    Run r = run(List.of("sh", "docker/entrypoint.sh", "serve"),
        Map.of("LIVEPULSE_DATA_DIR", "/nonexistent/livepulse-data", "LIVEPULSE_JAR", "/nonexistent.jar"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("data directory /nonexistent/livepulse-data is not writable").contains("mount a volume");
  }

  @Test
  void theServerReadsTheEnvironmentTheImageSets() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Run r = run(List.of(java, "-cp", cp, "io.livepulse.Main", "serve", "--help"), Map.of(
        "PORT", "9191", "LIVEPULSE_HOST", "0.0.0.0", "LIVEPULSE_DATA_DIR", "/var/lib/livepulse/data",
        "DATABASE_URL", "postgresql://u:p@db:5432/lp", "LIVEPULSE_TOKENS", "/run/tokens.json", "LIVEPULSE_INSECURE", "true"));
    assertThat(r.exit()).isZero();
    String help = r.output().replaceAll("\\s+", " ");
    assertThat(help).contains("default 9191").contains("default 0.0.0.0").contains("default /var/lib/livepulse/data");
  }

  @Test
  void aNonLoopbackHostWithoutTokensStopsAtStartWithAClearMessage() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Run r = run(List.of(java, "-cp", cp, "io.livepulse.Main", "--port", "0"), Map.of("LIVEPULSE_HOST", "0.0.0.0"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("--host 0.0.0.0 without access tokens").contains("--insecure");
  }
}
