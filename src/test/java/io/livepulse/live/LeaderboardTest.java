package io.livepulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.bus.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardTest {
  static Figures.RoomTick room(String id, long gmv, long orders, long online, String status, Figures.Product... products) {
    return new Figures.RoomTick(id, 100, 1, new Figures.Meta("anchor " + id, "t", "douyin", status),
        Figures.Second.empty(100, online), new Figures.Totals(gmv, orders, orders, orders, 10, 10, online, online, 0),
        List.of(products), Map.of());
  }

  static Figures.Product product(String sku, long gmv, long units) {
    return new Figures.Product(sku, "title " + sku, gmv, units, units);
  }

  @Test
  void ranksRoomsByGmvThenOrdersThenIdAndSumsTotals() {
    List<Figures.RoomTick> ticks = List.of(
        room("b", 500, 5, 10, null),
        room("a", 500, 5, 20, "ended"),
        room("c", 500, 9, 30, "live"),
        room("d", 900, 1, 40, null));
    LeaderboardData d = Leaderboard.compute(100, ticks, LiveHub.ALL);
    assertThat(d.rooms()).extracting(LeaderboardData.RoomLine::room).containsExactly("d", "c", "a", "b");
    assertThat(d.gmvCents()).isEqualTo(2400);
    assertThat(d.orders()).isEqualTo(20);
    assertThat(d.online()).isEqualTo(100);
    assertThat(d.liveRooms()).as("ended rooms are not live").isEqualTo(3);
  }

  @Test
  void keepsTwentyRoomsAndTwentyProductsAcrossRooms() {
    List<Figures.RoomTick> ticks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ticks.add(room("r" + i, i * 100L, 1, 1, null, product("p" + i + "a", i * 10L, 1), product("p" + i + "b", i * 10L, 2)));
    }
    LeaderboardData d = Leaderboard.compute(100, ticks, LiveHub.ALL);
    assertThat(d.rooms()).hasSize(20);
    assertThat(d.rooms().get(0).room()).isEqualTo("r49");
    assertThat(d.rooms().get(19).room()).isEqualTo("r30");
    assertThat(d.products()).hasSize(20);
    assertThat(d.products().get(0).product().sku()).as("equal gmv: more units first").isEqualTo("p49b");
    assertThat(d.products().get(1).product().sku()).isEqualTo("p49a");
    assertThat(d.products().get(19).product().sku()).isEqualTo("p40a");
  }

  @Test
  void showsOnlyVisibleRooms() {
    List<Figures.RoomTick> ticks = List.of(room("brandA-1", 5, 1, 1, null), room("brandB-1", 9, 1, 1, null));
    LeaderboardData d = Leaderboard.compute(100, ticks, r -> r.startsWith("brandA-"));
    assertThat(d.rooms()).extracting(LeaderboardData.RoomLine::room).containsExactly("brandA-1");
    assertThat(d.gmvCents()).isEqualTo(5);
  }
}
