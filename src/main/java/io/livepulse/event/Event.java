package io.livepulse.event;

/**
 * One validated event. Fields that a type does not use are null (or 0).
 *
 * <p>{@code session}, and for refunds {@code sku}/{@code title}, are filled in by the store once the
 * event is committed: the store owns session numbering so that a restart rebuilds exactly the same
 * session. The event is handed from thread to thread only through event-bus queues, which publish
 * those writes safely.
 */
public final class Event {
  public final EventType type;
  public final String room;
  public final long ts;
  public final String user;
  /** viewer: true for enter, false for leave. */
  public final boolean enter;
  public final String source;
  public final String order;
  public final int qty;
  /** order / refund amount in cents (fen). */
  public final long amountCents;
  public final String anchor;
  public final String platform;
  /** room: "live", "ended" or null. */
  public final String status;

  public String sku;
  public String title;
  public int session;

  public Event(EventType type, String room, long ts, String user, boolean enter, String source,
               String order, String sku, int qty, long amountCents, String title,
               String anchor, String platform, String status) {
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

  public long second() {
    return Math.floorDiv(ts, 1000L);
  }

  @Override
  public String toString() {
    return type.wire() + "{room=" + room + ", ts=" + ts + (order != null ? ", order=" + order : "")
        + (user != null ? ", user=" + user : "") + "}";
  }
}
