-- A saved viewer state is mostly 64-bit hashes: incompressible, except the empty slots of a sketch's
-- hash table. PostgreSQL's default (pglz) compressed each ~100-250 KB save anyway, at a cost in CPU
-- that competes with ingest on a small machine (docs/BENCHMARKS.md); stored out of line, uncompressed.
ALTER TABLE room_state ALTER COLUMN state SET STORAGE EXTERNAL;
