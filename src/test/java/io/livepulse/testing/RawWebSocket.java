package io.livepulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client written on a plain socket, for what well-behaved clients never do: frames with
 * RSV1 set (compressed) without negotiation, giant frames, or never reading at all.
 */
public final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  public final String responseHead;

  private RawWebSocket(Socket socket, String responseHead) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.responseHead = responseHead;
  }

  /** Connects and performs the upgrade; {@code receiveBuffer} 0 keeps the system default. */
  public static RawWebSocket open(int port, String path, String extraHeaders, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(20_000);
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return new RawWebSocket(s, head.toString(StandardCharsets.US_ASCII));
  }

  /** Sends one final masked frame as a client must. */
  public void send(int opcode, boolean rsv1, byte[] payload) throws IOException {
    send(true, opcode, rsv1, payload);
  }

  public void send(boolean fin, int opcode, boolean rsv1, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >>> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    new Random().nextBytes(mask);
    f.write(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    f.write(masked);
    out.write(f.toByteArray());
    out.flush();
  }

  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** For a close frame: the status code. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  /** Reads the next frame, or null at end of stream. */
  public Frame read() throws IOException {
    DataInputStream d = new DataInputStream(in);
    int b0 = d.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = d.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = d.readUnsignedShort();
    } else if (len == 127) {
      len = d.readLong();
    }
    byte[] payload = new byte[(int) len];
    d.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** The next data or close frame; pings and pongs are skipped (and not answered). */
  public Frame readMessage() throws IOException {
    Frame f;
    do {
      f = read();
    } while (f != null && (f.opcode() == 9 || f.opcode() == 10));
    return f;
  }

  /** True once the server has closed the connection (end of stream or reset), reading whatever comes first. */
  public Frame readUntilClose() throws IOException {
    try {
      Frame f;
      while ((f = read()) != null) {
        if (f.opcode() == 8) {
          return f;
        }
      }
      return null;
    } catch (java.net.SocketException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
