package io.livepulse.access;

import java.util.List;

/**
 * What one presented token allows. Without configured tokens everybody holds {@link #ALL}.
 *
 * @param ingest may push events (an ingest token may also read)
 * @param prefixes room-id prefixes the token is limited to; empty means every room
 * @param principal who holds it, for per-token limits: the token's entry in the file ("tokens[2]"),
 *     or "local" without tokens; never the token itself
 */
public record Grant(boolean ingest, List<String> prefixes, String principal) {
  public static final Grant ALL = new Grant(true, List.of(), "local");

  public boolean mayAccess(String room) {
    if (prefixes.isEmpty()) {
      return true;
    }
    for (String p : prefixes) {
      if (room.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  public boolean mayWrite(String room) {
    return ingest && mayAccess(room);
  }

  public boolean seesEverything() {
    return prefixes.isEmpty();
  }
}
