package io.livepulse.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Distinct-user sketches of one room kept on two nodes combine into the room's true count. */
class DistinctUsersTest {
  @Test
  void sketchesOfOverlappingUsersMergeByUnion() {
    DistinctUsers nodeA = new DistinctUsers();
    DistinctUsers nodeB = new DistinctUsers();
    for (int i = 0; i < 60_000; i++) {
      nodeA.add("u" + i);
    }
    for (int i = 40_000; i < 100_000; i++) {
      nodeB.add("u" + i);
    }
    assertThat(DistinctUsers.unionCount(List.of(nodeA, nodeB))).as("exact in exact mode").isEqualTo(100_000);
  }

  @Test
  void mergedEstimatesStayWithinOnePercent() {
    DistinctUsers nodeA = new DistinctUsers();
    DistinctUsers nodeB = new DistinctUsers();
    for (int i = 0; i < 600_000; i++) {
      (i % 2 == 0 ? nodeA : nodeB).add("viewer-" + i);
      nodeB.add("viewer-" + (i / 3));
    }
    assertThat((double) DistinctUsers.unionCount(List.of(nodeA, nodeB))).isCloseTo(600_000, within(6_000.0));
  }

  @Test
  void savedSketchesKeepCounting() {
    DistinctUsers users = new DistinctUsers();
    users.add("a");
    users.add("b");
    DistinctUsers restored = DistinctUsers.fromBytes(users.toBytes());
    restored.add("a");
    restored.add("c");
    assertThat(restored.count()).isEqualTo(3);
  }
}
