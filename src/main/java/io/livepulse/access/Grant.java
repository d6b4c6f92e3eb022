package io.livepulse.access;

import java.util.List;

/**
 * What one presented token allows. Without configured tokens everybody holds {@link #ALL}.
 *
 * @param ingest may push events (an ingest token may also read)
 * @param prefixes room-id prefixes the token is limited to; empty means every room
 */
public record Grant(boolean ingest, List<String> prefixes) {
  public static final Grant ALL = new Grant(true, List.of());

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
