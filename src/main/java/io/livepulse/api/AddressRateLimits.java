package io.livepulse.api;

import io.livepulse.ingest.RateLimit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events per second per remote address for {@code POST /api/events}, shared by every HTTP verticle
 * instance: the same budget a WebSocket connection has, so that plain HTTP is no way around it.
 */
public final class AddressRateLimits {
  /** Beyond this many addresses the table starts over: bounded memory, at worst a fresh budget. */
  static final int MAX_ADDRESSES = 10_000;

  private final long perSecond;
  private final ConcurrentHashMap<String, RateLimit> byAddress = new ConcurrentHashMap<>();

  AddressRateLimits(long perSecond) {
    this.perSecond = perSecond;
  }

  RateLimit of(String address) {
    if (byAddress.size() > MAX_ADDRESSES) {
      byAddress.clear();
    }
    return byAddress.computeIfAbsent(address, a -> new RateLimit(perSecond, System.nanoTime()).shared());
  }
}
