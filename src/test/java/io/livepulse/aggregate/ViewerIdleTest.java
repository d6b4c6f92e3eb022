package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.event.Event;
import org.junit.jupiter.api.Test;

/** Feeds that send enters and never leaves: a viewer with no event for the idle timeout counts as gone. */
class ViewerIdleTest {
  static final long S0 = T0 / 1000;

  static Event idleMinutes(int minutes, long ts) {
    return Event.roomMeta("r1", ts, null, null, null, null, minutes);
  }

  static void closeUntil(RoomState r, long fromSecond, long toSecond) {
    for (long s = fromSecond; s <= toSecond; s++) {
      r.closeSecond(s);
    }
  }

  @Test
  void aViewerWithoutEventsForTheTimeoutLeavesAndAnyEventKeepsThemIn() {
    RoomState r = new RoomState("r1");
    r.apply(idleMinutes(1, T0));
    r.apply(enter("a", T0));
    r.apply(enter("b", T0));
    r.apply(click("a", "lamp", T0 + 30_000));
    closeUntil(r, S0, S0 + 59);
    assertThat(r.totals().online()).isEqualTo(2);
    closeUntil(r, S0 + 60, S0 + 60);
    assertThat(r.totals().online()).as("b: nothing for 60 s").isEqualTo(1);
    closeUntil(r, S0 + 61, S0 + 90);
    assertThat(r.totals().online()).as("a: last seen at +30 s").isZero();
    assertThat(r.totals().peakOnline()).isEqualTo(2);
    assertThat(r.tick(S0 + 60).totals().views()).isEqualTo(2);
    long leaves = r.drainTraffic().stream().mapToLong(row -> row[3]).sum();
    assertThat(leaves).as("counted as leaves").isEqualTo(2);
  }

  @Test
  void offByDefaultAndTheRoomsSettingWinsOverTheServers() {
    RoomState quiet = new RoomState("r1");
    quiet.apply(enter("a", T0));
    closeUntil(quiet, S0, S0 + 4_000);
    assertThat(quiet.totals().online()).as("no timeout: stays").isEqualTo(1);

    RoomState r = new RoomState("r1");
    r.defaultViewerIdle(30);
    r.apply(enter("a", T0));
    closeUntil(r, S0, S0 + 30);
    assertThat(r.totals().online()).as("the server's 30 s").isZero();
    r.apply(idleMinutes(0, T0 + 31_000));
    r.defaultViewerIdle(30);
    r.apply(enter("b", T0 + 31_000));
    closeUntil(r, S0 + 31, S0 + 500);
    assertThat(r.totals().online()).as("the room turned it off").isEqualTo(1);
  }

  @Test
  void theTimeoutAndLastSeenSurviveTheSavedState() {
    RoomState r = new RoomState("r1");
    r.apply(idleMinutes(1, T0));
    r.apply(enter("a", T0));
    RoomState restored = new RoomState("r1");
    assertThat(restored.restoreViewerState(r.viewerState())).isTrue();
    closeUntil(restored, S0, S0 + 60);
    assertThat(restored.totals().online()).isZero();
  }
}
