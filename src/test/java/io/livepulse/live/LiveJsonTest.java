package io.livepulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.aggregate.RoomState;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.livepulse.event.Money;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written snapshot text says exactly what the JSON objects say, money to the cent. */
class LiveJsonTest {
  static final long T0 = 1_796_000_000_000L;

  @Test
  void snapshotTextEqualsTheObjectEncoding() {
    RoomState state = new RoomState("r1", 1);
    Random rnd = new Random(15);
    for (int s = 0; s < 400; s++) {
      long ts = T0 + s * 1000L;
      for (int i = 0; i < rnd.nextInt(5); i++) {
        state.apply(new Event(EventType.VIEWER, "r1", ts, "u" + rnd.nextInt(300), rnd.nextBoolean(), "recommend", null,
            null, 0, 0, null, null, null, null));
      }
      if (rnd.nextInt(3) == 0) {
        state.apply(new Event(EventType.CLICK, "r1", ts, "u" + rnd.nextInt(300), false, null, null, "lamp", 0, 0, null,
            null, null, null));
      }
      if (rnd.nextInt(4) == 0) {
        state.apply(new Event(EventType.ORDER, "r1", ts, "u" + rnd.nextInt(300), false, null, "o" + s, "lamp",
            1 + rnd.nextInt(3), rnd.nextInt(100_000), "Desk lamp", null, null, null));
      }
      if (s % 37 == 0 && s > 0) {
        // A refund larger than the second's sales: a negative GMV second.
        state.apply(new Event(EventType.REFUND, "r1", ts, null, false, null, "o" + (s - 1), "lamp", 0, 99_999, null,
            null, null, null));
      }
      state.closeSecond(ts / 1000);
    }
    var snap = state.snapshot(T0 / 1000 + 399);
    JsonObject viaObjects = LiveJson.snapshot(snap);
    JsonObject viaText = new JsonObject(LiveJson.snapshotText(snap));
    assertThat(viaText).isEqualTo(viaObjects);
    assertThat(viaText.getJsonArray("series")).hasSize(300);
  }

  @Test
  void centsAreWrittenAsMoneyFormatWritesThem() {
    long[] values = {0, 1, 5, 9, 10, 99, 100, 101, 1_299_00, -1, -5, -10, -100, -101, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1};
    for (long v : values) {
      StringBuilder sb = new StringBuilder();
      LiveJson.appendCents(sb, v);
      assertThat(sb.toString()).as("cents %d", v).isEqualTo(Money.format(v));
    }
  }
}
