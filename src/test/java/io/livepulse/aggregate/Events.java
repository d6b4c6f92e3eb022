package io.livepulse.aggregate;

import io.livepulse.event.Event;
import io.livepulse.event.EventType;

/** Builders for events as the store would hand them on (already validated). */
final class Events {
  static final long T0 = 1_763_800_000_000L;

  private Events() {
  }

  static Event enter(String user, long ts) {
    return enter(user, null, ts);
  }

  static Event enter(String user, String source, long ts) {
    return new Event(EventType.VIEWER, "r1", ts, user, true, source, null, null, 0, 0, null, null, null, null);
  }

  static Event leave(String user, long ts) {
    return new Event(EventType.VIEWER, "r1", ts, user, false, null, null, null, 0, 0, null, null, null, null);
  }

  static Event click(String user, String sku, long ts) {
    return new Event(EventType.CLICK, "r1", ts, user, false, null, null, sku, 0, 0, null, null, null, null);
  }

  static Event order(String id, String user, String sku, int qty, long cents, long ts) {
    return order(id, user, sku, qty, cents, ts, null);
  }

  static Event order(String id, String user, String sku, int qty, long cents, long ts, String source) {
    return new Event(EventType.ORDER, "r1", ts, user, false, source, id, sku, qty, cents, "title " + sku, null, null, null);
  }

  static Event refund(String id, String sku, long cents, long ts) {
    return refund(id, sku, cents, ts, null);
  }

  static Event refund(String id, String sku, long cents, long ts, String source) {
    // As the store sends it on: with the refunded order's sku and source.
    return new Event(EventType.REFUND, "r1", ts, null, false, null, id, null, 0, cents, null, null, null, null)
        .committed(0, sku, null, source);
  }

  static Event room(String status, long ts) {
    return new Event(EventType.ROOM, "r1", ts, null, false, null, null, null, 0, 0, "Big sale", "Li", "douyin", status);
  }
}
