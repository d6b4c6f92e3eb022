package io.livepulse.bus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Immutable figures a room publishes; plain values, safe to hand to any thread. */
public final class Figures {
  private Figures() {
  }

  /**
   * Session totals of contract §3 and §8. Ratios are derived, so they can never disagree with the counts.
   *
   * @param gmvCents net: accepted orders minus accepted refunds
   * @param grossCents accepted orders
   * @param refundOrders distinct orders with an accepted refund
   * @param online the platform's reported count when {@code reported.online()}, else counted from events
   */
  public record Totals(long gmvCents, long orders, long units, long buyers, long uv, long views,
                       long online, long peakOnline, long clickers, long grossCents, long refundCents,
                       long refundOrders, Reported reported) {
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Totals without refunds or platform-reported figures (gross equals net). */
    public Totals(long gmvCents, long orders, long units, long buyers, long uv, long views, long online,
                  long peakOnline, long clickers) {
      this(gmvCents, orders, units, buyers, uv, views, online, peakOnline, clickers, gmvCents, 0, 0, Reported.NONE);
    }

    /** refundAmount / grossGmv, 0 when nothing was sold. */
    public double refundRate() {
      return grossCents <= 0 ? 0 : (double) refundCents / grossCents;
    }

    /** buyers / clickers, 0 without clickers (a buyer need not have clicked, so it can exceed 1). */
    public double clickToBuy() {
      return clickers == 0 ? 0 : (double) buyers / clickers;
    }

    /** buyers / uv, clamped to [0, 1] (both are estimates above 245,000 users). */
    public double conversion() {
      return uv == 0 ? 0 : Math.min(1.0, (double) buyers / uv);
    }

    /** gmv * 1000 / views, in cents, rounded half up. */
    public long gpmCents() {
      return views == 0 ? 0 : Math.floorDiv(gmvCents * 1000 + views / 2, views);
    }

    public double ctr() {
      return uv == 0 ? 0 : Math.min(1.0, (double) clickers / uv);
    }
  }

  /**
   * What the platform itself reported for the room (contract §8 {@code stats}): {@code online} says
   * whether the room's online figures follow the platform; the cumulative counts are -1 until reported.
   */
  public record Reported(boolean online, long likes, long comments, long follows, long shares, long exposures,
                         long viewers) {
    public static final Reported NONE = new Reported(false, -1, -1, -1, -1, -1, -1);
  }

  /** What happened in one second; {@code online} is the count at the end of it. */
  public record Second(long second, long gmvCents, long orders, long units, long views, long enters,
                       long leaves, long online) {
    public static Second empty(long second, long online) {
      return new Second(second, 0, 0, 0, 0, 0, 0, online);
    }
  }

  /** A product of the room; {@code clicks} counts click events on its sku. */
  public record Product(String sku, String title, long gmvCents, long units, long orders, long clicks) {
    public Product(String sku, String title, long gmvCents, long units, long orders) {
      this(sku, title, gmvCents, units, orders, 0);
    }

    /** GMV first, then more units, then sku: the order of contract §4. */
    public static final Comparator<Product> RANKING = Comparator
        .comparingLong(Product::gmvCents).reversed()
        .thenComparing(Comparator.comparingLong(Product::units).reversed())
        .thenComparing(Product::sku);
  }

  public record Meta(String anchor, String title, String platform, String status) {
    public static final Meta NONE = new Meta(null, null, null, null);
  }

  /** One room at the close of a second: the body of a {@code tick}. */
  public record RoomTick(String room, long second, int session, Meta meta, Second now, Totals totals,
                         List<Product> topProducts, Map<String, Long> sources) {
    /** The same figures at a later second without events: totals stand, this second is empty. */
    public RoomTick idleAt(long later) {
      return new RoomTick(room, later, session, meta, Second.empty(later, totals.online()), totals, topProducts, sources);
    }
  }

  /** A tick plus the per-second history: the body of a {@code snapshot}. */
  public record RoomSnapshot(RoomTick tick, List<Second> series) {
  }
}
