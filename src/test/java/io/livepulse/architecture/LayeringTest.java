package io.livepulse.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each package's package-info says it may import, checked on the sources. */
class LayeringTest {
  static final Path MAIN = Path.of("src", "main", "java", "io", "livepulse");

  static List<String> imports(String pkg) throws IOException {
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream().filter(l -> l.startsWith("import ")).map(l -> f.getFileName() + ": " + l);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  @ParameterizedTest
  @CsvSource({
      "bus, io.livepulse.event.",
      "aggregate, io.livepulse.event.|io.livepulse.bus.",
      "event, -"})
  void packagesImportOnlyWhatTheyMay(String pkg, String allowedLivePulse) throws IOException {
    List<String> allowed = List.of(allowedLivePulse.split("\\|"));
    for (String line : imports(pkg)) {
      String imported = line.substring(line.indexOf("import ") + 7).replace("static ", "");
      if (imported.startsWith("io.livepulse.")) {
        assertThat(allowed).as(line).anyMatch(imported::startsWith);
      }
      if (!pkg.equals("bus")) {
        assertThat(imported).as(line + " (pure Java: no Vert.x)").doesNotStartWith("io.vertx");
      }
    }
  }
}
