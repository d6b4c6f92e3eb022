-- Issue 13: a room's session target (GMV, and the show's planned length for the pace). A new session
-- starts without one unless its room event sets it.
ALTER TABLE rooms ADD COLUMN target_cents bigint;
ALTER TABLE rooms ADD COLUMN target_minutes integer;
