package io.livepulse.aggregate;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.ByteBuffer;
import org.apache.datasketches.common.ResizeFactor;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Union;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * Distinct users of a room (uv, buyers, clickers): an exact set of 64-bit user hashes up to 2^17 users,
 * then an Apache DataSketches theta sketch.
 *
 * <p>Up to 131,072 users the set is exact (two users collide with probability about n^2 / 2^65, as in
 * {@link OnlineUsers}) and is saved as its entries, 8 bytes each: the theta sketch it replaces was saved
 * as its whole hash table, two to three times that, and the viewer-state saves were most of what
 * PostgreSQL wrote under load. Past that the hashes move into a sketch of 2^17 nominal entries, which
 * keeps every hash until about 245,000 distinct users, so counts stay exact well past the 100,000 the
 * contract asks for; beyond that it estimates with a relative standard error of 1/sqrt(2^17) = 0.28 %,
 * and its size stops growing (at most 2 MiB). Theta sketches merge by union, which is what a clustered
 * deployment needs to combine per-node states.
 *
 * <p>A sketch saved before the set existed (viewer-state version 5 or older) hashed the user id's text
 * itself; such a sketch keeps being fed the text, so that a returning user is not counted twice.
 */
public final class DistinctUsers {
  static final int LG_NOMINAL_ENTRIES = 17;
  /** The most users the exact set holds before the sketch takes over. */
  static final int EXACT_LIMIT = 1 << LG_NOMINAL_ENTRIES;

  /** First byte of this format; a serialised theta sketch never starts with 0 (its preamble length). */
  private static final byte FORMAT = 0;
  private static final byte SET = 1;
  private static final byte SKETCH = 2;
  /** Only in a saved delta ({@link #deltaBytes}): hashes to add to what was saved before. */
  private static final byte ADDED = 3;

  /** Null until the first user: most rooms' clickers, and idle rooms, then cost nothing. */
  private LongOpenHashSet set;
  /** Past {@link #EXACT_LIMIT} users, or restored from a sketch; then {@code set} is null. */
  private UpdateSketch sketch;
  /** A sketch restored from the old format, fed the user id's text rather than its hash. */
  private boolean legacy;
  /**
   * Hashes the exact set took in since {@link #markSaved}, for a delta save; null while there are none,
   * and once a sketch has taken over (a sketch is saved whole).
   */
  private LongArrayList added;

  public DistinctUsers() {
  }

  private static UpdateSketch newSketch() {
    return UpdateSketch.builder()
        .setLogNominalEntries(LG_NOMINAL_ENTRIES)
        .setResizeFactor(ResizeFactor.X2)
        .build();
  }

  public void add(String user) {
    add(user, legacy ? 0 : UserHash.of(user));
  }

  /** Adds {@code user}, whose {@link UserHash} the caller has computed already. */
  void add(String user, long hash) {
    if (legacy) {
      sketch.update(user);
      return;
    }
    if (sketch != null) {
      sketch.update(hash);
      return;
    }
    if (set == null) {
      set = new LongOpenHashSet();
    }
    if (set.add(hash)) {
      if (set.size() > EXACT_LIMIT) {
        UpdateSketch s = newSketch();
        for (LongIterator it = set.iterator(); it.hasNext(); ) {
          s.update(it.nextLong());
        }
        sketch = s;
        set = null;
        added = null;
        return;
      }
      if (added == null) {
        added = new LongArrayList();
      }
      added.add(hash);
    }
  }

  public long count() {
    if (sketch != null) {
      return Math.round(sketch.getEstimate());
    }
    return set == null ? 0 : set.size();
  }

  public boolean exact() {
    return sketch == null || !sketch.isEstimationMode();
  }

  /**
   * Distinct users over several parts (for example one per cluster node). The union keeps twice the
   * sketches' nominal entries, since its result is cut to that many: merged counts stay exact as far as a
   * single part's.
   */
  public static long unionCount(Iterable<DistinctUsers> parts) {
    boolean sets = true;
    for (DistinctUsers part : parts) {
      sets &= part.sketch == null;
    }
    if (sets) {
      LongOpenHashSet all = new LongOpenHashSet();
      for (DistinctUsers part : parts) {
        if (part.set != null) {
          all.addAll(part.set);
        }
      }
      return all.size();
    }
    Union union = SetOperation.builder().setLogNominalEntries(LG_NOMINAL_ENTRIES + 1).buildUnion();
    for (DistinctUsers part : parts) {
      if (part.sketch != null) {
        union.union(part.sketch);
      } else if (part.set != null) {
        for (LongIterator it = part.set.iterator(); it.hasNext(); ) {
          union.update(it.nextLong());
        }
      }
    }
    return Math.round(union.getResult().getEstimate());
  }

  /**
   * The exact set as its entries ({@code 0, 1, n, n longs}), a sketch fed hashes as {@code 0, 2, sketch},
   * and a sketch of the old format as it was (its first byte is never 0).
   */
  public byte[] toBytes() {
    if (legacy) {
      return sketch.toByteArray();
    }
    if (sketch != null) {
      byte[] s = sketch.toByteArray();
      return ByteBuffer.allocate(2 + s.length).put(FORMAT).put(SKETCH).put(s).array();
    }
    int n = set == null ? 0 : set.size();
    ByteBuffer buf = ByteBuffer.allocate(2 + 4 + Long.BYTES * n).put(FORMAT).put(SET).putInt(n);
    if (set != null) {
      for (LongIterator it = set.iterator(); it.hasNext(); ) {
        buf.putLong(it.nextLong());
      }
    }
    return buf.array();
  }

  /**
   * What changed since {@link #markSaved}, for a delta save that {@link #merge} applies on top of the
   * state saved before: the exact set's new hashes ({@code 0, 3, n, n longs}), or the whole
   * {@link #toBytes} once a sketch holds the users (a sketch cannot say what is new).
   */
  public byte[] deltaBytes() {
    if (legacy || sketch != null) {
      return toBytes();
    }
    int n = added == null ? 0 : added.size();
    ByteBuffer buf = ByteBuffer.allocate(2 + 4 + Long.BYTES * n).put(FORMAT).put(ADDED).putInt(n);
    for (int i = 0; i < n; i++) {
      buf.putLong(added.getLong(i));
    }
    return buf.array();
  }

  /** The state just written is the new reference for {@link #deltaBytes}. */
  public void markSaved() {
    added = null;
  }

  /**
   * Applies a {@link #deltaBytes} (the hashes it adds) or a whole {@link #toBytes} (which replaces this
   * state); returns the result, which is this object unless it was replaced.
   */
  public DistinctUsers merge(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != FORMAT || bytes[1] != ADDED) {
      return fromBytes(bytes);
    }
    if (legacy) {
      throw new IllegalArgumentException("a delta of hashes cannot apply to a sketch fed user ids");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    int n = buf.getInt();
    for (int i = 0; i < n; i++) {
      add(null, buf.getLong());
    }
    added = null;
    return this;
  }

  public static DistinctUsers fromBytes(byte[] bytes) {
    DistinctUsers users = new DistinctUsers();
    if (bytes.length == 0) {
      return users;
    }
    if (bytes[0] != FORMAT) {
      users.sketch = UpdateSketch.heapify(Memory.wrap(bytes));
      users.legacy = true;
      return users;
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    switch (bytes[1]) {
      case SKETCH -> users.sketch = UpdateSketch.heapify(Memory.wrap(bytes).region(2, bytes.length - 2));
      case SET -> {
        int n = buf.getInt();
        if (n > 0) {
          users.set = new LongOpenHashSet(n);
          for (int i = 0; i < n; i++) {
            users.set.add(buf.getLong());
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown distinct-users format " + bytes[1]);
    }
    return users;
  }
}
