-- LivePulse schema. Money is stored in cents (bigint); seconds are epoch seconds.

-- One row per room: its current session and metadata. Owned by the store verticle.
CREATE TABLE rooms (
  room        text PRIMARY KEY,
  session     integer NOT NULL DEFAULT 1,
  status      text,
  anchor      text,
  title       text,
  platform    text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every accepted order. The primary key is the idempotency key: a re-sent order id is a duplicate.
CREATE TABLE orders (
  room            text    NOT NULL,
  order_id        text    NOT NULL,
  session         integer NOT NULL,
  user_id         text    NOT NULL,
  sku             text    NOT NULL,
  title           text,
  qty             integer NOT NULL CHECK (qty BETWEEN 1 AND 100000),
  amount_cents    bigint  NOT NULL CHECK (amount_cents >= 0),
  refunded_cents  bigint  NOT NULL DEFAULT 0,
  source          text,
  ts              bigint  NOT NULL,
  second          bigint  NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room, order_id),
  CHECK (refunded_cents BETWEEN 0 AND amount_cents)
);
CREATE INDEX orders_room_session ON orders (room, session);

CREATE TABLE refunds (
  id            bigserial PRIMARY KEY,
  room          text    NOT NULL,
  order_id      text    NOT NULL,
  session       integer NOT NULL,
  sku           text    NOT NULL,
  amount_cents  bigint  NOT NULL CHECK (amount_cents > 0),
  ts            bigint  NOT NULL,
  second        bigint  NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (room, order_id) REFERENCES orders (room, order_id)
);
CREATE INDEX refunds_room_session ON refunds (room, session);

-- Money side of each room's per-second row, written in the same transaction as the orders.
CREATE TABLE sales_seconds (
  room       text   NOT NULL,
  second     bigint NOT NULL,
  gmv_cents  bigint NOT NULL DEFAULT 0,
  orders     bigint NOT NULL DEFAULT 0,
  units      bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (room, second)
);

-- Viewer side of each room's per-second row, upserted by the room's aggregator every second.
CREATE TABLE traffic_seconds (
  room    text   NOT NULL,
  second  bigint NOT NULL,
  views   bigint NOT NULL DEFAULT 0,
  enters  bigint NOT NULL DEFAULT 0,
  leaves  bigint NOT NULL DEFAULT 0,
  online  bigint,
  PRIMARY KEY (room, second)
);

-- Viewer-side aggregation state (online users, distinct-user sketches), saved periodically,
-- because viewer and click events are not stored one by one.
CREATE TABLE room_state (
  room      text PRIMARY KEY,
  session   integer NOT NULL,
  state     bytea NOT NULL,
  saved_at  timestamptz NOT NULL DEFAULT now()
);
