package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.leave;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room's viewer state is saved as a base and deltas on it: a delta carries the distinct users that
 * are new since the last save and the rest of the viewer state as it is then. A base restored with
 * its deltas in order is the room as it was at the last save, however the sets changed in between.
 */
class ViewerStateDeltaTest {

  @Test
  void aBaseAndItsDeltasRestoreTheRoomAsAtTheLastSave() {
    RoomState room = new RoomState("r1");
    List<RoomState.ViewerSave> saves = new ArrayList<>();
    int user = 0;
    for (int round = 0; round < 5; round++) {
      // A big first round, then a few hundred new users a round, most of whom leave again.
      for (int i = 0; i < (round == 0 ? 3_000 : 300); i++, user++) {
        room.apply(enter("u" + user, "feed" + (user % 3), T0 + round * 1000L));
        if (user % 4 == 0) {
          room.apply(click("u" + user, "sku" + (user % 5), T0 + round * 1000L));
        }
        if (user % 10 != 0) {
          room.apply(leave("u" + user, T0 + round * 1000L));
        }
      }
      // Returning users: known already, in no delta's new users.
      room.apply(click("u1", "sku1", T0 + round * 1000L));
      saves.add(room.viewerSave(false));
    }
    assertThat(saves).extracting(RoomState.ViewerSave::delta).containsExactly(0, 1, 2, 3, 4);
    assertThat(saves).extracting(RoomState.ViewerSave::generation).containsOnly(saves.get(0).generation());
    // Each delta holds one round's new users, far less than the room's whole state.
    assertThat(saves.get(4).state().length).isLessThan(room.viewerState().length / 4);

    RoomState restored = new RoomState("r1");
    assertThat(restored.restoreViewerState(saves.get(0).state())).isTrue();
    for (RoomState.ViewerSave delta : saves.subList(1, saves.size())) {
      assertThat(restored.restoreViewerDelta(delta.state())).isTrue();
    }
    assertThat(restored.totals()).isEqualTo(room.totals());
    assertThat(restored.totals().uv()).isEqualTo(4_200);
    assertThat(restored.sources()).isEqualTo(room.sources());
    assertThat(restored.topProducts()).isEqualTo(room.topProducts());
    // And it goes on counting from there: a user of the first round is known, a new one is not.
    restored.apply(click("u7", "sku2", T0 + 9000));
    restored.apply(click("new", "sku2", T0 + 9000));
    assertThat(restored.totals().uv()).isEqualTo(4_201);
  }

  @Test
  void withoutItsLastDeltaTheRoomIsAsAtTheSaveBefore() {
    RoomState room = new RoomState("r1");
    room.apply(enter("a", T0));
    RoomState.ViewerSave base = room.viewerSave(false);
    room.apply(enter("b", T0 + 1000));
    RoomState.ViewerSave first = room.viewerSave(false);
    long uvAtFirst = room.totals().uv();
    room.apply(enter("c", T0 + 2000));
    room.viewerSave(false);

    RoomState restored = new RoomState("r1");
    restored.restoreViewerState(base.state());
    restored.restoreViewerDelta(first.state());
    assertThat(restored.totals().uv()).isEqualTo(uvAtFirst).isEqualTo(2);
    assertThat(restored.totals().online()).isEqualTo(2);
  }

  @Test
  void usersOverTheExactLimitMoveIntoTheSketchAcrossDeltas() {
    RoomState room = new RoomState("r1");
    int n = 0;
    for (; n < 100_000; n++) {
      room.apply(click("u" + n, "s", T0));
    }
    RoomState.ViewerSave base = room.viewerSave(false);
    for (; n < 140_000; n++) {
      room.apply(click("u" + n, "s", T0 + 1000));
    }
    // Past 131,072 the users are in a sketch, which a delta carries whole.
    RoomState.ViewerSave delta = room.viewerSave(false);
    assertThat(delta.delta()).isEqualTo(1);

    RoomState restored = new RoomState("r1");
    restored.restoreViewerState(base.state());
    restored.restoreViewerDelta(delta.state());
    assertThat(restored.totals().uv()).isEqualTo(room.totals().uv()).isEqualTo(140_000);
    assertThat(restored.totals().clickers()).isEqualTo(140_000);
  }

  @Test
  void aNewSessionAFailedSaveOrAForcedOneWritesABase() {
    RoomState room = new RoomState("r1");
    room.apply(enter("a", T0));
    RoomState.ViewerSave base = room.viewerSave(false);
    assertThat(base.delta()).isZero();
    assertThat(room.viewerSave(false).delta()).isEqualTo(1);

    room.viewerSaveFailed();
    assertThat(room.takeViewerStateChanged()).as("a failed save is due again").isTrue();
    RoomState.ViewerSave afterFailure = room.viewerSave(false);
    assertThat(afterFailure.delta()).isZero();
    assertThat(afterFailure.generation()).isNotEqualTo(base.generation());

    assertThat(room.viewerSave(true).delta()).isZero();
    room.startSession(2);
    RoomState.ViewerSave newSession = room.viewerSave(false);
    assertThat(newSession.delta()).isZero();
    // A delta never applies across sessions.
    room.apply(enter("b", T0));
    RoomState.ViewerSave delta = room.viewerSave(false);
    assertThat(new RoomState("r1", 1).restoreViewerDelta(delta.state())).isFalse();
  }

  @Test
  void theWholeStateStaysWhatARoomMovedWholeCarries() {
    RoomState room = new RoomState("r1");
    room.apply(enter("a", T0));
    room.viewerSave(false);
    room.apply(enter("b", T0));
    // Taking the whole state (a snapshot) is not a save: the next delta still holds b.
    RoomState moved = new RoomState("r1");
    moved.restoreViewerState(room.viewerState());
    assertThat(moved.totals().uv()).isEqualTo(2);
    RoomState.ViewerSave delta = room.viewerSave(false);
    RoomState fromBase = new RoomState("r1");
    fromBase.restoreViewerState(new RoomState("r1").viewerState());
    fromBase.restoreViewerDelta(delta.state());
    assertThat(fromBase.totals().uv()).as("only b is new since the base").isEqualTo(1);
  }
}
