package io.livepulse.store;

import io.livepulse.bus.Bus.Outcome;
import io.livepulse.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames gathered for one transaction into statement parameters, in arrival order:
 * assigns sessions, spots an order id repeated inside the batch, and remembers where each outcome goes.
 * Pure logic, no database.
 */
final class WritePlan {
  /** Where a batch position came from: request r, event i of that request. */
  record Ref(int request, int index, int position) {
  }

  final List<List<Event>> requests;
  final Outcome[][] outcomes;
  final String[][] errors;
  /** The session each event is stored in. */
  final int[][] sessionOf;
  /** For refunds: the refunded order's sku and title, as the database answered. */
  final String[][] refundSku;
  final String[][] refundTitle;
  final String[][] refundSource;
  final Map<String, RoomSessions.Entry> overlay = new HashMap<>();

  // INSERT_ORDERS columns
  final List<String> oRoom = new ArrayList<>();
  final List<String> oId = new ArrayList<>();
  final List<Integer> oSession = new ArrayList<>();
  final List<String> oUser = new ArrayList<>();
  final List<String> oSku = new ArrayList<>();
  final List<String> oTitle = new ArrayList<>();
  final List<Integer> oQty = new ArrayList<>();
  final List<Long> oAmount = new ArrayList<>();
  final List<String> oSource = new ArrayList<>();
  final List<Long> oTs = new ArrayList<>();
  final List<Long> oSecond = new ArrayList<>();
  /** order key -> ref of the first occurrence in the batch */
  final Map<String, Ref> firstOrder = new HashMap<>();
  final List<Ref> refunds = new ArrayList<>();
  /** Explain and mark events (contract §9): inserted in the batch's transaction. */
  final List<Ref> timeline = new ArrayList<>();
  /** Refund ids seen in this batch: a second copy in the same batch is a duplicate. */
  private final java.util.Set<String> refundIds = new java.util.HashSet<>();
  int events;
  /** Identifies this batch's rows, so a retry can tell whether an earlier attempt committed. */
  long batchId;
  /** Whether a room event changes sessions or metadata: such a batch runs alone. */
  boolean roomEvents;
  /** Session starts and ends this batch's room events mark: room, session, second; start or end. */
  final List<String> boundRoom = new ArrayList<>();
  final List<Integer> boundSession = new ArrayList<>();
  final List<Long> boundStart = new ArrayList<>();
  final List<Long> boundEnd = new ArrayList<>();

  private WritePlan(List<List<Event>> requests) {
    this.requests = requests;
    this.outcomes = new Outcome[requests.size()][];
    this.errors = new String[requests.size()][];
    this.sessionOf = new int[requests.size()][];
    this.refundSku = new String[requests.size()][];
    this.refundTitle = new String[requests.size()][];
    this.refundSource = new String[requests.size()][];
  }

  static String key(String room, String order) {
    return room + '\u0000' + order;
  }

  static WritePlan build(List<List<Event>> requests, RoomSessions sessions) {
    WritePlan plan = new WritePlan(requests);
    int position = 0;
    for (int r = 0; r < requests.size(); r++) {
      List<Event> events = requests.get(r);
      plan.outcomes[r] = new Outcome[events.size()];
      plan.errors[r] = new String[events.size()];
      plan.sessionOf[r] = new int[events.size()];
      plan.refundSku[r] = new String[events.size()];
      plan.refundTitle[r] = new String[events.size()];
      plan.refundSource[r] = new String[events.size()];
      for (int i = 0; i < events.size(); i++) {
        plan.add(events.get(i), new Ref(r, i, position++), sessions);
      }
    }
    plan.events = position;
    plan.sortOrders();
    return plan;
  }

  /** Puts the order rows in (room, order) order: concurrent batches then lock index keys in one order. */
  private void sortOrders() {
    int n = oRoom.size();
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> {
      int c = oRoom.get(a).compareTo(oRoom.get(b));
      return c != 0 ? c : oId.get(a).compareTo(oId.get(b));
    });
    reorder(oRoom, idx);
    reorder(oId, idx);
    reorder(oSession, idx);
    reorder(oUser, idx);
    reorder(oSku, idx);
    reorder(oTitle, idx);
    reorder(oQty, idx);
    reorder(oAmount, idx);
    reorder(oSource, idx);
    reorder(oTs, idx);
    reorder(oSecond, idx);
  }

  private static <T> void reorder(List<T> list, Integer[] idx) {
    List<T> copy = new ArrayList<>(list);
    for (int i = 0; i < idx.length; i++) {
      list.set(i, copy.get(idx[i]));
    }
  }

  /** Rooms this batch sees for the first time. */
  List<String> newRooms() {
    List<String> out = new ArrayList<>();
    overlay.forEach((room, e) -> {
      if (!e.persisted) {
        out.add(room);
      }
    });
    return out;
  }

  /** Order keys this batch may insert (to hold back refunds of them in other batches). */
  java.util.Set<String> orderKeys() {
    return firstOrder.keySet();
  }

  private RoomSessions.Entry entry(String room, RoomSessions sessions) {
    return overlay.computeIfAbsent(room, k -> {
      RoomSessions.Entry known = sessions.get(k);
      if (known != null) {
        return known.copy();
      }
      RoomSessions.Entry fresh = new RoomSessions.Entry(1, null, false);
      fresh.changed = true;
      return fresh;
    });
  }

  private void add(Event e, Ref ref, RoomSessions sessions) {
    RoomSessions.Entry room = entry(e.room, sessions);
    switch (e.type) {
      case ROOM -> {
        if ("live".equals(e.status) && "ended".equals(room.status)) {
          room.session++;
        }
        if ("live".equals(e.status) || "ended".equals(e.status)) {
          boolean start = "live".equals(e.status);
          boundRoom.add(e.room);
          boundSession.add(room.session);
          boundStart.add(start ? e.second() : null);
          boundEnd.add(start ? null : e.second());
        }
        if (e.status != null) {
          room.status = e.status;
        }
        room.anchor = e.anchor != null ? e.anchor : room.anchor;
        room.title = e.title != null ? e.title : room.title;
        room.platform = e.platform != null ? e.platform : room.platform;
        room.viewerIdleMinutes = e.viewerIdleMinutes >= 0 ? Integer.valueOf(e.viewerIdleMinutes) : room.viewerIdleMinutes;
        if (e.target != null) {
          room.targetCents = e.target.cents();
          room.targetMinutes = e.target.minutes() > 0 ? e.target.minutes() : null;
        }
        room.changed = true;
        roomEvents = true;
        sessionOf[ref.request()][ref.index()] = room.session;
        set(ref, Outcome.ACCEPTED, null);
      }
      case ORDER -> {
        sessionOf[ref.request()][ref.index()] = room.session;
        String k = key(e.room, e.order);
        if (firstOrder.containsKey(k)) {
          set(ref, Outcome.DUPLICATE, null);
          return;
        }
        firstOrder.put(k, ref);
        oRoom.add(e.room);
        oId.add(e.order);
        oSession.add(room.session);
        oUser.add(e.user);
        oSku.add(e.sku);
        oTitle.add(e.title);
        oQty.add(e.qty);
        oAmount.add(e.amountCents);
        oSource.add(e.source);
        oTs.add(e.ts);
        oSecond.add(e.second());
      }
      case REFUND -> {
        sessionOf[ref.request()][ref.index()] = room.session;
        if (e.refundId != null && !refundIds.add(key(e.room, e.order) + '\u0000' + e.refundId)) {
          set(ref, Outcome.DUPLICATE, null);
          return;
        }
        refunds.add(ref);
      }
      case EXPLAIN, MARK -> {
        sessionOf[ref.request()][ref.index()] = room.session;
        timeline.add(ref);
        set(ref, Outcome.ACCEPTED, null);
      }
      default -> throw new IllegalArgumentException(e.type + " events are not stored");
    }
  }

  Event event(Ref ref) {
    return requests.get(ref.request()).get(ref.index());
  }

  int session(Ref ref) {
    return sessionOf[ref.request()][ref.index()];
  }

  /** A refund went through: booked to its order's session, which may be earlier than the room's. */
  void refunded(Ref ref, String sku, String title, String source, int orderSession) {
    sessionOf[ref.request()][ref.index()] = orderSession;
    refundSource[ref.request()][ref.index()] = source;
    refundSku[ref.request()][ref.index()] = sku;
    refundTitle[ref.request()][ref.index()] = title;
  }

  /** Event i of request r as it was committed: its session, and for a refund its order's sku and title. */
  Event committed(int r, int i) {
    Event e = requests.get(r).get(i);
    return e.type == io.livepulse.event.EventType.REFUND
        ? e.committed(sessionOf[r][i], refundSku[r][i], refundTitle[r][i], refundSource[r][i])
        : e.committed(sessionOf[r][i]);
  }

  void set(Ref ref, Outcome outcome, String error) {
    outcomes[ref.request()][ref.index()] = outcome;
    errors[ref.request()][ref.index()] = error;
  }

  boolean hasOrders() {
    return !oRoom.isEmpty();
  }

  /** Marks each planned order accepted if the insert returned it, duplicate otherwise. */
  void resolveOrders(java.util.Set<String> inserted) {
    firstOrder.forEach((k, ref) -> set(ref, inserted.contains(k) ? Outcome.ACCEPTED : Outcome.DUPLICATE, null));
  }

  /** True when the refund's order is first inserted later in this same batch: not yet accepted. */
  boolean orderArrivesLater(Ref refund, java.util.Set<String> inserted) {
    Event e = event(refund);
    String k = key(e.room, e.order);
    Ref order = firstOrder.get(k);
    return order != null && order.position() > refund.position() && inserted.contains(k);
  }

  List<RoomSessions.Entry> changedRooms(List<String> names) {
    List<RoomSessions.Entry> out = new ArrayList<>();
    overlay.forEach((room, e) -> {
      if (e.changed || !e.persisted) {
        names.add(room);
        out.add(e);
      }
    });
    return out;
  }
}
