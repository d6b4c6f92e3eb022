package io.livepulse.bus;

import java.util.List;

/**
 * Which node owns each room: exactly one at a time, so that its figures (online, distinct users) are
 * counted in one place. One node owns every room; in a cluster, the owner is the member with the
 * highest rendezvous hash for the room, so a member leaving moves only its own rooms, and a member
 * joining takes about 1/n of everyone's.
 */
public interface Placement {
  /** This node's id. */
  String self();

  /** The members as this node sees them now, sorted. */
  List<String> nodes();

  default String ownerOf(String room) {
    return rendezvous(room, nodes());
  }

  default boolean owns(String room) {
    return ownerOf(room).equals(self());
  }

  /** One node, owning everything. */
  static Placement single() {
    return Single.INSTANCE;
  }

  /** Highest-random-weight owner of {@code room} among {@code nodes} (not empty). */
  static String rendezvous(String room, List<String> nodes) {
    String best = null;
    long bestWeight = 0;
    long r = mix(room.hashCode() * 0x9E3779B97F4A7C15L);
    for (String node : nodes) {
      long w = mix(r ^ (node.hashCode() * 0xC2B2AE3D27D4EB4FL + node.length()));
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0
          || w == bestWeight && node.compareTo(best) < 0) {
        best = node;
        bestWeight = w;
      }
    }
    return best;
  }

  /** The finaliser of SplitMix64: spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  final class Single implements Placement {
    static final Single INSTANCE = new Single();
    private static final List<String> NODES = List.of("local");

    private Single() {
    }

    @Override
    public String self() {
      return "local";
    }

    @Override
    public List<String> nodes() {
      return NODES;
    }

    @Override
    public String ownerOf(String room) {
      return "local";
    }
  }
}
