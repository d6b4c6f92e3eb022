package io.livepulse.store;

import io.livepulse.alerts.AlertRepository;
import io.livepulse.alerts.AlertRule;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Alert rules and history in PostgreSQL. */
public final class AlertTables implements AlertRepository {
  static final String RULES = "SELECT id, room, prefix, figure, op, value, seconds, cooldown_seconds, webhook, format, "
      + "anchor, min_online, percent FROM alert_rules ORDER BY id";
  static final String ADD_RULE = "INSERT INTO alert_rules (room, prefix, figure, op, value, seconds, cooldown_seconds, "
      + "webhook, format, anchor, min_online, percent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      + "RETURNING id";
  static final String DELETE_RULE = "DELETE FROM alert_rules WHERE id = $1";
  static final String RECORD = "INSERT INTO alert_events (rule_id, room, state, figure, op, value, threshold, second) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  static final String HISTORY = "SELECT rule_id, room, state, figure, op, value, threshold, second FROM alert_events "
      + "WHERE room = $1 AND second BETWEEN $2 AND $3 ORDER BY second, id LIMIT 10000";

  private final Pool pool;

  public AlertTables(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<AlertRule>> rules() {
    return pool.query(RULES).execute().map(rows -> {
      List<AlertRule> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new AlertRule(r.getLong("id"), r.getString("room"), r.getString("prefix"), r.getString("figure"),
            AlertRule.Op.fromWire(r.getString("op")), r.getDouble("value"), r.getLong("seconds"),
            r.getLong("cooldown_seconds"), r.getString("webhook"), r.getString("format"), r.getBoolean("anchor"),
            r.getLong("min_online"), r.getDouble("percent")));
      }
      return out;
    });
  }

  @Override
  public Future<AlertRule> add(AlertRule rule) {
    Tuple t = Tuple.tuple().addString(rule.room()).addString(rule.prefix()).addString(rule.figure())
        .addString(rule.op().wire()).addDouble(rule.value()).addLong(rule.seconds()).addLong(rule.cooldownSeconds())
        .addString(rule.webhook()).addString(rule.format()).addBoolean(rule.anchor()).addLong(rule.minOnline())
        .addDouble(rule.percent());
    return pool.preparedQuery(ADD_RULE).execute(t).map(rows -> rule.withId(rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Boolean> delete(long id) {
    return pool.preparedQuery(DELETE_RULE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Void> record(StoredAlert a) {
    return pool.preparedQuery(RECORD).execute(Tuple.of(a.rule(), a.room(), a.state(), a.figure(), a.op(), a.value(),
        a.threshold(), a.second())).mapEmpty();
  }

  @Override
  public Future<List<StoredAlert>> history(String room, long from, long to) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(room, from, to)).map(rows -> {
      List<StoredAlert> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new StoredAlert(r.getLong("rule_id"), r.getString("room"), r.getString("state"), r.getString("figure"),
            r.getString("op"), r.getDouble("value"), r.getDouble("threshold"), r.getLong("second")));
      }
      return out;
    });
  }
}
