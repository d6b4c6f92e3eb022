package io.livepulse.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.datasketches.common.ResizeFactor;
import org.apache.datasketches.theta.UpdateSketch;
import org.junit.jupiter.api.Test;

/**
 * Distinct users: exact through the set and well into the sketch, saved compactly, merged across nodes,
 * and a sketch saved by an older version still counts the same users once.
 */
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

  @Test
  void exactThroughTheSetAndIntoTheSketch() {
    DistinctUsers users = new DistinctUsers();
    for (int i = 0; i < 200_000; i++) {
      users.add("u" + i);
      if (i % 4 == 0) {
        users.add("u" + (i / 2));
      }
    }
    assertThat(users.count()).isEqualTo(200_000);
    assertThat(users.exact()).isTrue();
    DistinctUsers restored = DistinctUsers.fromBytes(users.toBytes());
    restored.add("u17");
    restored.add("u-new");
    assertThat(restored.count()).isEqualTo(200_001);
  }

  @Test
  void theLastUserTheSetHoldsAndTheFirstTheSketchTakes() {
    DistinctUsers users = new DistinctUsers();
    for (int i = 0; i < DistinctUsers.EXACT_LIMIT; i++) {
      users.add("v" + i);
    }
    byte[] asSet = users.toBytes();
    assertThat(asSet).hasSize(2 + 4 + 8 * DistinctUsers.EXACT_LIMIT);
    users.add("v0");
    assertThat(users.toBytes()).isEqualTo(asSet);
    users.add("one more");
    assertThat(users.count()).isEqualTo(DistinctUsers.EXACT_LIMIT + 1);
    assertThat(users.toBytes()[1]).as("now a sketch").isEqualTo((byte) 2);
  }

  @Test
  void aSetIsSavedAsItsEntriesNotAsAHashTable() {
    DistinctUsers users = new DistinctUsers();
    UpdateSketch before = oldSketch();
    for (int i = 0; i < 12_900; i++) {
      users.add("viewer-" + i);
      before.update("viewer-" + i);
    }
    assertThat(users.toBytes()).hasSize(2 + 4 + 8 * 12_900);
    assertThat(before.toByteArray().length).as("the theta sketch's table, saved before").isGreaterThan(2 * 8 * 12_900);
    assertThat(DistinctUsers.fromBytes(users.toBytes()).count()).isEqualTo(12_900);
    assertThat(DistinctUsers.fromBytes(new DistinctUsers().toBytes()).count()).isZero();
  }

  @Test
  void aSketchSavedByAnOlderVersionCountsTheSameUsersOnce() {
    UpdateSketch saved = oldSketch();
    for (int i = 0; i < 1_000; i++) {
      saved.update("u" + i);
    }
    DistinctUsers restored = DistinctUsers.fromBytes(saved.toByteArray());
    assertThat(restored.count()).isEqualTo(1_000);
    restored.add("u5");
    restored.add("u999");
    assertThat(restored.count()).as("returning users").isEqualTo(1_000);
    restored.add("u1000");
    DistinctUsers again = DistinctUsers.fromBytes(restored.toBytes());
    again.add("u1000");
    again.add("u0");
    assertThat(again.count()).isEqualTo(1_001);
  }

  @Test
  void aSetAndASketchMergeExactly() {
    DistinctUsers big = new DistinctUsers();
    DistinctUsers small = new DistinctUsers();
    for (int i = 0; i < 150_000; i++) {
      big.add("u" + i);
    }
    for (int i = 140_000; i < 160_000; i++) {
      small.add("u" + i);
    }
    assertThat(DistinctUsers.unionCount(List.of(big, small))).isEqualTo(160_000);
    assertThat(DistinctUsers.unionCount(List.of(small, new DistinctUsers()))).isEqualTo(20_000);
  }

  /** The sketch every version up to viewer-state version 5 kept and saved. */
  private static UpdateSketch oldSketch() {
    return UpdateSketch.builder().setLogNominalEntries(17).setResizeFactor(ResizeFactor.X2).build();
  }

  @Test
  void aDeltaHoldsTheUsersNewSinceTheLastSaveAndMergesOntoIt() {
    DistinctUsers users = new DistinctUsers();
    users.add("a");
    users.add("b");
    DistinctUsers saved = DistinctUsers.fromBytes(users.toBytes());
    users.markSaved();
    users.add("b");
    users.add("c");
    users.add("d");
    byte[] delta = users.deltaBytes();
    assertThat(delta).hasSize(2 + 4 + 2 * Long.BYTES);
    assertThat(saved.merge(delta)).isSameAs(saved);
    assertThat(saved.count()).isEqualTo(4);
    users.markSaved();
    assertThat(users.deltaBytes()).as("nothing new").hasSize(6);
    // A whole state replaces what it merges onto.
    assertThat(saved.merge(new DistinctUsers().toBytes()).count()).isZero();
  }

  @Test
  void onceASketchHoldsTheUsersADeltaCarriesItWhole() {
    DistinctUsers users = new DistinctUsers();
    for (int i = 0; i <= DistinctUsers.EXACT_LIMIT; i++) {
      users.add("u" + i);
    }
    assertThat(users.deltaBytes()).isEqualTo(users.toBytes());
    assertThat(new DistinctUsers().merge(users.deltaBytes()).count()).isEqualTo(DistinctUsers.EXACT_LIMIT + 1);
  }
}
