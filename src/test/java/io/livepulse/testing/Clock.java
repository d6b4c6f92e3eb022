package io.livepulse.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Figures that grow with the clock while a room is live (watch time, average online): a room
 * compared before and after a restart or an eviction is the same room a few seconds later, so these
 * differ by design. Everything else must match exactly.
 */
public final class Clock {
  public static final List<String> CLOCK_FIGURES = List.of("avgWatchSeconds", "avgWatchSeconds15m", "avgOnline");

  private Clock() {
  }

  /** A copy of a JSON answer without the clock-driven figures, in every {@code totals} it holds. */
  public static JsonObject withoutClockFigures(JsonObject o) {
    JsonObject copy = o.copy();
    strip(copy);
    return copy;
  }

  private static void strip(Object node) {
    if (node instanceof JsonObject obj) {
      JsonObject totals = obj.getJsonObject("totals");
      if (totals != null && totals.containsKey("gmv")) {
        CLOCK_FIGURES.forEach(totals::remove);
      }
      obj.forEach(e -> strip(e.getValue()));
    } else if (node instanceof JsonArray arr) {
      arr.forEach(Clock::strip);
    }
  }
}
