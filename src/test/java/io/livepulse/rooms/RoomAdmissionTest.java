package io.livepulse.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomAdmissionTest {
  static final long T0 = 1_763_800_000_000L;

  @Test
  void eachPrincipalMayOpenSoManyRoomsPerHour() {
    RoomAdmission a = new RoomAdmission(1_000, 3);
    assertThat(a.admit("r1", "tokens[0]", T0)).isNull();
    assertThat(a.admit("r2", "tokens[0]", T0)).isNull();
    assertThat(a.admit("r3", "tokens[0]", T0)).isNull();
    assertThat(a.admit("r4", "tokens[0]", T0)).contains("already opened 3 rooms this hour (--max-new-rooms-per-token)");
    assertThat(a.admit("r1", "tokens[0]", T0)).as("a room already open is not new").isNull();
    assertThat(a.admit("r4", "tokens[1]", T0)).as("another token has its own budget").isNull();
    assertThat(a.admit("r5", "tokens[0]", T0 + RoomAdmission.WINDOW_MS)).as("a new hour").isNull();
  }

  @Test
  void theServerHoldsAtMostMaxRoomsAndReleasedOnesFreeTheirPlace() {
    RoomAdmission a = new RoomAdmission(2, 100);
    assertThat(a.admit("a", "p", T0)).isNull();
    a.hold("b");
    assertThat(a.held()).isEqualTo(2);
    assertThat(a.admit("c", "p", T0)).contains("holds its limit of 2 open rooms (--max-rooms)");
    a.release("a");
    assertThat(a.isHeld("a")).isFalse();
    assertThat(a.admit("c", "p", T0)).isNull();
    assertThat(a.held()).isEqualTo(2);
  }

  @Test
  void enteringAFullRoomIsRefusedUntilItHasRoom() {
    RoomAdmission a = new RoomAdmission(10, 10);
    assertThat(a.enterRefused("r", 5)).isNull();
    a.markOnlineFull("r", true);
    assertThat(a.enterRefused("r", 5)).contains("holds its limit of 5 online users (--max-online-per-room)");
    a.markOnlineFull("r", false);
    assertThat(a.enterRefused("r", 5)).isNull();
  }
}
