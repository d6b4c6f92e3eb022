-- Which store batch wrote each order and refund. When the connection dies during a commit, the
-- store cannot know whether the commit happened; it looks for its batch id before retrying, so
-- that an order it did store is reported as accepted (and aggregated), not as a duplicate.
ALTER TABLE orders ADD COLUMN batch bigint;
ALTER TABLE refunds ADD COLUMN batch bigint;
CREATE INDEX orders_batch ON orders USING brin (batch);
CREATE INDEX refunds_batch ON refunds USING brin (batch);
