package io.livepulse.access;

import io.vertx.core.MultiMap;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Optional;

/** Finds the grant of a request: {@code Authorization: Bearer TOKEN}, or {@code ?token=TOKEN}. */
public final class Access {
  private final Tokens tokens;

  public Access(Tokens tokens) {
    this.tokens = tokens;
  }

  public boolean enforced() {
    return tokens.configured();
  }

  /** The grant, or empty for a missing or wrong token (answer 401). */
  public Optional<Grant> grant(MultiMap headers, String uri) {
    if (!tokens.configured()) {
      return Optional.of(Grant.ALL);
    }
    return tokens.check(presented(headers, uri));
  }

  static String presented(MultiMap headers, String uri) {
    String auth = headers.get("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    List<String> q = new QueryStringDecoder(uri).parameters().get("token");
    return q == null || q.isEmpty() ? null : q.get(0);
  }

  /** The URI with any token value replaced, for anything that logs or echoes URIs. */
  public static String mask(String uri) {
    return uri == null ? null : uri.replaceAll("([?&]token=)[^&]*", "$1***");
  }
}
