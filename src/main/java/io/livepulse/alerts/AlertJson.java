package io.livepulse.alerts;

import io.livepulse.bus.Bus;
import io.vertx.core.json.JsonObject;

/** The {@code alert} message of contract §10 (without {@code seq}), and a rule as the API shows it. */
public final class AlertJson {
  private AlertJson() {
  }

  public static JsonObject alert(Bus.AlertMessage a) {
    return new JsonObject().put("type", "alert").put("state", a.state()).put("rule", a.rule()).put("room", a.room())
        .put("figure", a.figure()).put("op", a.op()).put("value", a.value()).put("threshold", a.threshold())
        .put("second", a.second()).put("anchor", a.anchor());
  }

  public static JsonObject rule(AlertRule r) {
    JsonObject o = new JsonObject().put("id", r.id());
    if (r.room() != null) {
      o.put("room", r.room());
    }
    if (r.prefix() != null) {
      o.put("prefix", r.prefix());
    }
    o.put("figure", r.figure()).put("op", r.op().wire()).put("value", r.value()).put("seconds", r.seconds())
        .put("cooldownSeconds", r.cooldownSeconds());
    if (r.webhook() != null) {
      o.put("webhook", r.webhook()).put("format", r.format());
    }
    o.put("anchor", r.anchor());
    if (r.op() == AlertRule.Op.STALL) {
      o.put("minOnline", r.minOnline());
    }
    if (r.op() == AlertRule.Op.PACE) {
      o.put("percent", r.percent());
    }
    return o;
  }
}
