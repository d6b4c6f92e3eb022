package io.livepulse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What a hostile client or a hostile web page can send over plain HTTP, on a default server (no
 * tokens, loopback): each request here is written byte by byte on a raw socket, as an attacker would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HostileHttpTest {
  static final String CLICK = "{\"type\":\"click\",\"room\":\"hostile\",\"user\":\"u\",\"sku\":\"s\"}";
  TestServer server;
  Clients clients;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start();
    clients = new Clients(server.port());
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  record Raw(int status, String head, String body) {
  }

  /** One request on a fresh socket; {@code headers} are written as given (CRLF-separated). */
  Raw raw(String requestLine, String headers, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String req = requestLine + "\r\n" + headers + (body != null ? "Content-Length: " + b.length + "\r\n" : "")
          + "Connection: close\r\n\r\n";
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      Matcher len = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      String rest = len.find() ? new String(in.readNBytes(Integer.parseInt(len.group(1))), StandardCharsets.UTF_8) : "";
      return new Raw(Integer.parseInt(head.toString().split(" ")[1]), head.toString().strip(), rest);
    }
  }

  String host() {
    return "Host: 127.0.0.1:" + server.port() + "\r\n";
  }

  @Test
  void inventedMethodsNeverBecomeMetricLabels() throws Exception {
    for (int i = 0; i < 300; i++) {
      assertThat(raw("M" + i + "X / HTTP/1.1", host(), null).status()).isEqualTo(501);
    }
    String metrics = clients.get("/metrics").body();
    Set<String> methods = new TreeSet<>();
    Matcher m = Pattern.compile("method=\"([^\"]*)\"").matcher(metrics);
    while (m.find()) {
      methods.add(m.group(1));
    }
    assertThat(methods).contains("other").allMatch(x -> Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
        "OPTIONS", "TRACE", "PATCH", "other").contains(x));
    assertThat(metrics).doesNotContain("M17X");
  }

  @Test
  void crossSiteBodiesAreRefused() throws Exception {
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
      Raw r = raw("POST /api/events HTTP/1.1", host() + "Content-Type: " + type + "\r\n", CLICK);
      assertThat(r.status()).as(type).isEqualTo(415);
      assertThat(r.body()).contains("Content-Type must be one of application/json");
    }
    assertThat(raw("POST /api/events HTTP/1.1", host(), CLICK).status()).as("no type").isEqualTo(415);
    Raw foreign = raw("POST /api/events HTTP/1.1", host() + "Content-Type: application/json\r\n"
        + "Origin: http://evil.example\r\n", CLICK);
    assertThat(foreign.status()).isEqualTo(403);
    Raw ok = raw("POST /api/events HTTP/1.1", host() + "Content-Type: application/json; charset=utf-8\r\n", CLICK);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).contains("\"accepted\":1");
    Raw ndjson = raw("POST /api/events HTTP/1.1", host() + "Content-Type: application/x-ndjson\r\n", CLICK + "\n" + CLICK);
    assertThat(ndjson.body()).contains("\"accepted\":2");
  }

  /** DNS rebinding: the page's origin and Host are the attacker's name, resolved to 127.0.0.1. */
  @Test
  void aRebindingNameIsNotAnswered() throws Exception {
    String rebound = "Host: evil.example:" + server.port() + "\r\n";
    assertThat(raw("GET /api/rooms HTTP/1.1", rebound, null).status()).isEqualTo(421);
    assertThat(raw("POST /api/events HTTP/1.1", rebound + "Origin: http://evil.example:" + server.port()
        + "\r\nContent-Type: application/json\r\n", CLICK).status()).isEqualTo(421);
    String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    assertThat(raw("GET /ingest HTTP/1.1", rebound + "Origin: http://evil.example:" + server.port() + "\r\n" + upgrade,
        null).status()).isEqualTo(421);
    assertThat(raw("GET /api/rooms HTTP/1.1", "Host: localhost:" + server.port() + "\r\n", null).status()).isEqualTo(200);
  }

  @Test
  void liveRefusesWhatIsNotARoomIdBeforeTheUpgrade() throws Exception {
    String upgrade = host() + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    String markup = "%3Cscript%3E" + "x".repeat(3000);
    assertThat(raw("GET /live?room=" + markup + " HTTP/1.1", upgrade, null).status()).isEqualTo(400);
    assertThat(raw("GET /live?room=ok-room HTTP/1.1", upgrade, null).status()).isEqualTo(101);
  }

  @Test
  void historyRangesCannotOverflowTheRowCap() throws Exception {
    Clients.Response r = clients.get("/api/rooms/hostile/seconds?from=" + Long.MIN_VALUE + "&to=" + Long.MAX_VALUE);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("at most 86400 seconds");
    assertThat(clients.get("/api/rooms/hostile/seconds?from=-9223372036854775808&to=-9223372036854689408").status())
        .isEqualTo(400);
  }

  @Test
  void pagesSendNoReferrerAndCannotBeFramed() throws Exception {
    Raw page = raw("GET /room.html?room=r1&token=abc HTTP/1.1", host(), null);
    assertThat(page.status()).isEqualTo(200);
    String head = page.head().toLowerCase();
    assertThat(head).contains("referrer-policy: no-referrer").contains("x-frame-options: deny")
        .contains("content-security-policy: default-src 'self'").contains("frame-ancestors 'none'")
        .contains("x-content-type-options: nosniff");
  }
}
