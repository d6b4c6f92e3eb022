package io.livepulse.ingest;

import io.livepulse.event.Event;
import java.util.ArrayList;
import java.util.List;

/** The valid events of one frame, each with its index, and the errors of the others. */
public final class ParsedFrame {
  final List<Event> events = new ArrayList<>();
  /** indices[i]: the index in the frame of events.get(i). */
  int[] indices = new int[16];
  final List<EventError> errors = new ArrayList<>();
  int total;

  void accept(int index, Event event) {
    if (events.size() == indices.length) {
      indices = java.util.Arrays.copyOf(indices, indices.length * 2);
    }
    indices[events.size()] = index;
    events.add(event);
    total++;
  }

  void reject(int index, String error) {
    errors.add(new EventError(index, error));
    total++;
  }

  /** Every event of the frame is rejected with one error explaining why (limits, unreadable frame). */
  static ParsedFrame rejectAll(int count, String error) {
    ParsedFrame frame = new ParsedFrame();
    frame.errors.add(new EventError(0, error));
    frame.total = Math.max(1, count);
    return frame;
  }

  public List<Event> events() {
    return events;
  }

  public int index(int i) {
    return indices[i];
  }

  public List<EventError> errors() {
    return errors;
  }

  /** Number of events in the frame, valid or not. */
  public int total() {
    return total;
  }

  public int rejected() {
    return total - events.size();
  }
}
