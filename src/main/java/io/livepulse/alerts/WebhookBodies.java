package io.livepulse.alerts;

import io.vertx.core.json.JsonObject;

/**
 * The body a webhook gets for an alert: the alert message itself ({@code json}), or the text message
 * of a chat tool's incoming webhook, in the shape each documents: Feishu/Lark custom bot
 * ({@code msg_type: text}), DingTalk custom robot ({@code msgtype: text}), WeCom group robot
 * ({@code msgtype: text}), Slack incoming webhook ({@code text}).
 */
public final class WebhookBodies {
  public static final java.util.List<String> FORMATS = java.util.List.of("json", "feishu", "dingtalk", "wecom", "slack");

  private WebhookBodies() {
  }

  public static JsonObject body(String format, JsonObject alert) {
    String text = text(alert);
    return switch (format == null ? "json" : format) {
      case "feishu" -> new JsonObject().put("msg_type", "text").put("content", new JsonObject().put("text", text));
      case "dingtalk", "wecom" -> new JsonObject().put("msgtype", "text").put("text", new JsonObject().put("content", text));
      case "slack" -> new JsonObject().put("text", text);
      default -> alert.copy();
    };
  }

  /** One line a person reads in a chat: "[LivePulse] FIRING room r1: online below 2000 (now 1850)". */
  static String text(JsonObject a) {
    boolean firing = "firing".equals(a.getString("state"));
    return "[LivePulse] " + (firing ? "FIRING" : "resolved") + " room " + a.getString("room") + ": "
        + a.getString("figure") + " " + a.getString("op") + " " + number(a.getValue("threshold"))
        + " (now " + number(a.getValue("value")) + ", rule " + a.getLong("rule") + ")";
  }

  private static String number(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    return String.valueOf(v);
  }

}
