package io.livepulse.alerts;

import io.vertx.core.Future;
import java.util.List;

/** Where rules and alert history live (PostgreSQL, implemented by the store). */
public interface AlertRepository {
  /** One alert as stored: what fired or resolved, for which room, at which second. */
  record StoredAlert(long rule, String room, String state, String figure, String op, double value, double threshold,
                     long second) {
  }

  Future<List<AlertRule>> rules();

  Future<AlertRule> add(AlertRule rule);

  /** Whether a rule with that id existed. */
  Future<Boolean> delete(long id);

  Future<Void> record(StoredAlert alert);

  Future<List<StoredAlert>> history(String room, long from, long to);
}
