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
                       long refundOrders, Reported reported, Watch watch, Target target) {
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Totals(long gmvCents, long orders, long units, long buyers, long uv, long views, long online,
                  long peakOnline, long clickers, long grossCents, long refundCents, long refundOrders,
                  Reported reported, Watch watch) {
      this(gmvCents, orders, units, buyers, uv, views, online, peakOnline, clickers, grossCents, refundCents,
          refundOrders, reported, watch, null);
    }

    /** Net GMV / the session target (may pass 1); 0 without a target. */
    public double targetProgress() {
      return target == null || target.cents() <= 0 ? 0 : (double) gmvCents / target.cents();
    }

    /**
     * How far ahead of the straight-line pace to the target (negative: behind), in seconds: the time the
     * show would have taken at that pace to make this GMV, minus the time it has been live.
     */
    public long paceSeconds() {
      if (target == null || target.minutes() <= 0 || target.cents() <= 0) {
        return 0;
      }
      return Math.round(targetProgress() * target.minutes() * 60.0) - watch.liveSeconds();
    }

    public Totals(long gmvCents, long orders, long units, long buyers, long uv, long views, long online,
                  long peakOnline, long clickers, long grossCents, long refundCents, long refundOrders,
                  Reported reported) {
      this(gmvCents, orders, units, buyers, uv, views, online, peakOnline, clickers, grossCents, refundCents,
          refundOrders, reported, Watch.NONE);
    }

    /** grossGmv / orders (笔单价), in cents rounded half up; 0 without orders. */
    public long perOrderCents() {
      return orders == 0 ? 0 : Math.floorDiv(grossCents * 2 + orders, orders * 2);
    }

    /** gmv / buyers (客单价), in cents rounded half up; 0 without buyers. */
    public long perBuyerCents() {
      return buyers == 0 ? 0 : Math.floorDiv(gmvCents * 2 + buyers, buyers * 2);
    }

    /** gmv / uv (UV 价值), in cents rounded half up; 0 without uv. */
    public long uvValueCents() {
      return uv == 0 ? 0 : Math.floorDiv(gmvCents * 2 + uv, uv * 2);
    }

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

  /**
   * Watch time, from the online count: every second a room is live adds its online count (counted or
   * reported) to {@code userSeconds}. Per viewer it is divided by the room's viewers (the platform's
   * cumulative count when reported, else uv); over the last 15 minutes by the visits in that window
   * (viewers online at its start plus entries in it); average online is per second of the live session.
   */
  /** A session target (issue 13): GMV in cents, and the show's planned length in minutes (0: not given). */
  public record Target(long cents, int minutes) {
  }

  public record Watch(long userSeconds, long liveSeconds, long viewers, long recentUserSeconds, long recentVisits) {
    public static final Watch NONE = new Watch(0, 0, 0, 0, 0);

    public long avgWatchSeconds() {
      return viewers == 0 ? 0 : Math.floorDiv(userSeconds * 2 + viewers, viewers * 2);
    }

    public long avgWatchSeconds15m() {
      return recentVisits == 0 ? 0 : Math.floorDiv(recentUserSeconds * 2 + recentVisits, recentVisits * 2);
    }

    public long avgOnline() {
      return liveSeconds == 0 ? 0 : Math.floorDiv(userSeconds * 2 + liveSeconds, liveSeconds * 2);
    }
  }

  /**
   * Sales of one traffic source (orders carrying that {@code source}): {@code gmvCents} net of their
   * refunds, {@code buyers} distinct within the source.
   */
  public record SourceSales(String source, long gmvCents, long grossCents, long orders, long buyers) {
  }

  /**
   * A group of sources (natural, paid, private-domain): entries and net GMV, and each as a share in
   * percent with one decimal; the shares of all groups sum to exactly 100 when there is anything.
   */
  public record SourceGroup(String group, long entries, double entryShare, long gmvCents, double gmvShare,
                            long orders) {
  }

  /** Per-source sales and the grouping into natural / paid / private-domain. */
  public record Channels(List<SourceSales> sales, List<SourceGroup> groups) {
    public static final Channels NONE = new Channels(List.of(), List.of());
  }

  /** What happened in one second; {@code online} is the count at the end of it, {@code clicks} the click events. */
  public record Second(long second, long gmvCents, long orders, long units, long views, long enters,
                       long leaves, long online, long clicks) {
    public static Second empty(long second, long online) {
      return new Second(second, 0, 0, 0, 0, 0, 0, online, 0);
    }
  }

  /**
   * A product of the room; {@code clicks} counts click events on its sku, {@code clickers} the distinct
   * users who clicked it, {@code buyers} the distinct users who bought it.
   */
  public record Product(String sku, String title, long gmvCents, long units, long orders, long clicks,
                        long clickers, long buyers) {
    public Product(String sku, String title, long gmvCents, long units, long orders) {
      this(sku, title, gmvCents, units, orders, 0, 0, 0);
    }

    /** buyers / clickers of this sku, 0 without clickers. */
    public double clickToBuy() {
      return clickers == 0 ? 0 : (double) buyers / clickers;
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
                         List<Product> topProducts, Map<String, Long> sources, Channels channels) {
    public RoomTick(String room, long second, int session, Meta meta, Second now, Totals totals,
                    List<Product> topProducts, Map<String, Long> sources) {
      this(room, second, session, meta, now, totals, topProducts, sources, Channels.NONE);
    }

    /** The same figures at a later second without events: totals stand, this second is empty. */
    public RoomTick idleAt(long later) {
      return new RoomTick(room, later, session, meta, Second.empty(later, totals.online()), totals, topProducts,
          sources, channels);
    }
  }

  /**
   * One explain window (contract §9 and issue 14): the sku's sales while it ran and the whole room's,
   * clicks on the sku, online at its start, end (now, while running) and peak. {@code end} is -1 while
   * it runs; times in epoch ms.
   */
  public record Explain(String sku, long start, long end, long gmvCents, long orders, long units, long buyers,
                        long roomGmvCents, long roomOrders, long roomUnits, long roomBuyers, long clicks,
                        long clickers, long onlineStart, long onlineEnd, long onlinePeak) {
    /** buyers / clickers of the sku in the window, 0 without clickers. */
    public double clickToBuy() {
      return clickers == 0 ? 0 : (double) buyers / clickers;
    }
  }

  /** A point on the session's timeline (contract §9). */
  public record Mark(long ts, String label, String kind) {
  }

  /** A room's explain windows and marks of the current session. */
  public record Timeline(String room, int session, List<Explain> explains, List<Mark> marks) {
  }

  /** A tick plus the per-second history: the body of a {@code snapshot}. */
  public record RoomSnapshot(RoomTick tick, List<Second> series) {
  }
}
