package io.livepulse.push;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups the records of several files into frames of up to {@code batch} events, paced by
 * {@code rate} (events per second) and/or replayed at {@code speed} times the recorded {@code ts}
 * pace. When replaying, each event's ts is moved to its replay time, so old recordings stay inside
 * the server's 24-hour window and live dashboards show them as they happen.
 */
final class Framer implements Iterator<Frame> {
  /** Replay frames span at most this much replay time, so pacing stays smooth. */
  static final long REPLAY_SLICE_MS = 100;

  private final Iterator<Source> sources;
  private final int batch;
  private final double rate;
  private final double speed;
  private final long start = System.currentTimeMillis();
  private Source current;
  private EventFiles.Record pending;
  private long eventsFramed;
  private Long firstTs;

  record Source(String name, Iterator<EventFiles.Record> records) {
  }

  Framer(Iterator<Source> sources, int batch, double rate, double speed) {
    this.sources = sources;
    this.batch = batch;
    this.rate = rate;
    this.speed = speed;
  }

  private boolean fill() {
    while (pending == null) {
      if (current != null && current.records().hasNext()) {
        pending = current.records().next();
      } else if (sources.hasNext()) {
        current = sources.next();
      } else {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean hasNext() {
    return fill();
  }

  @Override
  public Frame next() {
    if (!fill()) {
      throw new NoSuchElementException();
    }
    Source source = current;
    StringBuilder text = new StringBuilder();
    List<Long> records = new ArrayList<>();
    long due = rate > 0 ? start + (long) (eventsFramed * 1000 / rate) : 0;
    Long sliceStart = null;
    while (records.size() < batch && pending != null && current == source) {
      String json = pending.json();
      if (speed > 0) {
        Long ts = EventFiles.ts(json);
        if (ts != null) {
          if (firstTs == null) {
            firstTs = ts;
          }
          long replayAt = start + (long) ((ts - firstTs) / speed);
          if (sliceStart == null) {
            sliceStart = replayAt;
            due = Math.max(due, replayAt);
          } else if (replayAt - sliceStart > REPLAY_SLICE_MS) {
            break;
          }
          json = EventFiles.withTs(json, replayAt);
        }
      }
      if (!records.isEmpty()) {
        text.append('\n');
      }
      text.append(json);
      records.add(pending.number());
      pending = null;
      if (!source.records().hasNext()) {
        break;
      }
      pending = source.records().next();
    }
    eventsFramed += records.size();
    return new Frame(text.toString(), source.name(), records.stream().mapToLong(Long::longValue).toArray(), due);
  }
}
