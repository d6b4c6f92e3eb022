package io.livepulse.aggregate;

import io.livepulse.bus.Figures;
import io.livepulse.event.Event;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything contract §3 computes for one room's current session. Plain Java: no Vert.x, no I/O, one
 * owning thread. Memory grows with use: an idle room holds no per-second columns and empty sketches.
 */
public final class RoomState {
  static final int TOP_PRODUCTS = 20;
  static final int MAX_SOURCES = 64;
  static final String OTHER_SOURCE = "other";
  static final int MAX_CLICKED_SKUS = 10_000;
  /** Products whose distinct clickers are kept (a sketch each); further skus count clicks only. */
  static final int MAX_PRODUCT_CLICKERS = 500;

  private final String room;
  private int session;
  private String status;
  private String anchor;
  private String title;
  private String platform;
  /** The session's target (issue 13), or null. */
  private Figures.Target target;

  private long gmvCents;
  private long grossCents;
  private long refundCents;
  /** Orders with an accepted refund, as 64-bit hashes of their ids (like the online set). */
  private it.unimi.dsi.fastutil.longs.LongOpenHashSet refundedOrders = new it.unimi.dsi.fastutil.longs.LongOpenHashSet(0);
  /** Click events per sku (at most MAX_CLICKED_SKUS skus; the ranking shows them beside the sales). */
  private final Object2LongOpenHashMap<String> productClicks = new Object2LongOpenHashMap<>(0);
  /** What the platform reported (stats events); -1 where never reported. */
  private long reportedOnline = -1;
  private long reportedViewers = -1;
  private long reportedLikes = -1;
  private long reportedComments = -1;
  private long reportedFollows = -1;
  private long reportedShares = -1;
  private long reportedExposures = -1;
  private long orders;
  private long units;
  private long views;
  private long leaves;
  private long peakOnline;
  /** Size of the last saved viewer state: the next one's buffer starts there. */
  private int lastViewerStateBytes;
  private int lastViewerDeltaBytes;
  /** Whether the next viewer-state save is a base or a delta, and on which base. */
  private final ViewerSaves saves = new ViewerSaves();
  private DistinctUsers uv = new DistinctUsers();
  private DistinctUsers buyers = new DistinctUsers();
  private DistinctUsers clickers = new DistinctUsers();
  private OnlineUsers online = new OnlineUsers();
  private final Map<String, ProductTotals> products = new HashMap<>();
  private final Object2LongOpenHashMap<String> sources = new Object2LongOpenHashMap<>();
  /** Sales per order source (at most MAX_SOURCES, then "other"), net of their refunds. */
  private final Map<String, SourceTotals> sourceSales = new HashMap<>();
  private SourceGroups sourceGroups = SourceGroups.DEFAULT;
  /** Distinct clickers per sku, for the ranking's click-to-buy. */
  private final Map<String, DistinctUsers> productClickers = new HashMap<>();
  /** Viewer-seconds of the live session (online summed over its seconds), and how many seconds. */
  private long watchUserSeconds;
  private long liveSeconds;
  private boolean sessionStarted;
  private long entersThisSecond;
  private WatchWindow recentWatch;
  /** Explain windows and marks of the session (contract §9). */
  private Timeline timeline = new Timeline();
  private final SecondSeries series = new SecondSeries();
  /** Per-second traffic not yet written: second -> {views, enters, leaves, online or -1}. */
  private final Long2ObjectOpenHashMap<long[]> unsavedTraffic = new Long2ObjectOpenHashMap<>();

  /**
   * For feeds that never send leaves: a viewer with no event for this long counts as gone (0: never).
   * The room's own setting (a {@code room} event's {@code viewerIdleMinutes}) wins over the server's.
   */
  private long viewerIdleSeconds;
  private boolean viewerIdleSetByRoom;
  /** With an idle timeout: the last second each online user (by hash) was seen. */
  private it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap lastSeen;
  static final int IDLE_SCAN_EVERY_SECONDS = 10;

  /** Users one room may hold online; further enters count as views but not as online. */
  private int maxOnline = Integer.MAX_VALUE;
  /** The last second (closed) with an event, or a reader asking for the room. */
  private long lastActiveSecond = Long.MIN_VALUE;
  /** The store's message sequence for this shard when the room was rebuilt (0: at start, or new). */
  private long hydratedSeq;

  private boolean viewerStateChanged;
  private boolean activeThisSecond;
  /** Whether the last closed second changed anything a tick shows. */
  private boolean tickChanged = true;
  /** A room new to memory (created or rebuilt) is in the next tick even if nothing happens. */
  private boolean announce = true;
  private long lastSavedOnline = -1;
  private long lastSeriesOnline;
  private long lastClosedSecond = Long.MIN_VALUE;
  /** The last closed second with an event (readers do not count), and with an order; for alerts. */
  private long lastEventSecond = Long.MIN_VALUE;
  private long lastOrderSecond = Long.MIN_VALUE;
  private boolean orderThisSecond;
  private List<Figures.Product> topCache;
  private Map<String, Long> sourcesCache;
  private Figures.Channels channelsCache;

  public RoomState(String room) {
    this(room, 1);
  }

  public RoomState(String room, int session) {
    this.room = room;
    this.session = session;
  }

  private static final class ProductTotals {
    String title;
    /** Which order the title came from: the latest by (ts, order id) that had a title. */
    long titleTs = Long.MIN_VALUE;
    String titleOrder = "";
    long gmvCents;
    long units;
    long orders;
    DistinctUsers buyers = new DistinctUsers();
  }

  private static final class SourceTotals {
    long grossCents;
    long refundCents;
    long orders;
    DistinctUsers buyers = new DistinctUsers();
  }

  public String room() {
    return room;
  }

  public int session() {
    return session;
  }

  public String status() {
    return status;
  }

  public void limitOnline(int max) {
    maxOnline = max;
  }

  /** How sources group into natural, paid and private-domain (the server's setting). */
  public void groupSources(SourceGroups groups) {
    sourceGroups = groups;
    channelsCache = null;
  }

  /** The server's default idle timeout for viewers, unless the room set its own. */
  public void defaultViewerIdle(long seconds) {
    if (!viewerIdleSetByRoom) {
      setViewerIdle(seconds);
    }
  }

  /** The room's own idle timeout as stored with the room (its last room event that set one). */
  public void restoreViewerIdle(int minutes) {
    viewerIdleSetByRoom = true;
    setViewerIdle(minutes * 60L);
  }

  private void setViewerIdle(long seconds) {
    viewerIdleSeconds = Math.max(0, seconds);
    if (viewerIdleSeconds == 0) {
      lastSeen = null;
    } else if (lastSeen == null) {
      // Everyone inside now is seen now: the clock starts when the timeout does.
      lastSeen = new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap();
      long now = lastActiveSecond == Long.MIN_VALUE ? 0 : lastActiveSecond;
      online.forEachHash(h -> lastSeen.put(h, now));
    }
  }

  /** {@code h} is the user's {@link UserHash}, computed once per event for every set it goes into. */
  private void seen(long h, long second) {
    if (lastSeen != null) {
      if (online.containsHash(h)) {
        lastSeen.put(h, Math.max(second, lastSeen.get(h)));
      }
    }
  }

  /** Viewers not seen for the idle timeout leave, counted as leaves of second {@code s}. */
  private void expireIdleViewers(long s) {
    if (lastSeen == null || lastSeen.isEmpty()) {
      return;
    }
    long before = s - viewerIdleSeconds;
    long[] gone = {0};
    lastSeen.long2LongEntrySet().removeIf(en -> {
      if (en.getLongValue() <= before) {
        if (online.leaveHash(en.getLongKey())) {
          gone[0]++;
        }
        return true;
      }
      return false;
    });
    if (gone[0] > 0) {
      leaves += gone[0];
      traffic(s, 0, 0, gone[0], 0);
      viewerStateChanged = true;
    }
  }

  /** Whether the room holds as many online users as it may. */
  public boolean onlineFull() {
    return online.count() >= maxOnline;
  }

  public long lastActiveSecond() {
    return lastActiveSecond;
  }

  /**
   * An event arrived that the rebuilt state already counts (it was committed before the rebuild read
   * PostgreSQL): the figures stay, but the room was active now (for idle checks and alerts).
   */
  public void arrivedAlreadyCounted(Event e) {
    activeThisSecond = true;
    if (e.type == io.livepulse.event.EventType.ORDER) {
      orderThisSecond = true;
    }
  }

  /** The last closed second in which an event arrived (Long.MIN_VALUE: none since it was built). */
  public long lastEventSecond() {
    return lastEventSecond;
  }

  /** The last closed second with an order (Long.MIN_VALUE: none since it was built). */
  public long lastOrderSecond() {
    return lastOrderSecond;
  }

  /** Marks the room as in use at {@code second} (a reader asked for it, or it was just rebuilt). */
  public void touch(long second) {
    lastActiveSecond = Math.max(lastActiveSecond, second);
  }

  public long hydratedSeq() {
    return hydratedSeq;
  }

  public void hydrated(long seq) {
    hydratedSeq = seq;
  }

  /**
   * Applies one accepted event. Events carry the session the store assigned them (0 when none, as
   * for viewer and click events, which belong to the current session).
   *
   * @return false when the event belongs to an earlier session and was ignored
   */
  public boolean apply(Event e) {
    if (e.session > session) {
      startSession(e.session);
    } else if (e.session > 0 && e.session < session) {
      return false;
    }
    activeThisSecond = true;
    switch (e.type) {
      case VIEWER -> viewer(e);
      case CLICK -> click(e);
      case ORDER -> order(e);
      case REFUND -> refund(e);
      case ROOM -> roomMeta(e);
      case STATS -> stats(e.stats);
      case EXPLAIN -> {
        timeline.explain(e, shownOnline());
        viewerStateChanged = true;
      }
      case MARK -> timeline.mark(e);
      default -> throw new IllegalArgumentException("unknown event type " + e.type);
    }
    sessionStarted = true;
    return true;
  }

  private void viewer(Event e) {
    long s = e.second();
    long h = UserHash.of(e.user);
    if (e.enter) {
      views++;
      uv.add(e.user, h);
      if (online.count() < maxOnline) {
        online.enterHash(h);
      }
      seen(h, s);
      if (reportedOnline < 0) {
        peakOnline = Math.max(peakOnline, online.count());
      }
      if (e.source != null) {
        countSource(e.source);
      }
      entersThisSecond++;
      traffic(s, 1, 1, 0, 0);
    } else {
      leaves++;
      online.leaveHash(h);
      if (lastSeen != null) {
        lastSeen.remove(h);
      }
      traffic(s, 0, 0, 1, 0);
    }
    viewerStateChanged = true;
  }

  private void countSource(String source) {
    String key = sources.containsKey(source) || sources.size() < MAX_SOURCES ? source : OTHER_SOURCE;
    sources.addTo(key, 1);
    sourcesCache = null;
    channelsCache = null;
  }

  private SourceTotals sourceTotals(String source) {
    String key = sourceSales.containsKey(source) || sourceSales.size() < MAX_SOURCES ? source : OTHER_SOURCE;
    channelsCache = null;
    return sourceSales.computeIfAbsent(key, k -> new SourceTotals());
  }

  private void click(Event e) {
    long h = UserHash.of(e.user);
    uv.add(e.user, h);
    clickers.add(e.user, h);
    seen(h, e.second());
    if (productClicks.containsKey(e.sku) || productClicks.size() < MAX_CLICKED_SKUS) {
      productClicks.addTo(e.sku, 1);
      topCache = null;
    }
    timeline.click(e);
    DistinctUsers who = productClickers.get(e.sku);
    if (who == null && productClickers.size() < MAX_PRODUCT_CLICKERS) {
      who = new DistinctUsers();
      productClickers.put(e.sku, who);
    }
    if (who != null) {
      who.add(e.user, h);
    }
    traffic(e.second(), 0, 0, 0, 1);
    viewerStateChanged = true;
  }

  private void order(Event e) {
    orderThisSecond = true;
    timeline.order(e);
    long h = UserHash.of(e.user);
    seen(h, e.second());
    gmvCents += e.amountCents;
    grossCents += e.amountCents;
    orders++;
    units += e.qty;
    buyers.add(e.user, h);
    uv.add(e.user, h);
    ProductTotals p = products.computeIfAbsent(e.sku, k -> new ProductTotals());
    if (e.title != null && (e.ts > p.titleTs || e.ts == p.titleTs && e.order.compareTo(p.titleOrder) > 0)) {
      p.title = e.title;
      p.titleTs = e.ts;
      p.titleOrder = e.order;
    }
    p.gmvCents += e.amountCents;
    p.units += e.qty;
    p.orders++;
    p.buyers.add(e.user, h);
    topCache = null;
    if (e.source != null) {
      SourceTotals src = sourceTotals(e.source);
      src.grossCents += e.amountCents;
      src.orders++;
      src.buyers.add(e.user, h);
    }
    series.addSale(e.second(), e.amountCents, 1, e.qty);
    traffic(e.second(), 0, 0, 0, 0);
  }

  private void refund(Event e) {
    gmvCents -= e.amountCents;
    refundCents += e.amountCents;
    refundedOrders.add(UserHash.of(e.order));
    ProductTotals p = e.sku == null ? null : products.get(e.sku);
    if (p != null) {
      p.gmvCents -= e.amountCents;
      topCache = null;
    }
    if (e.source != null) {
      sourceTotals(e.source).refundCents += e.amountCents;
    }
    series.addSale(e.second(), -e.amountCents, 0, 0);
  }

  /**
   * The platform's own figures: a reported online count replaces the counted one (and feeds the
   * peak); the cumulative counts keep their highest value, so a late, older report cannot lower them.
   */
  private void stats(Event.Stats st) {
    if (st.online() >= 0) {
      reportedOnline = st.online();
      peakOnline = Math.max(peakOnline, reportedOnline);
    }
    reportedViewers = Math.max(reportedViewers, st.viewers());
    reportedLikes = Math.max(reportedLikes, st.likes());
    reportedComments = Math.max(reportedComments, st.comments());
    reportedFollows = Math.max(reportedFollows, st.follows());
    reportedShares = Math.max(reportedShares, st.shares());
    reportedExposures = Math.max(reportedExposures, st.exposures());
    viewerStateChanged = true;
  }

  /** Online as shown: the platform's latest report once there is one, else counted from events. */
  private long shownOnline() {
    return reportedOnline >= 0 ? reportedOnline : online.count();
  }

  private void roomMeta(Event e) {
    if (e.session == 0 && "live".equals(e.status) && "ended".equals(status)) {
      startSession(session + 1);
    }
    if (e.anchor != null) {
      anchor = e.anchor;
    }
    if (e.title != null) {
      title = e.title;
    }
    if (e.platform != null) {
      platform = e.platform;
    }
    if (e.status != null) {
      status = e.status;
    }
    if (e.target != null) {
      target = new Figures.Target(e.target.cents(), e.target.minutes());
    }
    if (e.viewerIdleMinutes >= 0) {
      viewerIdleSetByRoom = true;
      setViewerIdle(e.viewerIdleMinutes * 60L);
    }
    viewerStateChanged = true;
  }

  /** Rows of {@link #unsavedTraffic}: views, enters, leaves, online at the end (-1: unchanged), clicks. */
  private void traffic(long second, long view, long enter, long leave, long click) {
    series.addTraffic(second, view, enter, leave, click);
    long[] row = unsavedTraffic.get(second);
    if (row == null) {
      row = new long[] {0, 0, 0, -1, 0};
      unsavedTraffic.put(second, row);
    }
    row[0] += view;
    row[1] += enter;
    row[2] += leave;
    row[4] += click;
  }

  /** A new session: figures restart from zero, room metadata stays. */
  public void startSession(int newSession) {
    session = newSession;
    // A target is the show's: the next one sets its own (its room event is applied after this).
    target = null;
    gmvCents = grossCents = refundCents = orders = units = views = leaves = peakOnline = 0;
    refundedOrders = new it.unimi.dsi.fastutil.longs.LongOpenHashSet(0);
    productClicks.clear();
    reportedOnline = reportedViewers = reportedLikes = reportedComments = reportedFollows = reportedShares = -1;
    reportedExposures = -1;
    uv = new DistinctUsers();
    buyers = new DistinctUsers();
    clickers = new DistinctUsers();
    online = new OnlineUsers();
    if (lastSeen != null) {
      lastSeen = new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap();
    }
    products.clear();
    sources.clear();
    sourceSales.clear();
    productClickers.clear();
    watchUserSeconds = liveSeconds = entersThisSecond = 0;
    timeline = new Timeline();
    sessionStarted = false;
    recentWatch = null;
    series.clear();
    topCache = null;
    sourcesCache = null;
    channelsCache = null;
    lastSavedOnline = -1;
    lastSeriesOnline = 0;
    viewerStateChanged = true;
  }

  public Figures.Totals totals() {
    return new Figures.Totals(gmvCents, orders, units, buyers.count(), uv.count(), views,
        shownOnline(), peakOnline, clickers.count(), grossCents, refundCents, refundedOrders.size(),
        reportedOnline < 0 && reportedViewers < 0 && reportedLikes < 0 && reportedComments < 0 && reportedFollows < 0
            && reportedShares < 0 && reportedExposures < 0 ? Figures.Reported.NONE
            : new Figures.Reported(reportedOnline >= 0, reportedLikes, reportedComments, reportedFollows,
                reportedShares, reportedExposures, reportedViewers),
        watch(), target);
  }

  /** The session's explain windows (the running one with online now) and marks. */
  public Figures.Timeline timeline() {
    return new Figures.Timeline(room, session, timeline.explains(shownOnline()), List.copyOf(timeline.marks));
  }

  /** A stored explain or mark event of the current session, replayed in order when the room is rebuilt. */
  public void restoreTimelineEvent(Event e) {
    if (e.type == io.livepulse.event.EventType.EXPLAIN) {
      timeline.explain(e, -1);
    } else if (e.type == io.livepulse.event.EventType.MARK) {
      timeline.mark(e);
    }
  }

  /** A stored order of the current session, counted into the explain window it was placed in. */
  public void restoreWindowOrder(Event order) {
    timeline.order(order);
  }

  /** The session target as stored with the room. */
  public void restoreTarget(long cents, int minutes) {
    target = new Figures.Target(cents, minutes);
  }

  /**
   * Whom watch time is shared among: the platform's cumulative viewers once reported; with only a
   * reported online, at least the peak (that many were there at once, even if few sent events).
   */
  private long watchViewers() {
    if (reportedViewers >= 0) {
      return reportedViewers;
    }
    return reportedOnline >= 0 ? Math.max(uv.count(), peakOnline) : uv.count();
  }

  private Figures.Watch watch() {
    long[] recent = recentWatch == null || lastClosedSecond == Long.MIN_VALUE ? new long[2]
        : recentWatch.recent(lastClosedSecond);
    // Whoever is online now visited within the window, even if the platform counted them and we did not.
    long visits = recent[1] == 0 && recent[0] == 0 ? 0 : Math.max(recent[1], shownOnline());
    return new Figures.Watch(watchUserSeconds, liveSeconds, watchViewers(), recent[0], visits);
  }

  public Figures.Meta meta() {
    return new Figures.Meta(anchor, title, platform, status);
  }

  /** Up to 20 products by GMV (ties: more units, then sku). */
  public List<Figures.Product> topProducts() {
    if (topCache == null) {
      List<Figures.Product> all = new ArrayList<>(products.size());
      products.forEach((sku, p) -> {
        DistinctUsers who = productClickers.get(sku);
        all.add(new Figures.Product(sku, p.title, p.gmvCents, p.units, p.orders, productClicks.getLong(sku),
            who == null ? 0 : who.count(), p.buyers.count()));
      });
      all.sort(Figures.Product.RANKING);
      topCache = List.copyOf(all.subList(0, Math.min(TOP_PRODUCTS, all.size())));
    }
    return topCache;
  }

  public Map<String, Long> sources() {
    if (sourcesCache == null) {
      sourcesCache = Collections.unmodifiableMap(new HashMap<>(sources));
    }
    return sourcesCache;
  }

  /** Sales per source, by net GMV (ties: source), and the natural / paid / private-domain split. */
  public Figures.Channels channels() {
    if (channelsCache == null) {
      List<Figures.SourceSales> sales = new ArrayList<>(sourceSales.size());
      sourceSales.forEach((source, t) -> sales.add(new Figures.SourceSales(source, t.grossCents - t.refundCents,
          t.grossCents, t.orders, t.buyers.count())));
      sales.sort(java.util.Comparator.comparingLong(Figures.SourceSales::gmvCents).reversed()
          .thenComparing(Figures.SourceSales::source));
      channelsCache = new Figures.Channels(List.copyOf(sales), sourceGroups.group(sources, sales));
    }
    return channelsCache;
  }

  /** Closes second {@code s}: records online at its end and returns the room's tick for it. */
  public Figures.RoomTick close(long s) {
    closeSecond(s);
    return tick(s);
  }

  /** As {@link #close}, without building the tick (which a room that did not change need not send). */
  public void closeSecond(long s) {
    if (lastSeen != null && Math.floorMod(s, IDLE_SCAN_EVERY_SECONDS) == 0) {
      expireIdleViewers(s);
    }
    long on = shownOnline();
    lastClosedSecond = s;
    timeline.online(on);
    countWatch(s, on);
    tickChanged = announce || activeThisSecond || on != lastSeriesOnline;
    announce = false;
    if (activeThisSecond) {
      lastActiveSecond = s;
      lastEventSecond = s;
    }
    if (orderThisSecond) {
      lastOrderSecond = s;
      orderThisSecond = false;
    }
    // Online is written when it changed (or the second had events): a quiet room's series stays
    // small, and a gap reads as the online count carried from the last written second.
    if (activeThisSecond || on != lastSeriesOnline) {
      series.setOnline(s, on);
      lastSeriesOnline = on;
    }
    if (activeThisSecond || on != lastSavedOnline) {
      long[] row = unsavedTraffic.get(s);
      if (row == null) {
        unsavedTraffic.put(s, new long[] {0, 0, 0, on, 0});
      } else {
        row[3] = on;
      }
      lastSavedOnline = on;
    }
    activeThisSecond = false;
  }

  /** A live second adds its online count to the watch time; an ended show's seconds do not. */
  private void countWatch(long s, long on) {
    if (!sessionStarted || "ended".equals(status)) {
      entersThisSecond = 0;
      return;
    }
    liveSeconds++;
    watchUserSeconds += on;
    if (recentWatch == null && (on > 0 || entersThisSecond > 0)) {
      recentWatch = new WatchWindow();
    }
    if (recentWatch != null) {
      recentWatch.second(s, on, entersThisSecond, lastSeriesOnline);
    }
    entersThisSecond = 0;
  }

  /** Whether the second just closed changed the figures (else its tick is the last one, with an empty second). */
  public boolean tickChanged() {
    return tickChanged;
  }

  public Figures.RoomTick tick(long s) {
    return new Figures.RoomTick(room, s, session, meta(), series.at(s, shownOnline()), totals(),
        topProducts(), sources(), channels());
  }

  public Figures.RoomSnapshot snapshot(long lastClosed) {
    return new Figures.RoomSnapshot(tick(lastClosed), series.window(lastClosed));
  }

  /** Per-second traffic rows changed since the last call: {second, views, enters, leaves, online or -1}. */
  public List<long[]> drainTraffic() {
    if (unsavedTraffic.isEmpty()) {
      return List.of();
    }
    List<long[]> rows = new ArrayList<>(unsavedTraffic.size());
    unsavedTraffic.long2ObjectEntrySet().forEach(en -> {
      long[] v = en.getValue();
      rows.add(new long[] {en.getLongKey(), v[0], v[1], v[2], v[3], v[4]});
    });
    unsavedTraffic.clear();
    return rows;
  }

  /** Puts rows back after a failed write, adding to anything recorded since. */
  public void undrainTraffic(List<long[]> rows) {
    for (long[] r : rows) {
      long[] row = unsavedTraffic.get(r[0]);
      if (row == null) {
        unsavedTraffic.put(r[0], new long[] {r[1], r[2], r[3], r[4], r[5]});
      } else {
        row[0] += r[1];
        row[1] += r[2];
        row[2] += r[3];
        row[4] += r[5];
        if (row[3] < 0) {
          row[3] = r[4];
        }
      }
    }
  }

  // ---- persistence of what is not rebuilt from stored orders -------------------------------------

  /** True once since the viewer-side state last changed; the caller then saves {@link #viewerState()}. */
  public boolean takeViewerStateChanged() {
    boolean changed = viewerStateChanged;
    viewerStateChanged = false;
    return changed;
  }

  public void markViewerStateChanged() {
    viewerStateChanged = true;
  }

  /**
   * Viewer-side state (views, online users, uv, clickers, sources, metadata), which is not stored
   * event by event. Money, orders, units, buyers and products are rebuilt from the orders table instead.
   * This is the whole state (what a room moved whole carries); what is saved is {@link #viewerSave}.
   */
  public byte[] viewerState() {
    return writeViewerState(false);
  }

  /** A viewer-state save: a base ({@code delta} 0) or delta number {@code delta} on base {@code generation}. */
  public record ViewerSave(byte[] state, long generation, int delta) {
  }

  /**
   * The next save of the viewer state: a base (the whole state) or, unless {@code base} is asked for, a
   * delta on the last one (see {@link ViewerSaves}). What it holds counts as saved from now on: if it
   * fails to reach PostgreSQL, {@link #viewerSaveFailed} makes the next save a base again.
   */
  public ViewerSave viewerSave(boolean forceBase) {
    boolean base = forceBase || saves.nextIsBase(session);
    byte[] bytes = writeViewerState(!base);
    online.markSaved();
    uv.markSaved();
    clickers.markSaved();
    productClickers.values().forEach(DistinctUsers::markSaved);
    return base ? new ViewerSave(bytes, saves.base(session, bytes.length), 0)
        : new ViewerSave(bytes, saves.generation(), saves.delta(bytes.length));
  }

  /** A save from {@link #viewerSave} did not reach PostgreSQL: the next save is a base, and is due. */
  public void viewerSaveFailed() {
    saves.failed();
    viewerStateChanged = true;
  }

  private byte[] writeViewerState(boolean delta) {
    try {
      // Sized from the last save of its kind: a busy room's state is hundreds of kilobytes, and growing a buffer
      // from 32 bytes by doubling copied it over and over (3 % of the platform run's samples). The quarter on
      // top is for a room still growing, whose every save would otherwise double (copy) the buffer once more.
      int last = delta ? lastViewerDeltaBytes : lastViewerStateBytes;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(last + last / 4 + 1024);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(VIEWER_STATE_VERSION);
      out.writeInt(session);
      out.writeLong(views);
      out.writeLong(leaves);
      out.writeLong(peakOnline);
      writeBlob(out, delta ? online.deltaBytes() : online.toBytes());
      writeBlob(out, distinct(uv, delta));
      writeBlob(out, distinct(clickers, delta));
      out.writeInt(sources.size());
      for (var en : sources.object2LongEntrySet()) {
        out.writeUTF(en.getKey());
        out.writeLong(en.getLongValue());
      }
      writeExtras(out, delta);
      if (delta) {
        lastViewerDeltaBytes = bytes.size();
      } else {
        lastViewerStateBytes = bytes.size();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] distinct(DistinctUsers users, boolean delta) {
    return delta ? users.deltaBytes() : users.toBytes();
  }

  /**
   * Version 3 of the viewer state adds these: product clicks, the platform's reported figures, the
   * viewer idle timeout and when each online viewer was last seen. (Version 2 never left a release.)
   * Version 6 writes the distinct-user sets in {@link DistinctUsers}' own format (older states hold theta
   * sketches, which it still reads).
   */
  private static final int VIEWER_STATE_VERSION = 6;

  private void writeExtras(DataOutputStream out, boolean delta) throws IOException {
    out.writeInt(productClicks.size());
    for (var en : productClicks.object2LongEntrySet()) {
      out.writeUTF(en.getKey());
      out.writeLong(en.getLongValue());
    }
    for (long v : new long[] {reportedOnline, reportedViewers, reportedLikes, reportedComments, reportedFollows,
        reportedShares, reportedExposures}) {
      out.writeLong(v);
    }
    out.writeLong(viewerIdleSeconds);
    out.writeBoolean(viewerIdleSetByRoom);
    out.writeInt(lastSeen == null ? -1 : lastSeen.size());
    if (lastSeen != null) {
      for (var en : lastSeen.long2LongEntrySet()) {
        out.writeLong(en.getLongKey());
        out.writeLong(en.getLongValue());
      }
    }
    // Version 4: watch time and distinct clickers per product.
    out.writeLong(watchUserSeconds);
    out.writeLong(liveSeconds);
    out.writeBoolean(sessionStarted);
    out.writeBoolean(recentWatch != null);
    if (recentWatch != null) {
      recentWatch.writeTo(out);
    }
    out.writeInt(productClickers.size());
    for (var en : productClickers.entrySet()) {
      out.writeUTF(en.getKey());
      writeBlob(out, distinct(en.getValue(), delta));
    }
    // Version 5: the explain windows' viewer side (clicks, online).
    timeline.writeViewerSide(out);
  }

  private void readWatchAndClickers(DataInputStream in, boolean delta) throws IOException {
    watchUserSeconds = in.readLong();
    liveSeconds = in.readLong();
    sessionStarted = in.readBoolean();
    recentWatch = in.readBoolean() ? WatchWindow.readFrom(in) : null;
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String sku = in.readUTF();
      byte[] blob = readBlob(in);
      DistinctUsers before = delta ? productClickers.get(sku) : null;
      productClickers.put(sku, before == null ? DistinctUsers.fromBytes(blob) : before.merge(blob));
    }
  }

  private void readExtras(DataInputStream in, boolean delta) throws IOException {
    if (delta) {
      productClicks.clear();
    }
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      productClicks.put(in.readUTF(), in.readLong());
    }
    reportedOnline = in.readLong();
    reportedViewers = in.readLong();
    reportedLikes = in.readLong();
    reportedComments = in.readLong();
    reportedFollows = in.readLong();
    reportedShares = in.readLong();
    reportedExposures = in.readLong();
    viewerIdleSeconds = in.readLong();
    viewerIdleSetByRoom = in.readBoolean();
    int seenCount = in.readInt();
    lastSeen = seenCount < 0 ? null : new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap(seenCount);
    for (int i = 0; i < seenCount; i++) {
      lastSeen.put(in.readLong(), in.readLong());
    }
    topCache = null;
  }

  /** Restores {@link #viewerState()} (or a base save) if it belongs to the current session; returns whether it did. */
  public boolean restoreViewerState(byte[] state) {
    return readViewerState(state, false);
  }

  /**
   * Applies a delta save on top of the base (and earlier deltas) restored before it: the distinct
   * users it adds, and the rest of the viewer state as it was when the delta was written. Returns
   * whether it belonged to the current session.
   */
  public boolean restoreViewerDelta(byte[] state) {
    return readViewerState(state, true);
  }

  private boolean readViewerState(byte[] state, boolean delta) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
      int version = in.readInt();
      if (version < 1 || version > VIEWER_STATE_VERSION || in.readInt() != session) {
        return false;
      }
      views = in.readLong();
      leaves = in.readLong();
      peakOnline = in.readLong();
      online = delta ? online.merge(readBlob(in)) : OnlineUsers.fromBytes(readBlob(in));
      DistinctUsers saved = delta ? uv.merge(readBlob(in)) : DistinctUsers.fromBytes(readBlob(in));
      clickers = delta ? clickers.merge(readBlob(in)) : DistinctUsers.fromBytes(readBlob(in));
      if (delta) {
        sources.clear();
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        sources.put(in.readUTF(), in.readLong());
      }
      sourcesCache = null;
      uv = saved;
      if (version >= 3) {
        readExtras(in, delta);
      }
      if (version >= 4) {
        readWatchAndClickers(in, delta);
      }
      if (version >= 5) {
        timeline.readViewerSide(in);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- moving a room whole: every figure, for a new owner ------------------------------------------

  private static final int SNAPSHOT_VERSION = 6;

  /**
   * Every figure of the room, so that {@link #fromSnapshot} makes an identical room elsewhere (another
   * aggregator, another node). What is not yet written (per-second traffic rows) moves with it.
   */
  public byte[] toSnapshot() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(SNAPSHOT_VERSION);
      out.writeUTF(room);
      out.writeInt(session);
      writeNullable(out, status);
      writeNullable(out, anchor);
      writeNullable(out, title);
      writeNullable(out, platform);
      out.writeBoolean(target != null);
      if (target != null) {
        out.writeLong(target.cents());
        out.writeInt(target.minutes());
      }
      out.writeLong(gmvCents);
      out.writeLong(grossCents);
      out.writeLong(refundCents);
      out.writeLong(orders);
      out.writeLong(units);
      out.writeInt(maxOnline);
      out.writeLong(lastActiveSecond);
      out.writeLong(lastSavedOnline);
      out.writeLong(lastSeriesOnline);
      out.writeBoolean(viewerStateChanged);
      writeBlob(out, buyers.toBytes());
      writeBlob(out, hashesToBytes(refundedOrders));
      out.writeInt(products.size());
      for (var en : products.entrySet()) {
        ProductTotals p = en.getValue();
        out.writeUTF(en.getKey());
        writeNullable(out, p.title);
        out.writeLong(p.titleTs);
        out.writeUTF(p.titleOrder);
        out.writeLong(p.gmvCents);
        out.writeLong(p.units);
        out.writeLong(p.orders);
        writeBlob(out, p.buyers.toBytes());
      }
      out.writeInt(sourceSales.size());
      for (var en : sourceSales.entrySet()) {
        SourceTotals t = en.getValue();
        out.writeUTF(en.getKey());
        out.writeLong(t.grossCents);
        out.writeLong(t.refundCents);
        out.writeLong(t.orders);
        writeBlob(out, t.buyers.toBytes());
      }
      out.writeLong(lastClosedSecond);
      out.writeLong(entersThisSecond);
      out.writeLong(lastEventSecond);
      out.writeLong(lastOrderSecond);
      timeline.writeFull(out);
      series.writeTo(out);
      out.writeInt(unsavedTraffic.size());
      for (var en : unsavedTraffic.long2ObjectEntrySet()) {
        out.writeLong(en.getLongKey());
        for (long v : en.getValue()) {
          out.writeLong(v);
        }
      }
      // The viewer side exactly as it is saved to PostgreSQL: one format for both.
      writeBlob(out, viewerState());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RoomState fromSnapshot(byte[] snapshot) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
      if (in.readInt() != SNAPSHOT_VERSION) {
        throw new IllegalArgumentException("unknown room snapshot version");
      }
      RoomState r = new RoomState(in.readUTF(), in.readInt());
      r.status = readNullable(in);
      r.anchor = readNullable(in);
      r.title = readNullable(in);
      r.platform = readNullable(in);
      r.target = in.readBoolean() ? new Figures.Target(in.readLong(), in.readInt()) : null;
      r.gmvCents = in.readLong();
      r.grossCents = in.readLong();
      r.refundCents = in.readLong();
      r.orders = in.readLong();
      r.units = in.readLong();
      r.maxOnline = in.readInt();
      r.lastActiveSecond = in.readLong();
      r.lastSavedOnline = in.readLong();
      r.lastSeriesOnline = in.readLong();
      boolean changed = in.readBoolean();
      r.buyers = DistinctUsers.fromBytes(readBlob(in));
      r.refundedOrders = hashesFromBytes(readBlob(in));
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        ProductTotals p = new ProductTotals();
        String sku = in.readUTF();
        p.title = readNullable(in);
        p.titleTs = in.readLong();
        p.titleOrder = in.readUTF();
        p.gmvCents = in.readLong();
        p.units = in.readLong();
        p.orders = in.readLong();
        p.buyers = DistinctUsers.fromBytes(readBlob(in));
        r.products.put(sku, p);
      }
      int sources = in.readInt();
      for (int i = 0; i < sources; i++) {
        SourceTotals t = new SourceTotals();
        String source = in.readUTF();
        t.grossCents = in.readLong();
        t.refundCents = in.readLong();
        t.orders = in.readLong();
        t.buyers = DistinctUsers.fromBytes(readBlob(in));
        r.sourceSales.put(source, t);
      }
      r.lastClosedSecond = in.readLong();
      r.entersThisSecond = in.readLong();
      r.lastEventSecond = in.readLong();
      r.lastOrderSecond = in.readLong();
      r.timeline.readFull(in);
      r.series.readFrom(in);
      int t = in.readInt();
      for (int i = 0; i < t; i++) {
        long second = in.readLong();
        r.unsavedTraffic.put(second, new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()});
      }
      if (!r.restoreViewerState(readBlob(in))) {
        throw new IllegalArgumentException("room snapshot of " + r.room + " holds another session's viewer state");
      }
      r.viewerStateChanged = changed;
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] hashesToBytes(it.unimi.dsi.fastutil.longs.LongOpenHashSet set) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * set.size());
    set.forEach((long h) -> buf.putLong(h));
    return buf.array();
  }

  private static it.unimi.dsi.fastutil.longs.LongOpenHashSet hashesFromBytes(byte[] b) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    it.unimi.dsi.fastutil.longs.LongOpenHashSet set = new it.unimi.dsi.fastutil.longs.LongOpenHashSet(b.length / 8);
    while (buf.hasRemaining()) {
      set.add(buf.getLong());
    }
    return set;
  }

  private static void writeNullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  public void restoreMeta(String status, String anchor, String title, String platform) {
    this.status = status;
    this.anchor = anchor;
    this.title = title;
    this.platform = platform;
  }

  /** Adds one product's stored orders (and refunds) of the current session. */
  public void restoreProduct(String sku, String title, long titleTs, String titleOrder, long gmvCents, long units,
                             long orderCount) {
    ProductTotals p = products.computeIfAbsent(sku, k -> new ProductTotals());
    p.title = title;
    p.titleTs = titleTs;
    p.titleOrder = titleOrder == null ? "" : titleOrder;
    p.gmvCents += gmvCents;
    p.units += units;
    p.orders += orderCount;
    this.gmvCents += gmvCents;
    this.units += units;
    this.orders += orderCount;
    topCache = null;
  }

  /** A refund whose sku has no order in this session still lowers the session's GMV. */
  public void restoreUnmatchedRefund(long cents) {
    gmvCents -= cents;
  }

  /** The session's stored money beside the net: gross sales, refunds and the refunded order ids. */
  public void restoreRefunds(long gross, long refunded, Iterable<String> refundedOrderIds) {
    grossCents = gross;
    refundCents = refunded;
    for (String id : refundedOrderIds) {
      refundedOrders.add(UserHash.of(id));
    }
  }

  public void restoreBuyer(String user) {
    long h = UserHash.of(user);
    buyers.add(user, h);
    uv.add(user, h);
  }

  /** A buyer of {@code sku} with an order from {@code source} (null: none) in the current session. */
  public void restoreProductBuyer(String sku, String source, String user) {
    ProductTotals p = products.get(sku);
    if (p != null) {
      p.buyers.add(user);
      topCache = null;
    }
    if (source != null) {
      sourceTotals(source).buyers.add(user);
    }
  }

  /** One source's stored sales of the current session. */
  public void restoreSourceSales(String source, long grossCents, long refundCents, long orderCount) {
    SourceTotals t = sourceTotals(source);
    t.grossCents += grossCents;
    t.refundCents += refundCents;
    t.orders += orderCount;
  }

  public void restoreSecond(long second, long gmv, long orderCount, long unitCount, long view, long enter,
                            long leave, long onlineAtEnd, long click) {
    series.addSale(second, gmv, orderCount, unitCount);
    series.addTraffic(second, view, enter, leave, click);
    if (onlineAtEnd >= 0) {
      series.setOnline(second, onlineAtEnd);
    }
  }

  private static void writeBlob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}
