-- When each room last had an event (epoch second), so that a start rebuilds only the rooms that
-- are still active, and every other room is rebuilt when it is asked for or gets an event.
ALTER TABLE rooms ADD COLUMN last_event_second bigint;
UPDATE rooms r SET last_event_second = greatest(
  (SELECT max(second) FROM traffic_seconds t WHERE t.room = r.room),
  (SELECT max(second) FROM sales_seconds s WHERE s.room = r.room));
CREATE INDEX rooms_last_event ON rooms (last_event_second);
