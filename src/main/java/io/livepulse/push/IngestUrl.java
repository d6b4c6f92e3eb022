package io.livepulse.push;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;

/**
 * What a user may paste as {@code --url}: the server's base URL or its full {@code /ingest} URL, with
 * {@code ws://}, {@code wss://}, {@code http://} or {@code https://}. Pure: no I/O.
 */
public record IngestUrl(boolean tls, String host, int port, String path) {
  public static final String INGEST = "/ingest";

  /** @throws IllegalArgumentException naming the rule, for a URL that cannot be a LivePulse server */
  public static IngestUrl of(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean tls = switch (scheme) {
      case "ws", "http" -> false;
      case "wss", "https" -> true;
      default -> throw new IllegalArgumentException("--url must start with ws://, wss://, http:// or https://, got " + url);
    };
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("--url must name a host, such as ws://localhost:8080, got " + url);
    }
    String raw = url.getRawPath() == null ? "" : url.getRawPath();
    while (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    String path = raw.endsWith(INGEST) ? raw : raw + INGEST;
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    return new IngestUrl(tls, url.getHost(), port, path);
  }

  public WebSocketConnectOptions options() {
    return new WebSocketConnectOptions().setHost(host).setPort(port).setSsl(tls).setURI(path);
  }

  /** The URL really tried, to quote in messages. */
  @Override
  public String toString() {
    return (tls ? "wss://" : "ws://") + host + ":" + port + path;
  }

  /** A failed upgrade, said so that the user knows what was tried and what to change. */
  public String explain(Throwable err) {
    if (err instanceof UpgradeRejectedException rejected) {
      int status = rejected.getStatus();
      String hint = switch (status) {
        case 401 -> "the server needs an ingest token: pass --token or set LIVEPULSE_TOKEN";
        case 403 -> "the token may not ingest (role read, or the Origin is not allowed)";
        case 404 -> "no LivePulse /ingest endpoint there: check the host, port and path";
        case 429, 503 -> "the server refused more connections; retry later";
        default -> "expected 101 Switching Protocols from a LivePulse server";
      };
      return "WebSocket upgrade to " + this + " failed with status " + status + ": " + hint;
    }
    String cause = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return "cannot connect to " + this + ": " + cause;
  }
}
