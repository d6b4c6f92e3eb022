package io.livepulse.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The store's record of each room's current session, which it alone numbers: a {@code room} event
 * with status {@code live} that follows {@code ended} starts session n+1. Orders and refunds are
 * stored with their session so that a restart rebuilds exactly the current one.
 */
final class RoomSessions {
  static final class Entry {
    int session;
    String status;
    boolean persisted;
    String anchor;
    String title;
    String platform;
    /** The room event's viewerIdleMinutes in this batch; null: unchanged. */
    Integer viewerIdleMinutes;
    /** The room event's target in this batch; null: unchanged (a new session then clears it). */
    Long targetCents;
    Integer targetMinutes;
    boolean changed;

    Entry(int session, String status, boolean persisted) {
      this.session = session;
      this.status = status;
      this.persisted = persisted;
    }

    Entry copy() {
      return new Entry(session, status, persisted);
    }
  }

  private final Map<String, Entry> rooms = new HashMap<>();

  void clear() {
    rooms.clear();
  }

  void load(String room, int session, String status) {
    rooms.put(room, new Entry(session, status, true));
  }

  Entry get(String room) {
    return rooms.get(room);
  }

  /** Commits the entries a successful transaction wrote. */
  void commit(Map<String, Entry> overlay) {
    overlay.forEach((room, e) -> {
      Entry kept = new Entry(e.session, e.status, true);
      rooms.put(room, kept);
    });
  }
}
