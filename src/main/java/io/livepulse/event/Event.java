package io.livepulse.event;

/**
 * One validated event, immutable. Fields that a type does not use are null (or 0).
 *
 * <p>{@code session} is 0 as parsed; the store, which alone numbers sessions (so that a restart
 * rebuilds exactly the same one), sends committed events on as {@link #committed} copies carrying
 * their session, and for refunds the refunded order's {@code sku} and {@code title}.
 */
public final class Event {
  public final EventType type;
  public final String room;
  public final long ts;
  public final String user;
  /** viewer: true for enter, false for leave; explain: true for start, false for end. */
  public final boolean enter;
  /** viewer, order: the traffic source; mark: the mark's kind. */
  public final String source;
  public final String order;
  public final int qty;
  /** order / refund amount in cents (fen). */
  public final long amountCents;
  public final String anchor;
  public final String platform;
  /** room: "live", "ended" or null. */
  public final String status;

  /** order, refund, click, explain: the product. */
  public final String sku;
  /** order: the product's title; room: the room's title; mark: the mark's label. */
  public final String title;
  public final int session;
  /** refund: the producer's refund id (a re-sent id is a duplicate), or null. */
  public final String refundId;
  /** stats: what the platform reported, or null for other types. */
  public final Stats stats;
  /** room: minutes without any event after which a viewer counts as gone (0: never), or -1 when not given. */
  public final int viewerIdleMinutes;
  /** room: the session's GMV target and the show's planned length, or null when not given. */
  public final Target target;

  /**
   * A session target (issue 13): GMV in cents and, if given, the planned length of the show in minutes
   * (0: not given), for the pace.
   */
  public record Target(long cents, int minutes) {
  }

  /**
   * Figures a platform reports for a room (contract §8); -1 where not reported. {@code online} is
   * concurrent viewers; the others are cumulative for the session.
   */
  public record Stats(long online, long viewers, long likes, long comments, long follows, long shares,
                      long exposures) {
  }

  public Event(EventType type, String room, long ts, String user, boolean enter, String source,
               String order, String sku, int qty, long amountCents, String title,
               String anchor, String platform, String status) {
    this(type, room, ts, user, enter, source, order, sku, qty, amountCents, title, anchor, platform, status, 0,
        null, null, -1, null);
  }

  private Event(EventType type, String room, long ts, String user, boolean enter, String source,
                String order, String sku, int qty, long amountCents, String title,
                String anchor, String platform, String status, int session, String refundId, Stats stats,
                int viewerIdleMinutes, Target target) {
    this.target = target;
    this.viewerIdleMinutes = viewerIdleMinutes;
    this.session = session;
    this.refundId = refundId;
    this.stats = stats;
    this.type = type;
    this.room = room;
    this.ts = ts;
    this.user = user;
    this.enter = enter;
    this.source = source;
    this.order = order;
    this.sku = sku;
    this.qty = qty;
    this.amountCents = amountCents;
    this.title = title;
    this.anchor = anchor;
    this.platform = platform;
    this.status = status;
  }

  /** This event as committed: in {@code session}; a refund with its order's sku, title and source. */
  public Event committed(int inSession, String withSku, String withTitle, String withSource) {
    return new Event(type, room, ts, user, enter, withSource, order, withSku, qty, amountCents, withTitle, anchor,
        platform, status, inSession, refundId, stats, viewerIdleMinutes, target);
  }

  /** Every field as given: for the event bus's wire codec, which must rebuild an event exactly. */
  public static Event restore(EventType type, String room, long ts, String user, boolean enter, String source,
                              String order, String sku, int qty, long amountCents, String title, String anchor,
                              String platform, String status, int session, String refundId, Stats stats,
                              int viewerIdleMinutes, Target target) {
    return new Event(type, room, ts, user, enter, source, order, sku, qty, amountCents, title, anchor, platform,
        status, session, refundId, stats, viewerIdleMinutes, target);
  }

  /** A refund of {@code order}, with the producer's refund id (null: none). */
  public static Event refund(String room, long ts, String order, long amountCents, String refundId) {
    return new Event(EventType.REFUND, room, ts, null, false, null, order, null, 0, amountCents, null, null, null,
        null, 0, refundId, null, -1, null);
  }

  public static Event stats(String room, long ts, Stats stats) {
    return new Event(EventType.STATS, room, ts, null, false, null, null, null, 0, 0, null, null, null, null, 0,
        null, stats, -1, null);
  }

  /** Room metadata; {@code viewerIdleMinutes} -1 when not given. */
  public static Event roomMeta(String room, long ts, String title, String anchor, String platform, String status,
                               int viewerIdleMinutes) {
    return roomMeta(room, ts, title, anchor, platform, status, viewerIdleMinutes, null);
  }

  /** Room metadata with a session target (null: none given). */
  public static Event roomMeta(String room, long ts, String title, String anchor, String platform, String status,
                               int viewerIdleMinutes, Target target) {
    return new Event(EventType.ROOM, room, ts, null, false, null, null, null, 0, 0, title, anchor, platform, status,
        0, null, null, viewerIdleMinutes, target);
  }

  /** As committed in {@code inSession}, sku and title as they are. */
  public Event committed(int inSession) {
    return committed(inSession, sku, title, source);
  }

  public long second() {
    return Math.floorDiv(ts, 1000L);
  }

  @Override
  public String toString() {
    return type.wire() + "{room=" + room + ", ts=" + ts + (order != null ? ", order=" + order : "")
        + (user != null ? ", user=" + user : "") + "}";
  }
}
