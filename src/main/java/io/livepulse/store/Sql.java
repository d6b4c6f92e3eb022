package io.livepulse.store;

/** Every statement LivePulse runs, in one place beside the code that runs them. */
final class Sql {
  private Sql() {
  }

  static final String HEALTH = "SELECT current_setting('fsync'), current_setting('synchronous_commit')";

  static final String LOAD_SESSIONS = "SELECT room, session, status FROM rooms";

  static final String UPSERT_ROOMS = """
      INSERT INTO rooms (room, session, status, anchor, title, platform, viewer_idle_minutes, target_cents, target_minutes)
      SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                           $8::bigint[], $9::int[])
      ON CONFLICT (room) DO UPDATE SET
        viewer_idle_minutes = COALESCE(EXCLUDED.viewer_idle_minutes, rooms.viewer_idle_minutes),
        -- A target belongs to its session: a new session without one has none.
        target_cents = CASE WHEN EXCLUDED.target_cents IS NOT NULL THEN EXCLUDED.target_cents
                            WHEN EXCLUDED.session > rooms.session THEN NULL ELSE rooms.target_cents END,
        target_minutes = CASE WHEN EXCLUDED.target_cents IS NOT NULL THEN EXCLUDED.target_minutes
                              WHEN EXCLUDED.session > rooms.session THEN NULL ELSE rooms.target_minutes END,
        session = EXCLUDED.session,
        status = COALESCE(EXCLUDED.status, rooms.status),
        anchor = COALESCE(EXCLUDED.anchor, rooms.anchor),
        title = COALESCE(EXCLUDED.title, rooms.title),
        platform = COALESCE(EXCLUDED.platform, rooms.platform),
        updated_at = now()
      """;

  /** A session starts at its first {@code live} and ends at its latest {@code ended} (issue 14's review). */
  static final String UPSERT_SESSION_BOUNDS = """
      INSERT INTO session_bounds (room, session, started, ended)
      SELECT r, s, min(st), max(en) FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS t(r, s, st, en)
      GROUP BY r, s ORDER BY r, s
      ON CONFLICT (room, session) DO UPDATE SET
        started = LEAST(session_bounds.started, EXCLUDED.started),
        ended = GREATEST(session_bounds.ended, EXCLUDED.ended)
      """;

  /** Creates rooms seen for the first time (session 1) without touching existing ones. */
  static final String INSERT_NEW_ROOMS = """
      INSERT INTO rooms (room, session) SELECT unnest($1::text[]), 1
      ON CONFLICT (room) DO NOTHING
      """;

  /**
   * The common case in one statement, so one round trip and no explicit transaction: create new rooms,
   * insert new orders (skipping duplicates), add them to their per-second sales rows. Rows go in
   * (room, order) and (room, second) order, so concurrent batches always lock in the same order.
   */
  static final String INSERT_ORDERS = """
      WITH new_rooms AS (
        INSERT INTO rooms (room, session) SELECT unnest($12::text[]), 1
        ON CONFLICT (room) DO NOTHING
      ), ins AS (
        INSERT INTO orders (room, order_id, session, user_id, sku, title, qty, amount_cents, source, ts, second, batch)
        SELECT *, $13::bigint FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[],
                             $7::int[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[])
        ON CONFLICT (room, order_id) DO NOTHING
        RETURNING room, order_id, qty, amount_cents, second
      ), sec AS (
        INSERT INTO sales_seconds (room, second, gmv_cents, orders, units)
        SELECT room, second, sum(amount_cents), count(*), sum(qty) FROM ins
        GROUP BY room, second ORDER BY room, second
        ON CONFLICT (room, second) DO UPDATE SET
          gmv_cents = sales_seconds.gmv_cents + EXCLUDED.gmv_cents,
          orders = sales_seconds.orders + EXCLUDED.orders,
          units = sales_seconds.units + EXCLUDED.units
      )
      SELECT room, order_id FROM ins
      """;

  /**
   * Applies one refund if the order exists, has enough left to refund, and (with a refund id, $8) no
   * refund of that id was accepted for the order. All parts see the same snapshot, so
   * {@code refundable} is the amount before this refund; {@code applied} says whether it went
   * through, {@code duplicate} whether its id was already there. No row at all means the order is
   * unknown in that room. Two concurrent copies of one id both pass the check, and the unique index
   * makes the second transaction fail: retried alone, it then sees the first and is a duplicate.
   * The refund is booked to its order's session ({@code order_session}): in the current one ($4) at
   * the refund's second, in an earlier one at the order's own second, so that session's stored
   * totals and rows are what change, not the running show's.
   */
  static final String APPLY_REFUND = """
      WITH o AS (
        SELECT amount_cents - refunded_cents AS refundable, sku, title, source, session, second
        FROM orders WHERE room = $1 AND order_id = $2
      ), d AS (
        SELECT 1 FROM refunds WHERE room = $1 AND order_id = $2 AND refund_id = $8::text
      ), u AS (
        UPDATE orders SET refunded_cents = refunded_cents + $3
        WHERE room = $1 AND order_id = $2 AND amount_cents - refunded_cents >= $3 AND NOT EXISTS (SELECT 1 FROM d)
        RETURNING sku, session, CASE WHEN session = $4 THEN $6 ELSE second END AS booked_second
      ), r AS (
        INSERT INTO refunds (room, order_id, session, sku, amount_cents, ts, second, batch, refund_id)
        SELECT $1, $2, session, sku, $3, $5, booked_second, $7, $8::text FROM u
      ), s AS (
        INSERT INTO sales_seconds (room, second, gmv_cents, orders, units)
        SELECT $1, booked_second, -$3::bigint, 0, 0 FROM u
        ON CONFLICT (room, second) DO UPDATE SET gmv_cents = sales_seconds.gmv_cents + EXCLUDED.gmv_cents
      )
      SELECT o.refundable, o.sku, o.title, o.source, o.session AS order_session, (SELECT count(*) FROM u) AS applied,
             (SELECT count(*) FROM d) AS duplicate FROM o
      """;

  /** Contract §9's explain and mark events, in one statement per batch. */
  static final String INSERT_TIMELINE = """
      INSERT INTO timeline (room, session, kind, sku, start, label, mark_kind, ts, batch)
      SELECT r, s, k, sk, st, l, mk, t, $9
      FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::bigint[])
        AS x(r, s, k, sk, st, l, mk, t)
      """;

  static final String BATCH_TIMELINE = "SELECT count(*) FROM timeline WHERE batch = $1";

  /** The current session's explain and mark events, in order. */
  static final String HYDRATE_TIMELINE = """
      SELECT t.room, t.kind, t.sku, t.start, t.label, t.mark_kind, t.ts
      FROM timeline t JOIN rooms r ON r.room = t.room AND r.session = t.session
      WHERE t.room = ANY($1::text[])
      ORDER BY t.room, t.ts, t.id
      """;

  /** Orders of the current session of rooms with explain windows, each counted into its window. */
  static final String HYDRATE_WINDOW_ORDERS = """
      SELECT o.room, o.sku, o.user_id, o.qty, o.amount_cents, o.ts
      FROM orders o JOIN rooms r ON r.room = o.room AND r.session = o.session
      WHERE o.room = ANY($1::text[])
      """;

  /** What an earlier attempt of a batch stored, if its commit went through after all. */
  static final String BATCH_ORDERS = "SELECT room, order_id FROM orders WHERE batch = $1";
  static final String BATCH_REFUNDS = "SELECT r.room, r.order_id, r.amount_cents, r.sku, o.title, o.source, r.session FROM refunds r "
      + "JOIN orders o ON o.room = r.room AND o.order_id = r.order_id WHERE r.batch = $1";

  static final String UPSERT_TRAFFIC = """
      INSERT INTO traffic_seconds (room, second, views, enters, leaves, online, clicks)
      SELECT r, s, v, e, l, NULLIF(o, -1), c
      FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
        AS t(r, s, v, e, l, o, c)
      ORDER BY r, s
      ON CONFLICT (room, second) DO UPDATE SET
        views = traffic_seconds.views + EXCLUDED.views,
        enters = traffic_seconds.enters + EXCLUDED.enters,
        leaves = traffic_seconds.leaves + EXCLUDED.leaves,
        online = COALESCE(EXCLUDED.online, traffic_seconds.online),
        clicks = traffic_seconds.clicks + EXCLUDED.clicks
      """;

  /**
   * A new base of a room's viewer state; the deltas of every other base go. Deltas of this base that
   * committed first (a delta written while the base was still in flight) stay: they apply on top of it.
   */
  static final String UPSERT_ROOM_STATE = """
      WITH old AS (DELETE FROM room_state_delta WHERE room = $1 AND generation <> $4)
      INSERT INTO room_state (room, session, state, generation) VALUES ($1, $2, $3, $4)
      ON CONFLICT (room) DO UPDATE SET session = EXCLUDED.session, state = EXCLUDED.state,
        generation = EXCLUDED.generation, saved_at = now()
      """;

  static final String INSERT_ROOM_STATE_DELTA =
      "INSERT INTO room_state_delta (room, generation, n, state) VALUES ($1, $2, $3, $4)";

  static final String SECONDS = """
      SELECT coalesce(s.second, t.second) AS second,
             coalesce(s.gmv_cents, 0) AS gmv_cents, coalesce(s.orders, 0) AS orders,
             coalesce(s.units, 0) AS units, coalesce(t.views, 0) AS views,
             coalesce(t.enters, 0) AS enters, coalesce(t.leaves, 0) AS leaves, t.online AS online,
             coalesce(t.clicks, 0) AS clicks
      FROM (SELECT * FROM sales_seconds WHERE room = $1 AND second BETWEEN $2 AND $3) s
      FULL JOIN (SELECT * FROM traffic_seconds WHERE room = $1 AND second BETWEEN $2 AND $3) t
        ON s.second = t.second
      ORDER BY 1
      """;

  static final String ONLINE_BEFORE = """
      SELECT online FROM traffic_seconds
      WHERE room = $1 AND second < $2 AND online IS NOT NULL ORDER BY second DESC LIMIT 1
      """;

  // ---- hydration: at start (recently active rooms) and on demand (one room, or a few) ----------------
  // Every statement takes the rooms as $1::text[], so one path rebuilds one room or thousands.

  /** Rooms with an event since $1 (epoch second): the ones a start rebuilds. */
  static final String RECENT_ROOMS = "SELECT room FROM rooms WHERE last_event_second >= $1";

  static final String TOUCH_ROOMS = "UPDATE rooms SET last_event_second = greatest(last_event_second, $2) "
      + "WHERE room = ANY($1::text[])";

  static final String HYDRATE_ROOMS = "SELECT room, session, status, anchor, title, platform, viewer_idle_minutes, "
      + "target_cents, target_minutes FROM rooms "
      + "WHERE room = ANY($1::text[])";

  /** Per product of the current session; its title is the latest order's (by ts, then order id) that has one. */
  static final String HYDRATE_PRODUCTS = """
      SELECT o.room, o.sku,
             (array_agg(o.title ORDER BY o.ts DESC, o.order_id DESC) FILTER (WHERE o.title IS NOT NULL))[1] AS title,
             (array_agg(o.ts ORDER BY o.ts DESC, o.order_id DESC) FILTER (WHERE o.title IS NOT NULL))[1] AS title_ts,
             (array_agg(o.order_id ORDER BY o.ts DESC, o.order_id DESC) FILTER (WHERE o.title IS NOT NULL))[1] AS title_order,
             sum(o.amount_cents) AS gmv, sum(o.qty) AS units, count(*) AS orders
      FROM orders o JOIN rooms r ON r.room = o.room AND r.session = o.session
      WHERE o.room = ANY($1::text[])
      GROUP BY o.room, o.sku
      """;

  static final String HYDRATE_REFUNDS = """
      SELECT f.room, f.sku, sum(f.amount_cents) AS refunded
      FROM refunds f JOIN rooms r ON r.room = f.room AND r.session = f.session
      WHERE f.room = ANY($1::text[])
      GROUP BY f.room, f.sku
      """;

  /** Orders of the current session with an accepted refund (refundOrders counts them). */
  static final String HYDRATE_REFUNDED_ORDERS = """
      SELECT DISTINCT f.room, f.order_id
      FROM refunds f JOIN rooms r ON r.room = f.room AND r.session = f.session
      WHERE f.room = ANY($1::text[])
      """;

  /** Buyers of the current session, with what they bought and from which source (distinct per room, sku, source). */
  static final String HYDRATE_BUYERS = """
      SELECT DISTINCT o.room, o.user_id, o.sku, o.source
      FROM orders o JOIN rooms r ON r.room = o.room AND r.session = o.session
      WHERE o.room = ANY($1::text[])
      """;

  /** Sales per order source of the current session, with the refunds of those orders. */
  static final String HYDRATE_SOURCES = """
      WITH f AS (
        SELECT f.room, f.order_id, sum(f.amount_cents) AS refunded
        FROM refunds f JOIN rooms r ON r.room = f.room AND r.session = f.session
        WHERE f.room = ANY($1::text[])
        GROUP BY f.room, f.order_id
      )
      SELECT o.room, o.source, sum(o.amount_cents) AS gross, count(*) AS orders,
             coalesce(sum(f.refunded), 0) AS refunded
      FROM orders o JOIN rooms r ON r.room = o.room AND r.session = o.session
      LEFT JOIN f ON f.room = o.room AND f.order_id = o.order_id
      WHERE o.room = ANY($1::text[]) AND o.source IS NOT NULL
      GROUP BY o.room, o.source
      """;

  /**
   * Each room's viewer-state base ({@code n} 0) and then the deltas on it in the order they were written,
   * in one statement, so that base and deltas come from one snapshot even while a new base commits.
   */
  static final String HYDRATE_STATES = """
      SELECT s.room, 0 AS n, s.state FROM room_state s WHERE s.room = ANY($1::text[])
      UNION ALL
      SELECT d.room, d.n, d.state FROM room_state_delta d
      JOIN room_state s ON s.room = d.room AND s.generation = d.generation
      WHERE d.room = ANY($1::text[])
      ORDER BY room, n
      """;

  static final String HYDRATE_SECONDS = """
      SELECT coalesce(s.room, t.room) AS room, coalesce(s.second, t.second) AS second,
             coalesce(s.gmv_cents, 0) AS gmv_cents, coalesce(s.orders, 0) AS orders,
             coalesce(s.units, 0) AS units, coalesce(t.views, 0) AS views,
             coalesce(t.enters, 0) AS enters, coalesce(t.leaves, 0) AS leaves,
             coalesce(t.online, -1) AS online, coalesce(t.clicks, 0) AS clicks
      FROM (SELECT * FROM sales_seconds WHERE room = ANY($1::text[]) AND second >= $2) s
      FULL JOIN (SELECT * FROM traffic_seconds WHERE room = ANY($1::text[]) AND second >= $2) t
        ON s.room = t.room AND s.second = t.second
      """;

  /**
   * A room's stored totals per session, every session from 1 to the current one. Refunds count in
   * the session they are booked to, which is their order's. A session spans from its first live (or
   * its first order or timeline event) to its latest ended (or its last one); the running show has no
   * end. Peak online is the highest stored per-second online inside that span ($2: now). $3: one
   * session only (its peak is then the only one computed), or null for all.
   */
  static final String SESSION_TOTALS = """
      WITH cur AS (
        SELECT session, status FROM rooms WHERE room = $1
      ), n AS (
        SELECT generate_series(1, (SELECT session FROM cur)) AS session
      ), o AS (
        SELECT session, sum(amount_cents) AS gross, count(*) AS orders, sum(qty) AS units,
               count(DISTINCT user_id) AS buyers, min(second) AS first_second, max(second) AS last_second
        FROM orders WHERE room = $1 GROUP BY session
      ), f AS (
        SELECT session, sum(amount_cents) AS refunded, count(DISTINCT order_id) AS refund_orders
        FROM refunds WHERE room = $1 GROUP BY session
      ), tl AS (
        SELECT session, min(ts) / 1000 AS first_second, max(ts) / 1000 AS last_second,
               count(*) FILTER (WHERE kind = 'explain' AND start) AS explains,
               count(*) FILTER (WHERE kind = 'mark') AS marks
        FROM timeline WHERE room = $1 GROUP BY session
      ), b AS (
        SELECT session, started, ended FROM session_bounds WHERE room = $1
      ), span AS (
        SELECT n.session,
               LEAST(b.started, o.first_second, tl.first_second) AS started,
               CASE WHEN n.session = cur.session AND cur.status IS DISTINCT FROM 'ended' THEN NULL
                    ELSE COALESCE(b.ended, GREATEST(o.last_second, tl.last_second)) END AS ended
        FROM n CROSS JOIN cur
        LEFT JOIN b ON b.session = n.session LEFT JOIN o ON o.session = n.session LEFT JOIN tl ON tl.session = n.session
      )
      SELECT n.session, coalesce(o.gross, 0) AS gross, coalesce(f.refunded, 0) AS refunded,
             coalesce(o.orders, 0) AS orders, coalesce(o.units, 0) AS units, coalesce(o.buyers, 0) AS buyers,
             coalesce(f.refund_orders, 0) AS refund_orders, o.first_second, o.last_second,
             span.started, span.ended, coalesce(tl.explains, 0) AS explains, coalesce(tl.marks, 0) AS marks,
             (SELECT max(t.online) FROM traffic_seconds t WHERE t.room = $1 AND t.second >= span.started
                AND t.second <= COALESCE(span.ended, $2)) AS peak_online
      FROM n JOIN span ON span.session = n.session
      LEFT JOIN o ON o.session = n.session LEFT JOIN f ON f.session = n.session LEFT JOIN tl ON tl.session = n.session
      WHERE $3::int IS NULL OR n.session = $3
      ORDER BY n.session
      """;
}
