package io.livepulse.alerts;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Reads a rule from the body of {@code POST /api/alerts/rules} (contract §10), checking every field;
 * a bad one is named with its rule in the {@link IllegalArgumentException}'s message.
 */
public final class RuleRequest {
  static final Set<String> FIELDS = Set.of("room", "prefix", "figure", "op", "value", "seconds", "cooldownSeconds",
      "webhook", "format", "anchor", "minOnline", "percent");
  static final long MAX_SECONDS = 86_400;

  private RuleRequest() {
  }

  public static AlertRule parse(JsonObject body) {
    for (String f : body.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field " + f + " (fields: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
      }
    }
    String room = text(body, "room", 128);
    String prefix = text(body, "prefix", 128);
    if (room != null && prefix != null) {
      throw new IllegalArgumentException("room and prefix: give one of them, or neither for every room");
    }
    Object opValue = body.getValue("op");
    AlertRule.Op op = opValue instanceof String s ? AlertRule.Op.fromWire(s) : null;
    if (op == null) {
      throw new IllegalArgumentException("op must be one of below, above, drop, rise, stall, silent, milestone, pace");
    }
    boolean timed = op == AlertRule.Op.STALL || op == AlertRule.Op.SILENT;
    String figure = text(body, "figure", 64);
    if (figure == null) {
      if (!timed) {
        throw new IllegalArgumentException("figure is required (one of " + AlertFigures.names() + ")");
      }
      figure = op == AlertRule.Op.STALL ? "orders" : "views";
    } else if (!AlertFigures.known(figure)) {
      throw new IllegalArgumentException("figure must be one of " + AlertFigures.names() + ", got " + figure);
    }
    double value = number(body, "value", !timed, 0);
    long seconds = integer(body, "seconds", 0, MAX_SECONDS, timed || op == AlertRule.Op.DROP || op == AlertRule.Op.RISE
        || op == AlertRule.Op.PACE, 0);
    if (op == AlertRule.Op.DROP) {
      require(value > 0 && value <= 100, "value of a drop is a percentage: more than 0, at most 100");
    } else if (op == AlertRule.Op.RISE) {
      require(value > 0 && value <= 1_000_000, "value of a rise is a percentage: more than 0, at most 1000000");
    }
    if (op == AlertRule.Op.DROP || op == AlertRule.Op.RISE || timed) {
      require(seconds >= 1, "seconds must be at least 1 for " + op.wire());
    }
    if (op == AlertRule.Op.PACE) {
      require(value > 0, "value of a pace rule is the session target: more than 0");
      require(seconds >= 60, "seconds of a pace rule is the planned length of the show: at least 60");
    }
    long cooldown = integer(body, "cooldownSeconds", 0, MAX_SECONDS, false, 60);
    String webhook = text(body, "webhook", 2000);
    if (webhook != null) {
      require(webhook.startsWith("http://") || webhook.startsWith("https://"), "webhook must be an http:// or https:// URL");
      try {
        java.net.URI u = java.net.URI.create(webhook);
        require(u.getHost() != null, "webhook must be an http:// or https:// URL with a host");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("webhook must be an http:// or https:// URL: " + e.getMessage());
      }
    }
    String format = text(body, "format", 16);
    if (format == null) {
      format = "json";
    }
    require(WebhookBodies.FORMATS.contains(format), "format must be one of " + String.join(", ", WebhookBodies.FORMATS));
    Object anchor = body.getValue("anchor");
    require(anchor == null || anchor instanceof Boolean, "anchor must be true or false");
    long minOnline = integer(body, "minOnline", 0, Long.MAX_VALUE / 2, false, 0);
    double percent = body.containsKey("percent") ? number(body, "percent", true, 0) : 10;
    require(percent >= 0 && percent <= 100, "percent must be 0-100");
    return new AlertRule(0, room, prefix, figure, op, value, seconds, cooldown, webhook, format,
        Boolean.TRUE.equals(anchor), minOnline, percent);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static String text(JsonObject body, String field, int max) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty() || s.length() > max) {
      throw new IllegalArgumentException(field + " must be a string of 1-" + max + " characters");
    }
    return s;
  }

  private static double number(JsonObject body, String field, boolean required, double fallback) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) {
        throw new IllegalArgumentException(field + " is required (a number)");
      }
      return fallback;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return n.doubleValue();
  }

  private static long integer(JsonObject body, String field, long min, long max, boolean required, long fallback) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) {
        throw new IllegalArgumentException(field + " is required (an integer " + min + "-" + max + ")");
      }
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw new IllegalArgumentException(field + " must be an integer " + min + "-" + max);
    }
    return ((Number) v).longValue();
  }
}
