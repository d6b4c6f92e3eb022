package io.livepulse.reliability;

import io.livepulse.testing.Clients;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frames of orders (plus viewer events) with known ids and amounts, pushed pipelined, recording which
 * frames were acknowledged before something went wrong.
 */
final class LoadRecorder {
  static final int ORDERS_PER_FRAME = 20;

  final String room;
  final List<String> frames = new ArrayList<>();
  final List<Boolean> acked = new ArrayList<>();
  long totalCents;

  LoadRecorder(String room, int frameCount) {
    this.room = room;
    long ts = System.currentTimeMillis();
    for (int f = 0; f < frameCount; f++) {
      JsonArray frame = new JsonArray();
      for (int k = 0; k < ORDERS_PER_FRAME; k++) {
        int id = f * ORDERS_PER_FRAME + k;
        long cents = 100 + (id * 37L) % 100_000;
        totalCents += cents;
        frame.add(new JsonObject().put("type", "order").put("room", room).put("order", "o" + id).put("user", "u" + id)
            .put("sku", "s" + id % 9).put("amount", BigDecimal.valueOf(cents, 2).toPlainString()).put("ts", ts));
        frame.add(new JsonObject().put("type", "viewer").put("room", room).put("user", "v" + id).put("action", "enter")
            .put("ts", ts));
      }
      frames.add(frame.encode());
      acked.add(false);
    }
  }

  /**
   * Pushes frames from {@code from} with up to {@code window} in flight until all are sent or the
   * connection breaks; returns how many frames were sent.
   */
  int push(Clients.Producer producer, int from, int window) {
    List<Future<JsonObject>> inFlight = new ArrayList<>();
    int next = from;
    try {
      while (next < frames.size()) {
        while (inFlight.size() < window && next < frames.size()) {
          int index = next++;
          inFlight.add(producer.sendAsync(frames.get(index)).onSuccess(ack -> {
            if (ack.getInteger("rejected") == 0) {
              synchronized (acked) {
                acked.set(index, true);
              }
            }
          }));
        }
        inFlight.remove(0).timeout(30, TimeUnit.SECONDS).await();
      }
      for (Future<JsonObject> f : inFlight) {
        f.timeout(30, TimeUnit.SECONDS).await();
      }
    } catch (RuntimeException connectionLost) {
      // expected when the server dies under us
    }
    return next;
  }

  synchronized int ackedCount() {
    int n = 0;
    synchronized (acked) {
      for (boolean a : acked) {
        n += a ? 1 : 0;
      }
    }
    return n;
  }

  boolean wasAcked(int frame) {
    synchronized (acked) {
      return acked.get(frame);
    }
  }

  int orders() {
    return frames.size() * ORDERS_PER_FRAME;
  }
}
