package io.livepulse.access;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The access tokens of contract §7, loaded once from {@code --tokens FILE}:
 * {@code {"tokens": [{"token": "…", "role": "ingest", "rooms": ["brandA-"]}, {"token": "…", "role": "read"}]}}.
 *
 * <p>Only SHA-256 digests are kept. A presented token is hashed and compared with every known digest
 * using {@link MessageDigest#isEqual} and no early exit, so the time taken does not depend on how
 * much of a guess was right. Tokens are never logged.
 */
public final class Tokens {
  private record Entry(byte[] digest, Grant grant) {
  }

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = entries;
  }

  public static Tokens none() {
    return new Tokens(List.of());
  }

  public boolean configured() {
    return !entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** The grant of a presented token; empty when it is missing or unknown. */
  public Optional<Grant> check(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Grant found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
        found = e.grant();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Reads and validates the file; errors name the file, the entry and the rule. */
  public static Tokens load(Path file) throws IOException {
    String where = "tokens file " + file;
    JsonObject root;
    try {
      root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IllegalArgumentException(where + ": not valid JSON (" + e.getMessage() + ")");
    }
    Object list = root.getValue("tokens");
    if (!(list instanceof JsonArray array) || array.isEmpty()) {
      throw new IllegalArgumentException(where + ": \"tokens\" must be a non-empty array");
    }
    List<Entry> entries = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = where + ": tokens[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject t)) {
        throw new IllegalArgumentException(at + " must be an object");
      }
      Object token = t.getValue("token");
      if (!(token instanceof String s) || s.length() < 16) {
        throw new IllegalArgumentException(at + ".token must be a string of at least 16 characters");
      }
      if (seen.contains(s)) {
        throw new IllegalArgumentException(at + ".token appears twice");
      }
      seen.add(s);
      Object role = t.getValue("role");
      if (!"ingest".equals(role) && !"read".equals(role)) {
        throw new IllegalArgumentException(at + ".role must be ingest or read");
      }
      List<String> prefixes = new ArrayList<>();
      Object rooms = t.getValue("rooms");
      if (rooms != null) {
        if (!(rooms instanceof JsonArray r) || r.isEmpty()) {
          throw new IllegalArgumentException(at + ".rooms must be a non-empty array of room-id prefixes");
        }
        for (Object p : r) {
          if (!(p instanceof String prefix) || prefix.isEmpty() || prefix.length() > 64) {
            throw new IllegalArgumentException(at + ".rooms must hold room-id prefixes of 1-64 characters");
          }
          prefixes.add(prefix);
        }
      }
      entries.add(new Entry(sha256(s), new Grant("ingest".equals(role), List.copyOf(prefixes), "tokens[" + i + "]")));
    }
    return new Tokens(List.copyOf(entries));
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
