package io.livepulse.alerts;

/**
 * One rule of contract §10, with the kinds issue 13 adds. Scope: {@code room}, else {@code prefix},
 * else every room.
 *
 * @param op below, above (threshold, held for {@code seconds}); drop, rise ({@code value} % within
 *     {@code seconds}); stall (no order for {@code seconds} while online is above {@code minOnline});
 *     silent (no event at all for {@code seconds} while live); milestone (the figure reaches
 *     {@code value}, once a session); pace (a session target of {@code value} over {@code seconds},
 *     firing when the figure is more than {@code percent} % behind the straight-line pace)
 * @param format of the webhook body: json (the alert message itself), feishu, dingtalk, wecom, slack
 * @param anchor whether the anchor view shows it
 */
public record AlertRule(long id, String room, String prefix, String figure, Op op, double value, long seconds,
                        long cooldownSeconds, String webhook, String format, boolean anchor, long minOnline,
                        double percent) {
  public enum Op {
    BELOW, ABOVE, DROP, RISE, STALL, SILENT, MILESTONE, PACE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Op fromWire(String s) {
      for (Op o : values()) {
        if (o.wire().equals(s)) {
          return o;
        }
      }
      return null;
    }
  }

  public boolean applies(String r) {
    return room != null ? room.equals(r) : prefix == null || r.startsWith(prefix);
  }

  public AlertRule withId(long newId) {
    return new AlertRule(newId, room, prefix, figure, op, value, seconds, cooldownSeconds, webhook, format, anchor,
        minOnline, percent);
  }
}
