package io.livepulse.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.livepulse.event.Event;
import io.livepulse.event.EventType;
import io.livepulse.event.Money;
import io.livepulse.event.RoomId;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Reads one event object from a streaming parser and validates it against contract §1.
 * Errors read as "{type}: {field} {rule}" so that a producer knows what to fix.
 */
final class EventDecoder {
  static final long MAX_CLOCK_SKEW_MS = 24L * 3600 * 1000;

  private final LongSupplier clock;
  private final TextCache cache = new TextCache();

  // Raw fields of the event being decoded; reused across events of a frame.
  private String type;
  private String room;
  private String user;
  private String action;
  private String source;
  private String order;
  private String sku;
  private String title;
  private String anchor;
  private String platform;
  private String status;
  private String amount;
  private long ts;
  private boolean hasTs;
  private long qty;
  private boolean hasQty;
  private String refundId;
  private String statsError;
  private long viewerIdleMinutes;
  private String target;
  private String label;
  private String kind;
  private long targetMinutes;
  private boolean hasTargetMinutes;
  private boolean hasViewerIdle;
  /** stats fields in STATS_FIELDS order; -1 = absent. */
  private final long[] stats = new long[STATS_FIELDS.length];
  static final String[] STATS_FIELDS = {"online", "viewers", "likes", "comments", "follows", "shares", "exposures"};
  private String fieldError;
  /** Bit per known field already read in this event, to refuse a key given twice. */
  private int seen;

  EventDecoder(LongSupplier clock) {
    this.clock = clock;
  }

  /** Why the last {@link #decode} returned null. */
  private String error;

  /**
   * The parser must be positioned on START_OBJECT; on return it is on the matching END_OBJECT.
   * Returns the event, or null when it is invalid, and then {@link #error()} says why.
   */
  Event decode(JsonParser p) throws IOException {
    reset();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      readField(name, v, p);
    }
    return validate();
  }

  private void reset() {
    type = room = user = action = source = order = sku = title = anchor = platform = status = amount = refundId = null;
    java.util.Arrays.fill(stats, -1);
    statsError = null;
    hasViewerIdle = false;
    viewerIdleMinutes = 0;
    target = null;
    label = null;
    kind = null;
    targetMinutes = 0;
    hasTargetMinutes = false;
    hasTs = hasQty = false;
    ts = qty = 0;
    fieldError = null;
    seen = 0;
  }

  private void readField(String name, JsonToken v, JsonParser p) throws IOException {
    int bit = fieldBit(name);
    if (bit != 0) {
      if ((seen & bit) != 0) {
        fail(name, "is given twice in one event");
        p.skipChildren();
        return;
      }
      seen |= bit;
    }
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    switch (name) {
      case "type" -> type = cachedText(name, v, p);
      case "room" -> room = cachedText(name, v, p);
      case "user" -> user = text(name, v, p);
      case "action" -> action = cachedText(name, v, p);
      case "source" -> source = cachedText(name, v, p);
      case "order" -> order = text(name, v, p);
      case "sku" -> sku = cachedText(name, v, p);
      case "title" -> title = text(name, v, p);
      case "anchor" -> anchor = text(name, v, p);
      case "platform" -> platform = text(name, v, p);
      case "status" -> status = text(name, v, p);
      case "ts" -> {
        hasTs = true;
        ts = integer(name, v, p, "must be an integer (epoch milliseconds)");
      }
      case "qty" -> {
        hasQty = true;
        qty = integer(name, v, p, "must be an integer from 1 to 100000");
      }
      case "refund" -> refundId = text(name, v, p);
      case "label" -> label = text(name, v, p);
      case "kind" -> kind = text(name, v, p);
      case "target" -> {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_STRING) {
          target = p.getText();
        } else {
          fail("target", "must be a number or a numeric string");
          p.skipChildren();
        }
      }
      case "targetMinutes" -> {
        hasTargetMinutes = true;
        targetMinutes = integer(name, v, p, "must be an integer from 1 to 1440");
      }
      case "viewerIdleMinutes" -> {
        hasViewerIdle = true;
        viewerIdleMinutes = integer(name, v, p, "must be an integer from 0 to 1440 (minutes; 0 turns it off)");
      }
      case "online", "viewers", "likes", "comments", "follows", "shares", "exposures" -> {
        // Only a stats event has these fields; in any other event they are ignored like unknown ones.
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            && p.getLongValue() >= 0) {
          stats[statsIndex(name)] = p.getLongValue();
        } else {
          if (statsError == null) {
            statsError = name + " must be an integer >= 0";
          }
          p.skipChildren();
        }
      }
      case "amount" -> {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_STRING) {
          amount = p.getText();
        } else {
          fail("amount", "must be a number or a numeric string");
          p.skipChildren();
        }
      }
      default -> p.skipChildren();
    }
  }

  /** A bit per known field (a string switch: hash and one comparison, it runs for every field). */
  private static int fieldBit(String name) {
    return switch (name) {
      case "type" -> 1;
      case "room" -> 1 << 1;
      case "user" -> 1 << 2;
      case "action" -> 1 << 3;
      case "source" -> 1 << 4;
      case "order" -> 1 << 5;
      case "sku" -> 1 << 6;
      case "title" -> 1 << 7;
      case "anchor" -> 1 << 8;
      case "platform" -> 1 << 9;
      case "status" -> 1 << 10;
      case "ts" -> 1 << 11;
      case "qty" -> 1 << 12;
      case "amount" -> 1 << 13;
      case "refund" -> 1 << 14;
      case "viewerIdleMinutes" -> 1 << 15;
      case "online" -> 1 << 16;
      case "viewers" -> 1 << 17;
      case "likes" -> 1 << 18;
      case "comments" -> 1 << 19;
      case "follows" -> 1 << 20;
      case "shares" -> 1 << 21;
      case "exposures" -> 1 << 22;
      case "target" -> 1 << 23;
      case "targetMinutes" -> 1 << 24;
      case "label" -> 1 << 25;
      case "kind" -> 1 << 26;
      default -> 0;
    };
  }

  private String text(String name, JsonToken v, JsonParser p) throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      return checked(name, p.getText());
    }
    fail(name, "must be a string");
    p.skipChildren();
    return null;
  }

  /** As {@link #text}, for the fields whose few values repeat across events: read through the cache. */
  private String cachedText(String name, JsonToken v, JsonParser p) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      return text(name, v, p);
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    String s = cache.find(chars, offset, length);
    if (s != null) {
      return s;
    }
    s = checked(name, new String(chars, offset, length));
    if (s != null) {
      cache.keep(s);
    }
    return s;
  }

  private String checked(String name, String s) {
    String rule = textRule(s);
    if (rule != null) {
      fail(name, rule);
      return null;
    }
    return s;
  }

  /**
   * NUL and lone UTF-16 surrogates are refused: PostgreSQL cannot store the first and turns the second
   * into '?', so two different ids would become one.
   */
  static String textRule(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '\u0000') {
        return "must not contain the NUL character";
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return "must be valid Unicode (a lone UTF-16 surrogate at character " + i + ")";
        }
      }
    }
    return null;
  }

  private static int statsIndex(String name) {
    for (int i = 0; i < STATS_FIELDS.length; i++) {
      if (STATS_FIELDS[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private long integer(String name, JsonToken v, JsonParser p, String rule) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    fail(name, rule);
    p.skipChildren();
    return 0;
  }

  private void fail(String field, String rule) {
    if (fieldError == null) {
      fieldError = field + " " + rule;
    }
  }

  private Event validate() {
    EventType et = EventType.fromWire(type);
    if (et == null) {
      return error("event", type == null && !"type must be a string".equals(fieldError)
          ? "type is required, one of " + EventType.NAMES
          : "type must be one of " + EventType.NAMES);
    }
    String p = et.wire();
    if (fieldError != null) {
      return error(p, fieldError);
    }
    if (room == null) {
      return error(p, "room is required");
    }
    if (!RoomId.valid(room)) {
      return error(p, "room must be 1-64 characters of A-Z a-z 0-9 _ . : -");
    }
    long now = clock.getAsLong();
    // Compared without subtracting from ts: ts - now overflows near Long.MIN_VALUE.
    if (hasTs && (ts < now - MAX_CLOCK_SKEW_MS || ts > now + MAX_CLOCK_SKEW_MS)) {
      return error(p, "ts must be within 24 h of server time (epoch milliseconds)");
    }
    long at = hasTs ? ts : now;
    return switch (et) {
      case VIEWER -> viewer(at);
      case ORDER -> order(at);
      case REFUND -> refund(at);
      case CLICK -> click(at);
      case ROOM -> roomMeta(at);
      case STATS -> stats(at);
      case EXPLAIN -> explain(at);
      case MARK -> mark(at);
    };
  }

  /** Contract §9: the anchor starts or stops explaining a product. */
  private Event explain(long at) {
    String e = requireLength("sku", sku, 128);
    if (e == null && action == null) {
      e = "action is required, start or end";
    } else if (e == null && !action.equals("start") && !action.equals("end")) {
      e = "action must be start or end";
    }
    if (e != null) {
      return error("explain", e);
    }
    return new Event(EventType.EXPLAIN, room, at, null, action.equals("start"), null, null, sku, 0, 0, null,
        null, null, null);
  }

  /** Contract §9: a point on the session's timeline (label in {@code title}, kind in {@code source}). */
  private Event mark(long at) {
    String e = requireLength("label", label, 200);
    if (e == null) {
      e = optionalLength("kind", kind, 32);
    }
    if (e != null) {
      return error("mark", e);
    }
    return new Event(EventType.MARK, room, at, null, false, emptyToNull(kind), null, null, 0, 0, label, null,
        null, null);
  }

  private Event viewer(long at) {
    String e = requireLength("user", user, 128);
    if (e == null && action == null) {
      e = "action is required, enter or leave";
    } else if (e == null && !action.equals("enter") && !action.equals("leave")) {
      e = "action must be enter or leave";
    }
    if (e == null) {
      e = optionalLength("source", source, 32);
    }
    if (e != null) {
      return error("viewer", e);
    }
    return new Event(EventType.VIEWER, room, at, user, action.equals("enter"), source,
        null, null, 0, 0, null, null, null, null);
  }

  private Event order(long at) {
    String e = requireLength("order", order, 128);
    if (e == null) {
      e = requireLength("user", user, 128);
    }
    if (e == null) {
      e = requireLength("sku", sku, 128);
    }
    if (e == null && hasQty && (qty < 1 || qty > 100_000)) {
      e = "qty must be an integer from 1 to 100000";
    }
    if (e == null) {
      e = optionalText("title", title, 200);
    }
    if (e == null) {
      e = optionalLength("source", source, 32);
    }
    if (e != null) {
      return error("order", e);
    }
    if (amount == null) {
      return error("order", "amount is required");
    }
    Money.Parsed m = Money.parse(amount, false);
    if (!m.ok()) {
      return error("order", "amount " + m.error());
    }
    return new Event(EventType.ORDER, room, at, user, false, source, order, sku,
        hasQty ? (int) qty : 1, m.cents(), emptyToNull(title), null, null, null);
  }

  private Event refund(long at) {
    String e = requireLength("order", order, 128);
    if (e == null && refundId != null) {
      e = requireLength("refund", refundId, 128);
    }
    if (e != null) {
      return error("refund", e);
    }
    if (amount == null) {
      return error("refund", "amount is required");
    }
    Money.Parsed m = Money.parse(amount, true);
    if (!m.ok()) {
      return error("refund", "amount " + m.error());
    }
    return Event.refund(room, at, order, m.cents(), refundId);
  }

  private Event stats(long at) {
    if (statsError != null) {
      return error("stats", statsError);
    }
    boolean any = false;
    for (long v : stats) {
      any |= v >= 0;
    }
    if (!any) {
      return error("stats", "at least one of " + String.join(", ", STATS_FIELDS) + " is required");
    }
    return Event.stats(room, at, new Event.Stats(stats[0], stats[1], stats[2], stats[3], stats[4], stats[5],
        stats[6]));
  }

  private Event click(long at) {
    String e = requireLength("user", user, 128);
    if (e == null) {
      e = requireLength("sku", sku, 128);
    }
    if (e != null) {
      return error("click", e);
    }
    return new Event(EventType.CLICK, room, at, user, false, null, null, sku, 0, 0, null, null, null, null);
  }

  private Event roomMeta(long at) {
    String e = optionalText("anchor", anchor, 200);
    if (e == null) {
      e = optionalText("title", title, 200);
    }
    if (e == null) {
      e = optionalText("platform", platform, 200);
    }
    if (e == null && status != null && !status.equals("live") && !status.equals("ended")) {
      e = "status must be live or ended";
    }
    if (e == null && hasViewerIdle && (viewerIdleMinutes < 0 || viewerIdleMinutes > 1440)) {
      e = "viewerIdleMinutes must be an integer from 0 to 1440 (minutes; 0 turns it off)";
    }
    if (e == null && hasTargetMinutes && (targetMinutes < 1 || targetMinutes > 1440)) {
      e = "targetMinutes must be an integer from 1 to 1440";
    }
    if (e == null && hasTargetMinutes && target == null) {
      e = "targetMinutes needs a target";
    }
    Event.Target t = null;
    if (e == null && target != null) {
      Money.Parsed m = Money.parse(target, false);
      if (!m.ok()) {
        e = "target " + m.error();
      } else {
        t = new Event.Target(m.cents(), hasTargetMinutes ? (int) targetMinutes : 0);
      }
    }
    if (e != null) {
      return error("room", e);
    }
    return Event.roomMeta(room, at, emptyToNull(title), emptyToNull(anchor), emptyToNull(platform), status,
        hasViewerIdle ? (int) viewerIdleMinutes : -1, t);
  }

  private static String requireLength(String field, String value, int max) {
    if (value == null) {
      return field + " is required";
    }
    if (value.isEmpty() || value.length() > max) {
      return field + " must be 1-" + max + " characters";
    }
    return null;
  }

  private static String optionalLength(String field, String value, int max) {
    if (value != null && (value.isEmpty() || value.length() > max)) {
      return field + " must be 1-" + max + " characters";
    }
    return null;
  }

  /** Contract: at most {@code max} characters, and empty is a valid value (no text). */
  private static String optionalText(String field, String value, int max) {
    if (value != null && value.length() > max) {
      return field + " must be at most " + max + " characters";
    }
    return null;
  }

  /** An empty optional text is stored and shown as no text, like an absent one. */
  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  String error() {
    return error;
  }

  private Event error(String prefix, String rule) {
    error = prefix + ": " + rule;
    return null;
  }
}
