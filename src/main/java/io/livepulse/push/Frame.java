package io.livepulse.push;

/**
 * A frame ready to send: NDJSON text of {@code records.length} events from {@code source}, whose
 * i-th event is record {@code records[i]} of it (a line, or a CSV row), due no earlier than
 * {@code dueMillis} (0: at once).
 */
public record Frame(String text, String source, long[] records, long dueMillis) {
  public int events() {
    return records.length;
  }
}
