-- Issue 14 (review and replay): clicks per second, so a past session's chart offers them, and the
-- bounds of each session, so the session list and the review page know where a show starts and ends.
ALTER TABLE traffic_seconds ADD COLUMN clicks bigint NOT NULL DEFAULT 0;

-- Written from room events: started by the first `live` of the session, ended by its latest `ended`
-- (epoch seconds, the events' own time). Either may be missing (a feed without room events).
CREATE TABLE session_bounds (
  room     text    NOT NULL,
  session  integer NOT NULL,
  started  bigint,
  ended    bigint,
  PRIMARY KEY (room, session)
);
