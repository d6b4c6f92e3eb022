package io.livepulse.rooms;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a room owner writes to the database: per-second viewer rows, viewer-side state, activity.
 * Implemented by the store; the owner knows nothing of SQL.
 */
public interface RoomStore {
  /** One row per (room, second): views, enters, leaves add up; online replaces (-1 = unknown). */
  record TrafficRow(String room, long second, long views, long enters, long leaves, long online, long clicks) {
  }

  /** A viewer-state save: a base ({@code delta} 0) or delta number {@code delta} on base {@code generation}. */
  record SavedState(String room, int session, byte[] state, long generation, int delta) {
    public boolean base() {
      return delta == 0;
    }
  }

  Future<Void> upsertTraffic(List<TrafficRow> rows);

  /** Bases first, then deltas; all or none of each kind. */
  Future<Void> saveStates(List<SavedState> states);

  /** Records that these rooms had an event in {@code second}: a start rebuilds recently active rooms. */
  Future<Void> touchRooms(List<String> rooms, long second);

  /** Rooms with an event since {@code second}: what a node that takes rooms over rebuilds at once. */
  Future<List<String>> recentRooms(long second);
}
