package io.livepulse.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a viewer-state save is a base, and which base a delta belongs to. */
class ViewerSavesTest {

  @Test
  void theFirstSaveIsABaseAndDeltasFollowNumbered() {
    ViewerSaves saves = new ViewerSaves();
    assertThat(saves.nextIsBase(1)).isTrue();
    long generation = saves.base(1, 10_000);
    assertThat(saves.nextIsBase(1)).isFalse();
    assertThat(saves.delta(100)).isEqualTo(1);
    assertThat(saves.delta(100)).isEqualTo(2);
    assertThat(saves.generation()).isEqualTo(generation);
  }

  @Test
  void aBaseAgainOnceTheDeltasAddUpToTwiceItsSize() {
    ViewerSaves saves = new ViewerSaves();
    saves.base(1, 1_000);
    saves.delta(1_200);
    assertThat(saves.nextIsBase(1)).isFalse();
    saves.delta(799);
    assertThat(saves.nextIsBase(1)).as("1,999 of 2,000 bytes").isFalse();
    saves.delta(1);
    assertThat(saves.nextIsBase(1)).as("2,000 of 2,000 bytes").isTrue();
  }

  @Test
  void aBaseAgainAfterTheMostDeltas() {
    ViewerSaves saves = new ViewerSaves();
    saves.base(1, Integer.MAX_VALUE);
    for (int i = 1; i < ViewerSaves.MAX_DELTAS; i++) {
      saves.delta(1);
      assertThat(saves.nextIsBase(1)).isFalse();
    }
    assertThat(saves.delta(1)).isEqualTo(ViewerSaves.MAX_DELTAS);
    assertThat(saves.nextIsBase(1)).isTrue();
  }

  @Test
  void aBaseAgainInANewSessionAndAfterAFailure() {
    ViewerSaves saves = new ViewerSaves();
    long first = saves.base(1, 1_000);
    assertThat(saves.nextIsBase(2)).isTrue();
    saves.failed();
    assertThat(saves.nextIsBase(1)).isTrue();
    long second = saves.base(1, 1_000);
    assertThat(second).isNotEqualTo(first);
    assertThat(saves.delta(1)).as("numbering restarts on a new base").isEqualTo(1);
  }
}
