package io.livepulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories (data directories of embedded PostgreSQL, browser profiles) that are deleted
 * when the JVM exits, by then with every server and database of the run stopped. They were left
 * behind before: a few hundred MB per benchmark run, until the disk was full.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "temp-dirs-cleanup"));
  }

  private TempDirs() {
  }

  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (CREATED) {
        CREATED.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file holding {@code content} (a tokens file, …), in a directory of its own deleted like the others. */
  public static Path file(String name, String content) {
    try {
      return Files.writeString(create("livepulse-file").resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteAll() {
    synchronized (CREATED) {
      CREATED.forEach(TempDirs::deleteTree);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Gone already, or a file vanished while walking: nothing left to do at exit.
    }
  }
}
