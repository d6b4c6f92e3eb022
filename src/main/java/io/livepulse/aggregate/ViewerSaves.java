package io.livepulse.aggregate;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a room's next viewer-state save is whole (a base) or a delta on top of the last base, and
 * which base a delta belongs to.
 *
 * <p>The distinct-user sets only grow within a session, and they are most of a busy room's state: saved
 * whole every 30 s, a room of 16,000 distinct viewers wrote 226 KB each time, and the saves grew to 86 %
 * of PostgreSQL's WAL over a four-minute run (docs/BENCHMARKS.md, item 22). A delta carries the sets'
 * new users and the rest of the viewer state as it is now. A base is written again once the deltas
 * since the last one add up to twice its size, after {@link #MAX_DELTAS} of them (so a rebuild reads a
 * bounded number), in a new session, and after a save failed (a failed delta's new users are only in
 * memory). Each base gets a new random generation, and a delta names its base's: a delta written for
 * an older base (a save still in flight when a new base was written, or another node's) is never
 * applied to a newer one.
 */
final class ViewerSaves {
  /** Deltas on one base at most: a rebuild applies them one by one. */
  static final int MAX_DELTAS = 20;
  /**
   * A base is written again once its deltas add up to twice its size: a rebuild then reads at most three
   * times the state, and a room growing at a steady rate writes a base at 3, 9, 27… times the age of the
   * first one, so what it writes in all stays a small multiple of its final size.
   */
  static final int DELTAS_PER_BASE = 2;

  private long generation;
  private int deltas;
  private long baseBytes;
  private long deltaBytes;
  private int baseSession;
  /** True until a base is written, and after a save failed. */
  private boolean needBase = true;

  /** Whether the next save of a room in {@code session} must be a base. */
  boolean nextIsBase(int session) {
    return needBase || session != baseSession || deltas >= MAX_DELTAS || deltaBytes >= DELTAS_PER_BASE * baseBytes;
  }

  /** A base of {@code bytes} is being written; returns its generation. */
  long base(int session, int bytes) {
    generation = ThreadLocalRandom.current().nextLong();
    baseSession = session;
    baseBytes = bytes;
    deltaBytes = 0;
    deltas = 0;
    needBase = false;
    return generation;
  }

  /** A delta of {@code bytes} on the current base is being written; returns its number (1, 2, …). */
  int delta(int bytes) {
    deltaBytes += bytes;
    return ++deltas;
  }

  long generation() {
    return generation;
  }

  /** A save did not reach PostgreSQL: the next one is a base (what the failed one held is only in memory). */
  void failed() {
    needBase = true;
  }
}
