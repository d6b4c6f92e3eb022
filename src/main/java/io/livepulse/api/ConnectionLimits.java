package io.livepulse.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open WebSockets in total and per remote address, shared by every HTTP verticle instance. */
public final class ConnectionLimits {
  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  public ConnectionLimits(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot; returns the HTTP status to refuse with (503 server full, 429 address full), or 0. */
  public int acquire(String address) {
    if (total.incrementAndGet() > max) {
      total.decrementAndGet();
      return 503;
    }
    AtomicInteger n = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (n.incrementAndGet() > maxPerAddress) {
      n.decrementAndGet();
      total.decrementAndGet();
      return 429;
    }
    return 0;
  }

  public void release(String address) {
    total.decrementAndGet();
    byAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }
}
