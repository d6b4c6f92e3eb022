package io.livepulse.demo;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic (seeded) live-commerce traffic: rooms of very different sizes on several platforms,
 * viewers arriving from different sources and leaving, clicks on product cards, orders at realistic
 * prices, occasional refunds, flash-sale spikes, and rooms that end and go live again.
 */
public final class DemoTraffic {
  private static final String[] PLATFORMS = {"taobao", "douyin", "kuaishou"};
  private static final String[] ANCHORS = {"Li Jiaqi", "Viya", "Luo Yonghao", "Dong Yuhui", "Simba", "Crazy Xiao Yang",
      "Xiao Yang Ge", "Lie'er Baby", "Cherie", "Zhu Xun", "Wei Ya", "Xue Li"};
  private static final String[] SOURCES = {"recommend", "recommend", "recommend", "follow", "follow", "search",
      "ads", "share"};
  private static final String[][] CATALOG = {
      {"Smart door lock", "1299.00"}, {"Face serum 30ml", "329.00"}, {"Instant hot pot x6", "59.90"},
      {"Down jacket", "899.00"}, {"Wireless earbuds", "199.00"}, {"Rice cooker 4L", "269.00"},
      {"Lipstick set", "149.00"}, {"Running shoes", "459.00"}, {"Tea gift box", "88.00"},
      {"Robot vacuum", "1999.00"}, {"Yoga mat", "39.90"}, {"Baby formula 800g", "238.00"}};

  private final Random random;
  private final List<Room> rooms = new ArrayList<>();
  private final double totalWeight;
  private long userCounter;
  private long orderCounter;

  private static final class Room {
    final String id;
    final String anchor;
    final String platform;
    final double weight;
    /** Who is inside: a list for picking at random, a set for membership; both O(1) per event. */
    final List<String> online = new ArrayList<>();
    final java.util.Set<String> inside = new java.util.HashSet<>();
    final List<String[]> orders = new ArrayList<>();
    final int[] skus;
    boolean ended;
    boolean announced;
    long flashUntil;
    long nextFlash;
    int flashSku;

    Room(String id, String anchor, String platform, double weight, int[] skus) {
      this.id = id;
      this.anchor = anchor;
      this.platform = platform;
      this.weight = weight;
      this.skus = skus;
    }
  }

  private final String orderPrefix;

  /**
   * @param orderPrefix starts every order id, so that separate feeds (the built-in demo, each
   *     {@code simulate} seed) never collide; the same seed and prefix give the same events
   */
  public DemoTraffic(long seed, int roomCount, String orderPrefix) {
    this.random = new Random(seed);
    this.orderPrefix = orderPrefix;
    double sum = 0;
    for (int i = 0; i < roomCount; i++) {
      String platform = PLATFORMS[i % PLATFORMS.length];
      // Zipf-like sizes: the first room is ~100x the last.
      double weight = 1.0 / Math.pow(i + 1, 1.6);
      int[] skus = new int[4 + random.nextInt(4)];
      for (int k = 0; k < skus.length; k++) {
        skus[k] = random.nextInt(CATALOG.length);
      }
      rooms.add(new Room(platform + "-" + (i + 1), ANCHORS[i % ANCHORS.length], platform, weight, skus));
      sum += weight;
    }
    totalWeight = sum;
  }

  /** The next {@code n} events at time {@code now}, as JSON objects. */
  public List<JsonObject> next(int n, long now) {
    List<JsonObject> out = new ArrayList<>(n);
    for (Room r : rooms) {
      if (!r.announced) {
        r.announced = true;
        out.add(roomEvent(r, "live", now));
      }
    }
    while (out.size() < n) {
      Room r = pick();
      if (r.ended) {
        if (random.nextDouble() < 0.02) {
          r.ended = false;
          out.add(roomEvent(r, "live", now));
        }
        continue;
      }
      out.add(event(r, now));
    }
    return out;
  }

  private Room pick() {
    double x = random.nextDouble() * totalWeight;
    for (Room r : rooms) {
      x -= r.weight;
      if (x <= 0) {
        return r;
      }
    }
    return rooms.get(rooms.size() - 1);
  }

  private JsonObject event(Room r, long now) {
    if (r.nextFlash == 0) {
      r.nextFlash = now + 30_000 + random.nextInt(120_000);
    }
    if (now >= r.nextFlash) {
      // A flash sale: one product at 30 % off, ten times the order rate, for 20 seconds.
      r.flashUntil = now + 20_000;
      r.flashSku = r.skus[random.nextInt(r.skus.length)];
      r.nextFlash = now + 120_000 + random.nextInt(180_000);
    }
    boolean flash = r.flashUntil >= now;
    double x = random.nextDouble();
    double orderShare = flash ? 0.08 : 0.008;
    if (r.online.size() > 20 && random.nextDouble() < 0.00002 && r.weight < 0.2) {
      r.ended = true;
      r.online.clear();
      r.inside.clear();
      return roomEvent(r, "ended", now);
    }
    if (x < orderShare && !r.online.isEmpty()) {
      return order(r, now, flash);
    }
    if (x < orderShare + 0.002 && !r.orders.isEmpty()) {
      return refund(r, now);
    }
    if (x < orderShare + 0.08 && !r.online.isEmpty()) {
      int sku = r.skus[random.nextInt(r.skus.length)];
      return base("click", r, now).put("user", any(r.online)).put("sku", "sku-" + sku);
    }
    if (x < orderShare + 0.33 && r.online.size() > 5) {
      int i = random.nextInt(r.online.size());
      String user = r.online.get(i);
      r.online.set(i, r.online.get(r.online.size() - 1));
      r.online.remove(r.online.size() - 1);
      r.inside.remove(user);
      return base("viewer", r, now).put("user", user).put("action", "leave");
    }
    String user = random.nextDouble() < 0.2 && userCounter > 0
        ? "u" + (1 + (long) (random.nextDouble() * userCounter))
        : "u" + (++userCounter);
    if (r.online.size() < 50_000 && r.inside.add(user)) {
      r.online.add(user);
    }
    return base("viewer", r, now).put("user", user).put("action", "enter")
        .put("source", SOURCES[random.nextInt(SOURCES.length)]);
  }

  private JsonObject order(Room r, long now, boolean flash) {
    int sku = flash ? r.flashSku : r.skus[random.nextInt(r.skus.length)];
    String[] product = CATALOG[sku];
    int qty = 1 + (random.nextDouble() < 0.2 ? random.nextInt(3) : 0);
    long unitCents = new java.math.BigDecimal(product[1]).movePointRight(2).longValueExact();
    if (flash) {
      unitCents = unitCents * 7 / 10;
    }
    String amount = java.math.BigDecimal.valueOf(unitCents * qty, 2).toPlainString();
    String id = orderPrefix + (++orderCounter);
    if (r.orders.size() < 1000) {
      r.orders.add(new String[] {id, amount});
    }
    return base("order", r, now).put("order", id).put("user", any(r.online)).put("sku", "sku-" + sku)
        .put("title", product[0]).put("qty", qty).put("amount", amount)
        .put("source", SOURCES[random.nextInt(SOURCES.length)]);
  }

  private JsonObject refund(Room r, long now) {
    String[] o = r.orders.remove(random.nextInt(r.orders.size()));
    return base("refund", r, now).put("order", o[0]).put("amount", o[1]);
  }

  private JsonObject roomEvent(Room r, String status, long now) {
    return base("room", r, now).put("anchor", r.anchor).put("title", r.anchor + "'s live room")
        .put("platform", r.platform).put("status", status);
  }

  private JsonObject base(String type, Room r, long now) {
    return new JsonObject().put("type", type).put("room", r.id).put("ts", now);
  }

  private String any(List<String> users) {
    return users.get(random.nextInt(users.size()));
  }
}
