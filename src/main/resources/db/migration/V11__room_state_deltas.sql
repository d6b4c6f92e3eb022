-- A room's viewer state is saved as a base (room_state) and deltas on top of it (room_state_delta):
-- the distinct-user sets only grow within a session and are most of a busy room's state, so a delta
-- carries their new users and the rest of the state, instead of rewriting all of it every 30 s. Each
-- base has a random generation; a rebuild applies only the deltas of its base's generation, in order.
ALTER TABLE room_state ADD COLUMN generation bigint NOT NULL DEFAULT 0;

CREATE TABLE room_state_delta (
  room        text    NOT NULL,
  generation  bigint  NOT NULL,
  n           integer NOT NULL,
  state       bytea   NOT NULL,
  PRIMARY KEY (room, generation, n)
);
-- Mostly 64-bit hashes, incompressible (as V10 for room_state).
ALTER TABLE room_state_delta ALTER COLUMN state SET STORAGE EXTERNAL;
