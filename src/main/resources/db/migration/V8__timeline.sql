-- Contract §9: explain and mark events, durable like orders and in their room's session. Explain
-- windows are rebuilt from these (their money from the orders placed while they ran).
CREATE TABLE timeline (
  id         bigserial PRIMARY KEY,
  room       text    NOT NULL,
  session    integer NOT NULL,
  kind       text    NOT NULL CHECK (kind IN ('explain', 'mark')),
  sku        text,
  start      boolean,
  label      text,
  mark_kind  text,
  ts         bigint  NOT NULL,
  batch      bigint
);
CREATE INDEX timeline_room_session ON timeline (room, session, ts);
CREATE INDEX timeline_batch ON timeline USING brin (batch);
