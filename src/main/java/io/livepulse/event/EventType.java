package io.livepulse.event;

/** The event types of contract §1 and §8, with their wire names. */
public enum EventType {
  VIEWER("viewer"), ORDER("order"), REFUND("refund"), CLICK("click"), ROOM("room"), STATS("stats"),
  EXPLAIN("explain"), MARK("mark");

  public static final String NAMES = "viewer, order, refund, click, room, stats, explain, mark";

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Orders, refunds and room status changes must be committed before their frame is acknowledged. */
  public boolean durable() {
    return this == ORDER || this == REFUND || this == ROOM || this == EXPLAIN || this == MARK;
  }

  public static EventType fromWire(String s) {
    if (s == null) {
      return null;
    }
    switch (s) {
      case "viewer": return VIEWER;
      case "order": return ORDER;
      case "refund": return REFUND;
      case "click": return CLICK;
      case "room": return ROOM;
      case "stats": return STATS;
      case "explain": return EXPLAIN;
      case "mark": return MARK;
      default: return null;
    }
  }
}
