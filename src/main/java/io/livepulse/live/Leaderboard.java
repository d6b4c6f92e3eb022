package io.livepulse.live;

import io.livepulse.bus.Figures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/** Ranks rooms and products across all rooms. Pure: it only reads the rooms' latest ticks. */
public final class Leaderboard {
  public static final int TOP_ROOMS = 20;
  public static final int TOP_PRODUCTS = 20;

  /** GMV first, then orders, then room id. */
  static final Comparator<LeaderboardData.RoomLine> ROOM_RANKING = Comparator
      .comparingLong((LeaderboardData.RoomLine r) -> r.totals().gmvCents()).reversed()
      .thenComparing(Comparator.comparingLong((LeaderboardData.RoomLine r) -> r.totals().orders()).reversed())
      .thenComparing(LeaderboardData.RoomLine::room);

  static final Comparator<LeaderboardData.ProductLine> PRODUCT_RANKING = Comparator
      .comparing(LeaderboardData.ProductLine::product, Figures.Product.RANKING)
      .thenComparing(LeaderboardData.ProductLine::room);

  private Leaderboard() {
  }

  /**
   * @param visible which rooms the reader may see (all, without access tokens)
   */
  public static LeaderboardData compute(long second, Collection<Figures.RoomTick> ticks, Predicate<String> visible) {
    PriorityQueue<LeaderboardData.RoomLine> rooms = new PriorityQueue<>(ROOM_RANKING.reversed());
    PriorityQueue<LeaderboardData.ProductLine> products = new PriorityQueue<>(PRODUCT_RANKING.reversed());
    long gmv = 0;
    long orders = 0;
    long online = 0;
    long live = 0;
    for (Figures.RoomTick t : ticks) {
      if (!visible.test(t.room())) {
        continue;
      }
      Figures.Totals totals = t.totals();
      gmv += totals.gmvCents();
      orders += totals.orders();
      online += totals.online();
      if (!"ended".equals(t.meta().status())) {
        live++;
      }
      keepTop(rooms, new LeaderboardData.RoomLine(t.room(), t.meta(), totals), TOP_ROOMS, ROOM_RANKING);
      for (Figures.Product p : t.topProducts()) {
        if (!keepTop(products, new LeaderboardData.ProductLine(t.room(), p), TOP_PRODUCTS, PRODUCT_RANKING)) {
          break;
        }
      }
    }
    return new LeaderboardData(second, sorted(rooms, ROOM_RANKING), sorted(products, PRODUCT_RANKING),
        gmv, orders, online, live);
  }

  /** Keeps the best {@code limit} items in a heap whose head is the worst kept; false if x was not kept. */
  private static <T> boolean keepTop(PriorityQueue<T> heap, T x, int limit, Comparator<T> ranking) {
    if (heap.size() < limit) {
      heap.add(x);
      return true;
    }
    if (ranking.compare(x, heap.peek()) < 0) {
      heap.poll();
      heap.add(x);
      return true;
    }
    return false;
  }

  private static <T> List<T> sorted(PriorityQueue<T> heap, Comparator<T> ranking) {
    List<T> out = new ArrayList<>(heap);
    out.sort(ranking);
    return List.copyOf(out);
  }
}
