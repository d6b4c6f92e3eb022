package io.livepulse.event;

/** Contract §1: a room id is 1-64 characters of A-Z a-z 0-9 _ . : - */
public final class RoomId {
  public static final String RULE = "1-64 characters of A-Z a-z 0-9 _ . : -";

  private RoomId() {
  }

  /** A loop, not a regex: this runs for every event. */
  public static boolean valid(String room) {
    int n = room.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = room.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
