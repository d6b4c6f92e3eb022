package io.livepulse.api;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks every request makes before it reaches a handler, so that a web page the operator happens to
 * visit cannot use the operator's browser against the server. Pure: no Vert.x.
 *
 * <ul>
 *   <li>Host: without access tokens the server answers only to the names it is reached by on the
 *       machine (loopback names, and the hosts of {@code --allowed-origins}), which defeats DNS
 *       rebinding: a rebound name still sends its own Host.
 *   <li>Origin: a browser's Origin must be the server's own or one of {@code --allowed-origins}, on
 *       every WebSocket upgrade and every state-changing request.
 *   <li>Content-Type: a POST must say JSON or NDJSON; the types a cross-site form or a CORS "simple
 *       request" may use (text/plain, form types) are refused.
 * </ul>
 */
final class RequestGuard {
  static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
  static final List<String> BODY_TYPES = List.of("application/json", "application/x-ndjson", "application/ndjson",
      "application/jsonl");
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final boolean checkHost;
  private final Set<String> allowedOrigins;
  private final Set<String> allowedHosts = new HashSet<>(LOOPBACK_NAMES);
  private final boolean anyOrigin;

  /**
   * @param checkHost whether Host must be a known name: true when no tokens guard the server
   */
  RequestGuard(boolean checkHost, List<String> allowedOrigins) {
    this.checkHost = checkHost;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.anyOrigin = allowedOrigins.contains("*");
    for (String origin : allowedOrigins) {
      String host = hostOf(origin);
      if (host != null) {
        allowedHosts.add(host);
      }
    }
  }

  static boolean standardMethod(String method) {
    return STANDARD_METHODS.contains(method);
  }

  /** Null when the request's host (without port) names this server, else the reason to refuse. */
  String hostError(String hostHeader) {
    if (!checkHost) {
      return null;
    }
    if (hostHeader == null || hostHeader.isEmpty()) {
      return "a Host header is required";
    }
    String name = stripPort(hostHeader).toLowerCase(Locale.ROOT);
    return allowedHosts.contains(name) ? null
        : "Host " + hostHeader + " is not a name this server answers to (loopback names, or the hosts of --allowed-origins)";
  }

  /** Scripts send no Origin; a browser's Origin must be ours (same host:port as the request) or allowed. */
  boolean originAllowed(String origin, String authority) {
    if (origin == null || anyOrigin || allowedOrigins.contains(origin)) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      return authority != null && uri.getHost() != null && host.equalsIgnoreCase(authority);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Null when a POST body's Content-Type is JSON or NDJSON, else the reason to refuse (415). */
  static String contentTypeError(String contentType) {
    if (contentType != null) {
      String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (BODY_TYPES.contains(type)) {
        return null;
      }
    }
    return "Content-Type must be one of " + String.join(", ", BODY_TYPES) + ", got "
        + (contentType == null ? "none" : contentType);
  }

  private static String hostOf(String origin) {
    try {
      String host = URI.create(origin).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String stripPort(String hostHeader) {
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end > 0 ? hostHeader.substring(0, end + 1) : hostHeader;
    }
    int colon = hostHeader.lastIndexOf(':');
    return colon > 0 ? hostHeader.substring(0, colon) : hostHeader;
  }
}
