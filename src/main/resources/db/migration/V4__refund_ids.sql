-- Contract §8: a refund may carry the producer's id; a refund whose id was already accepted for that
-- order is a duplicate. Refunds without an id keep their old meaning (each one refunds).
ALTER TABLE refunds ADD COLUMN refund_id text;
CREATE UNIQUE INDEX refunds_refund_id ON refunds (room, order_id, refund_id) WHERE refund_id IS NOT NULL;
