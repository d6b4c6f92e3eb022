package io.livepulse.ingest;

/**
 * A token bucket of events per second with a one-second burst. Pure: the caller passes the clock.
 * One per /ingest connection, used on that connection's event loop only; or, made {@link #shared()},
 * one per remote address for POST, used from several event loops.
 */
public final class RateLimit {
  private final long perSecond;
  private double tokens;
  private long lastNanos;
  private boolean shared;
  private String unit = "connection";

  /** For use from several threads, as the budget of one remote address. */
  public RateLimit shared() {
    shared = true;
    unit = "address";
    return this;
  }

  public RateLimit(long perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code events} tokens if they are there; otherwise takes nothing and returns false. */
  public boolean tryTake(int events, long nowNanos) {
    if (shared) {
      synchronized (this) {
        return take(events, nowNanos);
      }
    }
    return take(events, nowNanos);
  }

  private boolean take(int events, long nowNanos) {
    tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
    lastNanos = nowNanos;
    if (events > tokens) {
      return false;
    }
    tokens -= events;
    return true;
  }

  public long perSecond() {
    return perSecond;
  }

  public String error(int events) {
    return events > perSecond
        ? "frame: " + events + " events exceed this " + unit + "'s rate limit of " + perSecond + " events/s"
        : "frame: rate limit of " + perSecond + " events/s per " + unit + " exceeded; nothing of this frame was "
            + "accepted, slow down and resend it";
  }
}
