package io.livepulse.aggregate;

import org.apache.datasketches.common.ResizeFactor;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Union;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * Distinct users of a room (uv, buyers, clickers), as an Apache DataSketches theta sketch.
 *
 * <p>With 2^17 nominal entries the sketch keeps every hash until about 245,000 distinct users, so counts
 * are exact well past the 100,000 the contract asks for; beyond that it estimates with a relative
 * standard error of 1/sqrt(2^17) = 0.28 %, and its size stops growing (at most 2 MiB). Theta sketches
 * merge by union, which is what a clustered deployment needs to combine per-node states.
 */
public final class DistinctUsers {
  static final int LG_NOMINAL_ENTRIES = 17;

  /** Null until the first user: most rooms' clickers, and idle rooms, then cost nothing. */
  private UpdateSketch sketch;

  public DistinctUsers() {
  }

  private DistinctUsers(UpdateSketch sketch) {
    this.sketch = sketch;
  }

  private static UpdateSketch newSketch() {
    return UpdateSketch.builder()
        .setLogNominalEntries(LG_NOMINAL_ENTRIES)
        .setResizeFactor(ResizeFactor.X2)
        .build();
  }

  public void add(String user) {
    if (sketch == null) {
      sketch = newSketch();
    }
    sketch.update(user);
  }

  public long count() {
    return sketch == null ? 0 : Math.round(sketch.getEstimate());
  }

  public boolean exact() {
    return sketch == null || !sketch.isEstimationMode();
  }

  public int bytes() {
    return sketch == null ? 0 : sketch.getCurrentBytes();
  }

  /** Distinct users over several sketches (for example one per cluster node), by theta union. */
  public static long unionCount(Iterable<DistinctUsers> parts) {
    Union union = SetOperation.builder().setLogNominalEntries(LG_NOMINAL_ENTRIES).buildUnion();
    for (DistinctUsers part : parts) {
      if (part.sketch != null) {
        union.union(part.sketch);
      }
    }
    return Math.round(union.getResult().getEstimate());
  }

  public byte[] toBytes() {
    return (sketch != null ? sketch : newSketch()).toByteArray();
  }

  public static DistinctUsers fromBytes(byte[] bytes) {
    return new DistinctUsers(UpdateSketch.heapify(Memory.wrap(bytes)));
  }
}
