package io.livepulse.live;

import io.livepulse.bus.Figures;
import java.util.List;

/** The cross-room overview of one second: the body of a {@code leaderboard} message. */
public record LeaderboardData(long second, List<RoomLine> rooms, List<ProductLine> products, long gmvCents,
                              long orders, long online, long liveRooms) {

  public record RoomLine(String room, Figures.Meta meta, Figures.Totals totals) {
  }

  public record ProductLine(String room, Figures.Product product) {
  }

  public static LeaderboardData empty(long second) {
    return new LeaderboardData(second, List.of(), List.of(), 0, 0, 0, 0);
  }
}
