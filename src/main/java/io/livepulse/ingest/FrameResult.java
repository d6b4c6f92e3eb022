package io.livepulse.ingest;

import io.livepulse.event.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What happened to one frame: the ack's counts and errors, and the events to hand on to the aggregators. */
public record FrameResult(int accepted, int duplicates, int rejected, List<EventError> errors,
                          List<Event> acceptedEvents) {

  /** The body of {@code POST /api/events}: the ack of contract §2 without {@code ack}. */
  public JsonObject toJson() {
    return body(new JsonObject());
  }

  /** The ack of frame number {@code ack} on its connection. */
  public String toAck(long ack) {
    if (errors.isEmpty()) {
      // Nothing to escape: written directly, as the JSON encoder would write it (one per frame).
      return "{\"ack\":" + ack + ",\"accepted\":" + accepted + ",\"duplicates\":" + duplicates
          + ",\"rejected\":" + rejected + ",\"errors\":[]}";
    }
    return body(new JsonObject().put("ack", ack)).encode();
  }

  private JsonObject body(JsonObject o) {
    JsonArray errs = new JsonArray();
    for (EventError e : errors) {
      errs.add(new JsonObject().put("index", e.index()).put("error", e.error()));
    }
    return o
        .put("accepted", accepted)
        .put("duplicates", duplicates)
        .put("rejected", rejected)
        .put("errors", errs);
  }

  public static FrameResult rejectAll(int count, String error) {
    return new FrameResult(0, 0, Math.max(1, count), List.of(new EventError(0, error)), List.of());
  }
}
