package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * A viewer state saved by the version before the exact distinct-user sets (viewer state 5, theta sketches
 * fed the user ids' text) is restored by this one and keeps counting the same users once.
 *
 * <p>viewer-state-v5.bin was written by that version's RoomState: 3,000 viewers u0..u2999 entered
 * (source recommend), u0..u999 left, u0..u199 clicked sku s1.
 */
class ViewerStateUpgradeTest {
  @Test
  void aVersionFiveStateRestoresAndReturningUsersCountOnce() throws Exception {
    RoomState room = new RoomState("r1");
    assertThat(room.restoreViewerState(savedByVersionFive())).isTrue();
    Figures totals = new Figures(room);
    assertThat(totals.uv).isEqualTo(3_000);
    assertThat(totals.online).isEqualTo(2_000);
    assertThat(totals.clickers).isEqualTo(200);

    room.apply(Events.enter("u5", T0 + 10_000));
    room.apply(Events.enter("u2999", T0 + 10_001));
    room.apply(Events.click("u150", "s1", T0 + 10_002));
    room.apply(Events.enter("newcomer", T0 + 10_003));
    room.apply(Events.click("newcomer", "s1", T0 + 10_004));
    totals = new Figures(room);
    assertThat(totals.uv).as("returning users count once").isEqualTo(3_001);
    assertThat(totals.online).as("u5 had left, u2999 was inside").isEqualTo(2_002);
    assertThat(totals.clickers).isEqualTo(201);

    RoomState again = new RoomState("r1");
    assertThat(again.restoreViewerState(room.viewerState())).isTrue();
    again.apply(Events.enter("u7", T0 + 10_005));
    again.apply(Events.enter("newcomer", T0 + 10_006));
    totals = new Figures(again);
    assertThat(totals.uv).as("saved again, in this version's format").isEqualTo(3_001);
    assertThat(totals.online).isEqualTo(2_003);
  }

  @Test
  void thisVersionSavesTheSameRoomInLessThanHalfTheBytes() throws Exception {
    RoomState room = new RoomState("r1");
    for (int i = 0; i < 3_000; i++) {
      room.apply(Events.enter("u" + i, "recommend", T0 + i));
    }
    for (int i = 0; i < 1_000; i++) {
      room.apply(Events.leave("u" + i, T0 + 3_000 + i));
    }
    for (int i = 0; i < 200; i++) {
      room.apply(Events.click("u" + i, "s1", T0 + 4_000 + i));
    }
    byte[] now = room.viewerState();
    assertThat(now.length * 2).isLessThan(savedByVersionFive().length);
    RoomState restored = new RoomState("r1");
    assertThat(restored.restoreViewerState(now)).isTrue();
    Figures totals = new Figures(restored);
    assertThat(totals.uv).isEqualTo(3_000);
    assertThat(totals.online).isEqualTo(2_000);
    assertThat(totals.clickers).isEqualTo(200);
  }

  private static byte[] savedByVersionFive() throws Exception {
    try (InputStream in = ViewerStateUpgradeTest.class.getResourceAsStream("viewer-state-v5.bin")) {
      return in.readAllBytes();
    }
  }

  /** The figures these tests read, from the room's totals. */
  private static final class Figures {
    final long uv;
    final long online;
    final long clickers;

    Figures(RoomState room) {
      var t = room.totals();
      uv = t.uv();
      online = t.online();
      clickers = t.clickers();
    }
  }
}
