-- Contract §10: alert rules, and the history of what fired and resolved.
CREATE TABLE alert_rules (
  id                bigserial PRIMARY KEY,
  room              text,
  prefix            text,
  figure            text NOT NULL,
  op                text NOT NULL,
  value             double precision NOT NULL,
  seconds           bigint NOT NULL DEFAULT 0,
  cooldown_seconds  bigint NOT NULL DEFAULT 60,
  webhook           text,
  format            text NOT NULL DEFAULT 'json',
  anchor            boolean NOT NULL DEFAULT false,
  min_online        bigint NOT NULL DEFAULT 0,
  percent           double precision NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_events (
  id          bigserial PRIMARY KEY,
  rule_id     bigint NOT NULL,
  room        text NOT NULL,
  state       text NOT NULL,
  figure      text NOT NULL,
  op          text NOT NULL,
  value       double precision NOT NULL,
  threshold   double precision NOT NULL,
  second      bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_events_room_second ON alert_events (room, second);
