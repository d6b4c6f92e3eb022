package io.livepulse.aggregate;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * Users currently inside a room. Needs removal, which no distinct-count sketch offers, so it keeps a
 * 64-bit hash per user in a primitive open-addressing set (fastutil): about 8-21 bytes per user
 * instead of the ~100 of a {@code HashSet<String>}. Two different users collide with probability
 * about n^2 / 2^65 (3e-10 at 100,000 users), which we accept as exact. Callers pass the {@link UserHash}
 * they computed once per event.
 */
public final class OnlineUsers {
  private final LongOpenHashSet inside = new LongOpenHashSet();
  /**
   * Who entered or left since {@link #markSaved}, in order (an enter where {@link #entered} is set), for
   * a delta save; null while nothing changed, and once it would outgrow the set (the delta then carries
   * the whole set).
   */
  private LongArrayList changes;
  private BitSet entered;
  private boolean tooManyChanges;

  /** First byte of a {@link #deltaBytes}: the changes follow, or the whole set. */
  private static final byte CHANGES = 1;
  private static final byte WHOLE = 2;

  /** @return true when the user (by hash) was not inside before */
  boolean enterHash(long hash) {
    if (inside.add(hash)) {
      changed(hash, true);
      return true;
    }
    return false;
  }

  /** @return true when the user (by hash) was inside */
  boolean leaveHash(long hash) {
    if (inside.remove(hash)) {
      changed(hash, false);
      return true;
    }
    return false;
  }

  private void changed(long hash, boolean enter) {
    if (tooManyChanges) {
      return;
    }
    if (changes == null) {
      changes = new LongArrayList();
      entered = new BitSet();
    } else if (changes.size() > inside.size() + 1024) {
      // The whole set is smaller than the log: the delta carries the set, and the log is not kept.
      tooManyChanges = true;
      changes = null;
      entered = null;
      return;
    }
    if (enter) {
      entered.set(changes.size());
    }
    changes.add(hash);
  }

  /**
   * What changed since {@link #markSaved}, for a delta save that {@link #merge} applies on top of the
   * set saved before: each enter and leave in order, or the whole set if that is smaller.
   */
  byte[] deltaBytes() {
    if (tooManyChanges) {
      byte[] whole = toBytes();
      return ByteBuffer.allocate(1 + whole.length).put(WHOLE).put(whole).array();
    }
    int n = changes == null ? 0 : changes.size();
    ByteBuffer buf = ByteBuffer.allocate(1 + 4 + 9 * n).put(CHANGES).putInt(n);
    for (int i = 0; i < n; i++) {
      buf.put((byte) (entered.get(i) ? 1 : 0)).putLong(changes.getLong(i));
    }
    return buf.array();
  }

  /** The set just written is the new reference for {@link #deltaBytes}. */
  void markSaved() {
    changes = null;
    entered = null;
    tooManyChanges = false;
  }

  /** Applies a {@link #deltaBytes}; returns the result (this set, or the whole set it carried). */
  OnlineUsers merge(byte[] delta) {
    ByteBuffer buf = ByteBuffer.wrap(delta);
    byte kind = buf.get();
    if (kind == WHOLE) {
      return fromBytes(java.util.Arrays.copyOfRange(delta, 1, delta.length));
    }
    if (kind != CHANGES) {
      throw new IllegalArgumentException("unknown online-users delta " + kind);
    }
    int n = buf.getInt();
    for (int i = 0; i < n; i++) {
      boolean enter = buf.get() == 1;
      long hash = buf.getLong();
      if (enter) {
        inside.add(hash);
      } else {
        inside.remove(hash);
      }
    }
    markSaved();
    return this;
  }

  boolean containsHash(long hash) {
    return inside.contains(hash);
  }

  void forEachHash(java.util.function.LongConsumer action) {
    inside.forEach(action);
  }

  public int count() {
    return inside.size();
  }

  public void clear() {
    inside.clear();
    inside.trim();
    // Cheaper to say "empty" whole than to list every leave.
    tooManyChanges = true;
    changes = null;
    entered = null;
  }

  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(4 + 8 * inside.size());
    buf.putInt(inside.size());
    for (LongIterator it = inside.iterator(); it.hasNext(); ) {
      buf.putLong(it.nextLong());
    }
    return buf.array();
  }

  public static OnlineUsers fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    OnlineUsers users = new OnlineUsers();
    int n = buf.getInt();
    users.inside.ensureCapacity(n);
    for (int i = 0; i < n; i++) {
      users.inside.add(buf.getLong());
    }
    return users;
  }
}
