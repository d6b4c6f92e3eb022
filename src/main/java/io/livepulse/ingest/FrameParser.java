package io.livepulse.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.livepulse.event.Event;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Turns one ingest frame (a JSON object, a JSON array of objects, or NDJSON) into validated events.
 * Pure: no I/O, no Vert.x; one instance per thread (it reuses its decoder).
 */
public final class FrameParser {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(64)
          .maxStringLength(1 << 20)
          .build())
      .build();

  private final int maxFrameBytes;
  private final int maxEvents;
  private final EventDecoder decoder;

  public FrameParser(int maxFrameBytes, int maxEvents, LongSupplier clock) {
    this.maxFrameBytes = maxFrameBytes;
    this.maxEvents = maxEvents;
    this.decoder = new EventDecoder(clock);
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public static String frameTooLarge(long bytes, int limit) {
    return "frame: " + bytes + " bytes exceeds the limit of " + limit + " bytes per frame";
  }

  public ParsedFrame parse(byte[] data) {
    return parse(data, 0, data.length);
  }

  public ParsedFrame parse(byte[] data, int offset, int length) {
    if (length > maxFrameBytes) {
      return ParsedFrame.rejectAll(1, frameTooLarge(length, maxFrameBytes));
    }
    int end = offset + length;
    int start = skipWhitespace(data, skipByteOrderMark(data, offset, end), end);
    if (start == end) {
      return ParsedFrame.rejectAll(1, "frame: empty, expected a JSON object, array or NDJSON");
    }
    int invalid = Utf8.firstInvalid(data, start, end);
    if (invalid >= 0) {
      // NDJSON lines stand alone, so only the lines with bad bytes are lost; any other frame is not JSON.
      if (data[start] != '[' && containsNewline(data, start, end)) {
        return parseLines(data, start, end, true);
      }
      return ParsedFrame.rejectAll(1, notUtf8(invalid - offset) + "; no event of it was accepted");
    }
    if (data[start] == '[') {
      return parseArray(data, start, end - start);
    }
    ParsedFrame single = parseSingle(data, start, end - start);
    return single != null ? single : parseLines(data, start, end, false);
  }

  private static String notUtf8(int at) {
    return "frame: not valid UTF-8 at byte " + at;
  }

  /** A UTF-8 byte-order mark is not JSON, but editors and Windows tools write one: skip it. */
  private static int skipByteOrderMark(byte[] data, int from, int end) {
    if (end - from >= 3 && (data[from] & 0xFF) == 0xEF && (data[from + 1] & 0xFF) == 0xBB
        && (data[from + 2] & 0xFF) == 0xBF) {
      return from + 3;
    }
    return from;
  }

  private ParsedFrame parseArray(byte[] data, int offset, int length) {
    ParsedFrame frame = new ParsedFrame();
    int index = 0;
    try (JsonParser p = JSON.createParser(data, offset, length)) {
      p.nextToken();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new IllegalStateException("unexpected end of input inside the array");
        }
        if (index >= maxEvents) {
          int count = index + 1 + countRemaining(p);
          return ParsedFrame.rejectAll(count, tooManyEvents(count));
        }
        readOne(p, t, index++, frame);
      }
      if (p.nextToken() != null) {
        return ParsedFrame.rejectAll(index, "frame: unexpected content after the JSON array");
      }
      if (index == 0) {
        return ParsedFrame.rejectAll(1, "frame: empty array, expected at least one event");
      }
      return frame;
    } catch (IOException | RuntimeException e) {
      return ParsedFrame.rejectAll(index, "frame: not valid JSON (" + describe(e) + "); no event of it was accepted");
    }
  }

  private int countRemaining(JsonParser p) throws IOException {
    int more = 0;
    p.skipChildren();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      p.skipChildren();
      more++;
    }
    return more;
  }

  private String tooManyEvents(int count) {
    return "frame: " + count + " events exceed the limit of " + maxEvents + " events per frame";
  }

  /** A frame holding exactly one JSON value; null when it holds more than one (NDJSON) or is malformed. */
  private ParsedFrame parseSingle(byte[] data, int offset, int length) {
    try (JsonParser p = JSON.createParser(data, offset, length)) {
      JsonToken t = p.nextToken();
      ParsedFrame frame = new ParsedFrame();
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        if (p.nextToken() != null) {
          return null;
        }
        frame.reject(0, "event: must be a JSON object");
        return frame;
      }
      Event d = decoder.decode(p);
      if (p.nextToken() != null) {
        return null;
      }
      record(frame, 0, d);
      return frame;
    } catch (IOException | RuntimeException e) {
      if (containsNewline(data, offset, offset + length)) {
        return null;
      }
      return ParsedFrame.rejectAll(1, "frame: not valid JSON (" + describe(e) + ")");
    }
  }

  private ParsedFrame parseLines(byte[] data, int start, int end, boolean checkUtf8) {
    ParsedFrame frame = new ParsedFrame();
    int index = 0;
    int lineStart = start;
    while (lineStart < end) {
      int lineEnd = lineStart;
      while (lineEnd < end && data[lineEnd] != '\n') {
        lineEnd++;
      }
      int from = skipWhitespace(data, lineStart, lineEnd);
      if (from < lineEnd) {
        if (index >= maxEvents) {
          int count = index + countLines(data, lineStart, end);
          return ParsedFrame.rejectAll(count, tooManyEvents(count));
        }
        parseLine(data, from, lineEnd - from, index++, frame, checkUtf8);
      }
      lineStart = lineEnd + 1;
    }
    return frame;
  }

  private void parseLine(byte[] data, int offset, int length, int index, ParsedFrame frame, boolean checkUtf8) {
    int invalid = checkUtf8 ? Utf8.firstInvalid(data, offset, offset + length) : -1;
    if (invalid >= 0) {
      frame.reject(index, "event: not valid UTF-8 at byte " + (invalid - offset) + " of its line");
      return;
    }
    try (JsonParser p = JSON.createParser(data, offset, length)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        frame.reject(index, "event: must be a JSON object");
        return;
      }
      Event d = decoder.decode(p);
      if (p.nextToken() != null) {
        frame.reject(index, "event: one JSON object per NDJSON line");
        return;
      }
      record(frame, index, d);
    } catch (IOException | RuntimeException e) {
      frame.reject(index, "event: not valid JSON (" + describe(e) + ")");
    }
  }

  private void readOne(JsonParser p, JsonToken t, int index, ParsedFrame frame) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      frame.reject(index, "event: must be a JSON object");
      return;
    }
    record(frame, index, decoder.decode(p));
  }

  private void record(ParsedFrame frame, int index, Event e) {
    if (e != null) {
      frame.accept(index, e);
    } else {
      frame.reject(index, decoder.error());
    }
  }

  private static int countLines(byte[] data, int from, int end) {
    int count = 0;
    int lineStart = from;
    while (lineStart < end) {
      int lineEnd = lineStart;
      while (lineEnd < end && data[lineEnd] != '\n') {
        lineEnd++;
      }
      if (skipWhitespace(data, lineStart, lineEnd) < lineEnd) {
        count++;
      }
      lineStart = lineEnd + 1;
    }
    return count;
  }

  private static boolean containsNewline(byte[] data, int from, int end) {
    for (int i = from; i < end; i++) {
      if (data[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  private static int skipWhitespace(byte[] data, int from, int end) {
    int i = from;
    while (i < end && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static String describe(Exception e) {
    if (e instanceof JsonProcessingException jpe) {
      JsonLocation loc = jpe.getLocation();
      String msg = jpe.getOriginalMessage();
      int cut = msg.indexOf('\n');
      msg = cut > 0 ? msg.substring(0, cut) : msg;
      return loc != null ? msg + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : msg;
    }
    return e.getMessage();
  }
}
