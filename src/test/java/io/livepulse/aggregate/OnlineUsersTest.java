package io.livepulse.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who is inside, saved whole or as the enters and leaves since the last save. */
class OnlineUsersTest {

  @Test
  void aDeltaReplaysEntersAndLeavesInTheirOrder() {
    OnlineUsers online = new OnlineUsers();
    online.enterHash(1);
    online.enterHash(2);
    OnlineUsers saved = OnlineUsers.fromBytes(online.toBytes());
    online.markSaved();
    online.leaveHash(1);
    online.enterHash(1);
    online.leaveHash(2);
    online.enterHash(3);
    online.enterHash(3);
    online.leaveHash(4);
    byte[] delta = online.deltaBytes();
    assertThat(delta).as("four changes; entering twice and leaving while out are none").hasSize(1 + 4 + 9 * 4);
    OnlineUsers merged = saved.merge(delta);
    assertThat(merged.count()).isEqualTo(2);
    assertThat(merged.containsHash(1)).isTrue();
    assertThat(merged.containsHash(2)).isFalse();
    assertThat(merged.containsHash(3)).isTrue();
  }

  @Test
  void moreChangesThanUsersInsideAreSavedAsTheWholeSet() {
    OnlineUsers online = new OnlineUsers();
    online.markSaved();
    for (int i = 0; i < 3_000; i++) {
      online.enterHash(7);
      online.leaveHash(7);
    }
    online.enterHash(8);
    byte[] delta = online.deltaBytes();
    assertThat(delta.length).as("the set of one, not 6,001 changes").isEqualTo(1 + 4 + 8);
    OnlineUsers before = new OnlineUsers();
    before.enterHash(7);
    OnlineUsers merged = before.merge(delta);
    assertThat(merged.count()).isEqualTo(1);
    assertThat(merged.containsHash(8)).isTrue();
    online.markSaved();
    assertThat(online.deltaBytes()).as("nothing since").hasSize(5);
  }
}
