package io.livepulse.aggregate;

import static io.livepulse.aggregate.Events.T0;
import static io.livepulse.aggregate.Events.click;
import static io.livepulse.aggregate.Events.enter;
import static io.livepulse.aggregate.Events.leave;
import static io.livepulse.aggregate.Events.order;
import static io.livepulse.aggregate.Events.refund;
import static io.livepulse.aggregate.Events.room;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A room moved whole (to another aggregator or node) is the same room: every figure of the copy
 * equals the original's, and both go on identically under the same later events.
 */
class RoomSnapshotTest {
  static final long S0 = T0 / 1000;

  static List<Event> history(Random rnd, long fromMs, int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long ts = fromMs + i * 137L;
      String user = "u" + rnd.nextInt(400);
      switch (rnd.nextInt(6)) {
        case 0, 1 -> out.add(enter(user, rnd.nextBoolean() ? "follow" : "recommend", ts));
        case 2 -> out.add(leave(user, ts));
        case 3 -> out.add(click(user, "sku" + rnd.nextInt(7), ts));
        case 4 -> out.add(order("o" + i, user, "sku" + rnd.nextInt(7), 1 + rnd.nextInt(3), 100 + rnd.nextInt(9_000), ts,
            source(i)));
        default -> out.add(refund("o" + (i - 1), "sku" + rnd.nextInt(7), 1 + rnd.nextInt(50), ts, source(i - 1)));
      }
    }
    return out;
  }

  /** Orders come from three sources, one of them none. */
  static String source(int order) {
    return switch (Math.floorMod(order, 3)) {
      case 0 -> "ads";
      case 1 -> "follow";
      default -> null;
    };
  }

  static void assertSame(RoomState a, RoomState b, long lastClosed) {
    assertThat(b.channels()).isEqualTo(a.channels());
    assertThat(b.totals()).isEqualTo(a.totals());
    assertThat(b.meta()).isEqualTo(a.meta());
    assertThat(b.session()).isEqualTo(a.session());
    assertThat(b.topProducts()).isEqualTo(a.topProducts());
    assertThat(b.sources()).isEqualTo(a.sources());
    assertThat(b.snapshot(lastClosed)).isEqualTo(a.snapshot(lastClosed));
    assertThat(b.lastActiveSecond()).isEqualTo(a.lastActiveSecond());
    assertThat(b.lastEventSecond()).isEqualTo(a.lastEventSecond());
    assertThat(b.lastOrderSecond()).isEqualTo(a.lastOrderSecond());
  }

  @Test
  void everyFigureRoundTripsAndBothCopiesGoOnAlike() {
    Random rnd = new Random(7);
    RoomState original = new RoomState("r1");
    original.limitOnline(250);
    original.apply(room("live", T0));
    long s = S0;
    for (List<Event> chunk : List.of(history(rnd, T0, 3_000), history(rnd, T0 + 400_000, 2_000))) {
      for (Event e : chunk) {
        while (e.second() > s) {
          original.closeSecond(s++);
        }
        original.apply(e);
      }
    }
    original.closeSecond(s);
    RoomState copy = RoomState.fromSnapshot(original.toSnapshot());
    assertSame(original, copy, s);
    assertThat(rows(copy.drainTraffic())).isEqualTo(rows(original.drainTraffic())).isNotEmpty();

    // The same future on both: identical again, including the online limit and the series.
    List<Event> later = history(new Random(8), (s + 1) * 1000, 1_500);
    long s2 = s + 1;
    for (Event e : later) {
      while (e.second() > s2) {
        original.closeSecond(s2);
        copy.closeSecond(s2++);
      }
      original.apply(e);
      copy.apply(e);
    }
    assertSame(original, copy, s2);
    assertThat(original.totals().online()).isLessThanOrEqualTo(250);
  }

  /** Unwritten per-second rows, in second order (the room keeps them in a hash map). */
  static List<List<Long>> rows(List<long[]> drained) {
    return drained.stream().map(r -> java.util.Arrays.stream(r).boxed().toList())
        .sorted(java.util.Comparator.comparing(r -> r.get(0))).toList();
  }

  @Test
  void anEmptyRoomRoundTrips() {
    RoomState empty = new RoomState("quiet", 4);
    RoomState copy = RoomState.fromSnapshot(empty.toSnapshot());
    assertSame(empty, copy, S0);
    assertThat(copy.room()).isEqualTo("quiet");
  }
}
