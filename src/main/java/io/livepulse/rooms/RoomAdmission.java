package io.livepulse.rooms;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which rooms the server holds in memory, and who may bring in more. Every producer shares the
 * server's memory, so one token that invents room ids must not take it from everyone else: the total
 * is capped, and each principal (token) may bring at most so many rooms into memory per hour.
 * Thread-safe (the ingest event loops ask, the aggregators report); pure, no Vert.x.
 */
public final class RoomAdmission {
  static final long WINDOW_MS = 3_600_000;

  private final int maxRooms;
  private final int maxNewPerPrincipal;
  private final ConcurrentHashMap<String, Boolean> held = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** Rooms brought in by one principal in the current hour. */
  private static final class Window {
    long start;
    int rooms;
  }

  public RoomAdmission(int maxRooms, int maxNewPerPrincipal) {
    this.maxRooms = maxRooms;
    this.maxNewPerPrincipal = maxNewPerPrincipal;
  }

  /** The common case, one map lookup: the room is already in memory. */
  public boolean isHeld(String room) {
    return held.containsKey(room);
  }

  /**
   * Admits an event for {@code room} on behalf of {@code principal}.
   *
   * @return null when admitted, else the rule it breaks (the caller prefixes the event type)
   */
  public String admit(String room, String principal, long nowMs) {
    if (held.containsKey(room)) {
      return null;
    }
    Window w = windows.computeIfAbsent(principal, k -> new Window());
    synchronized (w) {
      if (nowMs - w.start >= WINDOW_MS) {
        w.start = nowMs;
        w.rooms = 0;
      }
      if (w.rooms >= maxNewPerPrincipal) {
        return "room " + room + " is not open and this token already opened " + maxNewPerPrincipal
            + " rooms this hour (--max-new-rooms-per-token)";
      }
      if (count.get() >= maxRooms) {
        return "room " + room + " is not open and the server holds its limit of " + maxRooms
            + " open rooms (--max-rooms); idle rooms close after --room-idle-seconds";
      }
      if (held.putIfAbsent(room, Boolean.TRUE) == null) {
        count.incrementAndGet();
        w.rooms++;
      }
      return null;
    }
  }

  /** A room came into memory without a producer (rebuilt at start or for a reader). */
  public void hold(String room) {
    if (held.putIfAbsent(room, Boolean.TRUE) == null) {
      count.incrementAndGet();
    }
  }

  /** A room left memory. */
  public void release(String room) {
    if (held.remove(room) != null) {
      count.decrementAndGet();
    }
    onlineFull.remove(room);
  }

  private final java.util.Set<String> onlineFull = ConcurrentHashMap.newKeySet();

  /** The room's owner says whether it holds its limit of online users (checked once a second). */
  public void markOnlineFull(String room, boolean full) {
    if (full) {
      onlineFull.add(room);
    } else if (!onlineFull.isEmpty()) {
      onlineFull.remove(room);
    }
  }

  /** Null when a viewer may enter, else the rule (the room holds its limit of online users). */
  public String enterRefused(String room, int maxOnline) {
    return onlineFull.isEmpty() || !onlineFull.contains(room) ? null
        : "room " + room + " holds its limit of " + maxOnline + " online users (--max-online-per-room); "
            + "the enter was not counted";
  }

  public int held() {
    return count.get();
  }
}
