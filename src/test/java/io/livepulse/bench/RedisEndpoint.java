package io.livepulse.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 15's comparison: the endpoint a user would otherwise build, keeping the same figures in Redis
 * (not part of the product). Each frame is parsed with Jackson and becomes one pipelined batch:
 * HyperLogLog for distinct users and buyers, a set per room for who is online, a hash per room and
 * second for the per-second figures, a hash per room for totals and sales per product, and a Lua
 * script that books an order only if its id is new (SET NX), so re-sent orders are duplicates. Redis
 * runs without persistence: unlike LivePulse it keeps no durable orders.
 * {@code java … RedisEndpoint PORT REDIS_PORT}
 */
public final class RedisEndpoint extends VerticleBase {
  /** KEYS: order id, room totals, room second, room buyers, room users, room skus. ARGV: cents, qty, user, sku. */
  static final String ORDER = """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
        redis.call('HINCRBY', KEYS[2], 'gmv', ARGV[1])
        redis.call('HINCRBY', KEYS[2], 'orders', 1)
        redis.call('HINCRBY', KEYS[2], 'units', ARGV[2])
        redis.call('HINCRBY', KEYS[3], 'gmv', ARGV[1])
        redis.call('HINCRBY', KEYS[3], 'orders', 1)
        redis.call('PFADD', KEYS[4], ARGV[3])
        redis.call('PFADD', KEYS[5], ARGV[3])
        redis.call('HINCRBY', KEYS[6], ARGV[4], ARGV[1])
        redis.call('INCR', 'lp:orders')
        return 1
      end
      return 0
      """;
  /** KEYS: order id, room totals, room second. ARGV: cents. Refunds no more than the order's amount. */
  static final String REFUND = """
      local paid = tonumber(redis.call('GET', KEYS[1]) or '-1')
      if paid < 0 then return -1 end
      local refunded = redis.call('INCRBY', KEYS[1] .. ':refunded', ARGV[1])
      if refunded > paid then
        redis.call('DECRBY', KEYS[1] .. ':refunded', ARGV[1])
        return -1
      end
      redis.call('HINCRBY', KEYS[2], 'refunds', ARGV[1])
      redis.call('HINCRBY', KEYS[3], 'refunds', ARGV[1])
      return 1
      """;

  private final int port;
  private final int redisPort;
  private final String orderSha;
  private final String refundSha;
  private RedisConnection redis;

  RedisEndpoint(int port, int redisPort, String orderSha, String refundSha) {
    this.port = port;
    this.redisPort = redisPort;
    this.orderSha = orderSha;
    this.refundSha = refundSha;
  }

  @Override
  public Future<?> start() {
    // One connection per event loop: every frame of a WebSocket goes to its loop's connection, so the
    // batches (and the acks) stay in the order the frames came.
    // A frame is up to ~4 requests per event and many frames are in flight: the client's default of
    // 2,048 waiting replies per connection would refuse batches.
    return Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + redisPort)
            .setMaxWaitingHandlers(1 << 20)).connect()
        .compose(c -> {
          redis = c;
          return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1")
                  .setMaxWebSocketFrameSize(4 << 20).setMaxWebSocketMessageSize(4 << 20)
                  .setPerMessageWebSocketCompressionSupported(false))
              .webSocketHandler(this::onSocket)
              .listen();
        });
  }

  private void onSocket(ServerWebSocket ws) {
    long[] frames = {0};
    ws.textMessageHandler(text -> {
      long n = ++frames[0];
      Batch batch = batch(new JsonArray(text));
      redis.batch(batch.requests).onComplete(done -> {
        if (done.failed()) {
          System.out.println("redis batch failed: " + done.cause());
          ws.close((short) 1011, "redis: " + done.cause().getMessage());
          return;
        }
        int accepted = batch.accepted;
        int duplicates = 0;
        int rejected = batch.rejected;
        for (int i : batch.scripts) {
          long r = done.result().get(i).toLong();
          if (r == 1) {
            accepted++;
          } else if (r == 0) {
            duplicates++;
          } else {
            rejected++;
          }
        }
        ws.writeTextMessage("{\"ack\":" + n + ",\"accepted\":" + accepted + ",\"duplicates\":" + duplicates
            + ",\"rejected\":" + rejected + ",\"errors\":[]}");
      });
    });
  }

  /** A frame's requests; {@code scripts} are the indexes whose answer decides accepted or duplicate. */
  private static final class Batch {
    final List<Request> requests = new ArrayList<>();
    final List<Integer> scripts = new ArrayList<>();
    int accepted;
    int rejected;
  }

  private Batch batch(JsonArray events) {
    Batch b = new Batch();
    for (int i = 0; i < events.size(); i++) {
      try {
        add(b, events.getJsonObject(i));
      } catch (RuntimeException bad) {
        // A malformed event (wrong types, a bad amount) is rejected; the frame still gets its ack.
        b.rejected++;
      }
    }
    return b;
  }

  private void add(Batch b, JsonObject e) {
    String type = e.getString("type");
    String room = e.getString("room");
    Long ts = e.getLong("ts");
    if (type == null || room == null || ts == null) {
      b.rejected++;
      return;
    }
    String key = "lp:" + room;
    String second = key + ":s:" + ts / 1000;
    switch (type) {
      case "viewer" -> {
        String user = e.getString("user");
        if ("enter".equals(e.getString("action"))) {
          b.requests.add(Request.cmd(Command.SADD).arg(key + ":online").arg(user));
          b.requests.add(Request.cmd(Command.PFADD).arg(key + ":users").arg(user));
          b.requests.add(Request.cmd(Command.HINCRBY).arg(second).arg("enters").arg(1));
          b.requests.add(Request.cmd(Command.HINCRBY).arg(key + ":sources").arg(e.getString("source", "other")).arg(1));
        } else {
          b.requests.add(Request.cmd(Command.SREM).arg(key + ":online").arg(user));
          b.requests.add(Request.cmd(Command.HINCRBY).arg(second).arg("leaves").arg(1));
        }
        b.accepted++;
      }
      case "click" -> {
        b.requests.add(Request.cmd(Command.PFADD).arg(key + ":users").arg(e.getString("user")));
        b.requests.add(Request.cmd(Command.HINCRBY).arg(second).arg("clicks").arg(1));
        b.requests.add(Request.cmd(Command.HINCRBY).arg(key + ":clicks").arg(e.getString("sku")).arg(1));
        b.accepted++;
      }
      case "order" -> {
        long cents = new BigDecimal(e.getString("amount")).movePointRight(2).longValueExact();
        b.scripts.add(b.requests.size());
        b.requests.add(Request.cmd(Command.EVALSHA).arg(orderSha).arg(6).arg("lp:order:" + e.getString("order"))
            .arg(key + ":totals").arg(second).arg(key + ":buyers").arg(key + ":users").arg(key + ":skus")
            .arg(cents).arg(e.getInteger("qty", 1)).arg(e.getString("user")).arg(e.getString("sku")));
      }
      case "refund" -> {
        long cents = new BigDecimal(e.getString("amount")).movePointRight(2).longValueExact();
        b.scripts.add(b.requests.size());
        b.requests.add(Request.cmd(Command.EVALSHA).arg(refundSha).arg(3).arg("lp:order:" + e.getString("order"))
            .arg(key + ":totals").arg(second).arg(cents));
      }
      default -> b.rejected++;
    }
  }

  /** Runs on the process's main thread, not an event loop: its awaits block nothing that serves. */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int redisPort = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    Redis loader = Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort);
    String orderSha = loader.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(ORDER)).await().toString();
    String refundSha = loader.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(REFUND)).await().toString();
    loader.close().await();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new RedisEndpoint(port, redisPort, orderSha, refundSha),
        new DeploymentOptions().setInstances(instances)).await();
    System.out.println("redis endpoint listening on port " + port);
  }
}
