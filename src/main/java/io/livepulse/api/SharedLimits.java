package io.livepulse.api;

import io.livepulse.Config;

/**
 * What every HTTP verticle instance counts together, so that a limit holds for the whole server and
 * not once per event loop.
 *
 * @param webSockets open WebSockets, in total and per remote address (refused before the upgrade)
 * @param tcp every TCP connection, plain HTTP included: the WebSocket caps plus {@link #HEADROOM}, so
 *     that a client at its WebSocket cap still gets its 429 answer
 * @param posts events per second per address for POST /api/events
 */
public record SharedLimits(ConnectionLimits webSockets, ConnectionLimits tcp, AddressRateLimits posts) {
  static final int HEADROOM = 64;

  public static SharedLimits of(Config.Limits limits) {
    return new SharedLimits(
        new ConnectionLimits(limits.maxConnections(), limits.maxConnectionsPerAddress()),
        new ConnectionLimits(limits.maxConnections() + HEADROOM, limits.maxConnectionsPerAddress() + HEADROOM),
        new AddressRateLimits(limits.ingestEventsPerSecond()));
  }
}
