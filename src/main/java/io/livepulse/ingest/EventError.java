package io.livepulse.ingest;

/** Why the event at {@code index} of a frame was rejected; {@code error} names the field and the rule. */
public record EventError(int index, String error) {
}
