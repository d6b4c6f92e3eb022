package io.livepulse.push;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Reads events from NDJSON, JSON-array or CSV files (CSV: a header row of event field names) as a
 * stream of JSON lines, one event per line. Lines that are not valid JSON are passed on untouched,
 * so the server reports them in its acks like any other bad event.
 */
public final class EventFiles {
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventFiles() {
  }

  /** One event as text, with where it came from. */
  public record Record(String json, long number) {
  }

  public static Iterator<Record> open(String name, InputStream in) throws IOException {
    Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    if (name.toLowerCase().endsWith(".csv")) {
      return csv(reader);
    }
    PushbackReader peek = new PushbackReader(reader, 1);
    int c;
    do {
      c = peek.read();
    } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\uFEFF');
    if (c >= 0) {
      peek.unread(c);
    }
    return c == '[' ? array(peek) : lines(new BufferedReader(peek));
  }

  public static Iterator<Record> open(Path file) throws IOException {
    return open(file.getFileName().toString(), Files.newInputStream(file));
  }

  private static Iterator<Record> lines(BufferedReader reader) {
    return new Iterator<>() {
      long number;
      String next = advance();

      private String advance() {
        try {
          String line;
          do {
            line = reader.readLine();
            number++;
          } while (line != null && line.isBlank());
          return line;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Record next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Record r = new Record(next.strip(), number);
        next = advance();
        return r;
      }
    };
  }

  private static Iterator<Record> array(Reader reader) throws IOException {
    MappingIterator<Object> it = JSON.readerFor(Object.class).readValues(reader);
    return new Iterator<>() {
      long number;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Record next() {
        try {
          return new Record(JSON.writeValueAsString(it.next()), ++number);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static Iterator<Record> csv(Reader reader) throws IOException {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES);
    MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader())
        .readValues(reader);
    return new Iterator<>() {
      long number = 1;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Record next() {
        Map<String, String> row = it.next();
        number++;
        JsonObject event = new JsonObject();
        row.forEach((k, v) -> {
          if (v != null && !v.isEmpty()) {
            event.put(k, (k.equals("ts") || k.equals("qty")) && INTEGER.matcher(v).matches() ? (Object) Long.parseLong(v) : v);
          }
        });
        return new Record(event.encode(), number);
      }
    };
  }

  /** The event's {@code ts}, or null when the record is not a JSON object with an integer ts. */
  static Long ts(String json) {
    try {
      Object ts = new JsonObject(json).getValue("ts");
      return ts instanceof Number n ? n.longValue() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The record with its ts replaced; records that are not JSON objects come back unchanged. */
  static String withTs(String json, long ts) {
    try {
      return new JsonObject(json).put("ts", ts).encode();
    } catch (RuntimeException e) {
      return json;
    }
  }
}
