package io.livepulse.store;

import io.livepulse.StartupError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One LivePulse per data directory. Without it a second server on the same directory would take the
 * first one's PostgreSQL for an orphan and stop it ({@link StalePostmaster}). The lock is an OS file
 * lock, so it goes with the process however that ends (kill -9 included); the file holds the pid for
 * the message.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "livepulse.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StartupError("data directory " + dataDir + " (--data-dir): " + file + " cannot be opened: "
          + StartupError.rootMessage(e), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StartupError("data directory " + dataDir + " (--data-dir) cannot be locked: "
          + StartupError.rootMessage(e), e);
    }
    if (lock == null) {
      String holder = holder(file);
      closeQuietly(channel);
      throw new StartupError("data directory " + dataDir + " (--data-dir) is in use by another LivePulse"
          + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or give each server its own --data-dir");
    }
    try {
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
    } catch (IOException e) {
      // The pid is only for the message of a second server; the lock is what matters.
    }
    return new DataDirLock(channel, lock);
  }

  private static String holder(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held yet
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
