package io.livepulse.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The embedded PostgreSQL's superuser password: random per installation, kept in the data directory
 * readable by LivePulse's user only, and required (scram-sha-256) on every connection. Without it any
 * local user could connect over loopback as a superuser and, through {@code COPY ... TO PROGRAM},
 * run commands as LivePulse's user.
 */
final class EmbeddedCredentials {
  static final String FILE = "pg-password";
  /** What LivePulse writes into pg_hba.conf: password (SCRAM) for every connection, nothing else. */
  static final List<String> HBA = List.of(
      "# Written by LivePulse: every connection needs the password in ../" + FILE + " (scram-sha-256).",
      "local   all   all                 scram-sha-256",
      "host    all   all   127.0.0.1/32  scram-sha-256",
      "host    all   all   ::1/128       scram-sha-256");
  private static final Pattern TRUST = Pattern.compile("(?m)^\\s*(local|host\\w*)\\s.*\\btrust\\b");

  private EmbeddedCredentials() {
  }

  /** Reads the password, creating it (mode 0600, data directory 0700) on first use. */
  static String loadOrCreate(Path dataDir) throws IOException {
    restrict(dataDir, "rwx------");
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String password = HexFormat.of().formatHex(random);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        return read(file);
      }
      Files.writeString(file, password + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
    restrict(file, "rw-------");
    return read(file);
  }

  static Path file(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /** Whether pg_hba.conf still lets anyone in without a password (data directories of older versions). */
  static boolean trusts(Path pgDir) throws IOException {
    Path hba = pgDir.resolve("pg_hba.conf");
    return Files.exists(hba) && TRUST.matcher(Files.readString(hba)).find();
  }

  static void writeHba(Path pgDir) throws IOException {
    Path hba = pgDir.resolve("pg_hba.conf");
    Path tmp = pgDir.resolve("pg_hba.conf.livepulse");
    Files.write(tmp, HBA, StandardCharsets.US_ASCII);
    Files.move(tmp, hba, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String read(Path file) throws IOException {
    String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (password.length() < 16) {
      throw new IOException(file + " must hold the database password (at least 16 characters)");
    }
    return password;
  }

  private static void restrict(Path path, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to tighten.
    }
  }
}
