-- A room's own viewer idle timeout (its room event's viewerIdleMinutes), so that a room rebuilt from
-- PostgreSQL keeps it even when its saved viewer state is older than the setting. NULL: not set.
ALTER TABLE rooms ADD COLUMN viewer_idle_minutes integer;
