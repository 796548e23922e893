-- Up Migration
-- The outbox becomes the one hand-off between stages: each row is one job (its name in JOB_DEFINITIONS, libs/jobs),
-- written in the transaction of the change that causes it.
ALTER TABLE outbox RENAME COLUMN topic TO job;

-- An unrelayed 'lead-offered' row meant two jobs: delivery and the offer's expiry.
INSERT INTO outbox (job, payload)
SELECT j.job, j.payload
  FROM outbox o
 CROSS JOIN LATERAL (VALUES ('deliver-lead', jsonb_build_object('offerId', o.payload->>'offerId')),
                            ('expire-offer', o.payload)) AS j(job, payload)
 WHERE o.job = 'lead-offered' AND o.relayed_at IS NULL
 ORDER BY o.id;
DELETE FROM outbox WHERE job = 'lead-offered';

-- Records waiting for a vector were found by the reconcile sweep until now; from here on their job is in the outbox.
INSERT INTO outbox (job, payload)
SELECT 'embed-profile', jsonb_build_object('kind', kind, 'id', id::text, 'contentHash', content_hash)
  FROM (SELECT 'achievement' AS kind, id, content_hash, updated_at FROM achievements WHERE embedding_status = 'pending'
        UNION ALL SELECT 'demand', id, content_hash, updated_at FROM demands WHERE embedding_status = 'pending'
        UNION ALL SELECT 'expert', id, content_hash, updated_at FROM experts WHERE embedding_status = 'pending'
        UNION ALL SELECT 'broker', id, content_hash, updated_at FROM brokers WHERE embedding_status = 'pending') p
 ORDER BY updated_at;

-- Down Migration
-- The older version found pending records by its reconcile sweep, and knew offers only as 'lead-offered'.
UPDATE outbox o
   SET job = 'lead-offered', payload = jsonb_build_object('offerId', o.payload->>'offerId', 'dueAt', l.due_at)
  FROM lead_offers l
 WHERE o.job = 'deliver-lead' AND l.id::text = o.payload->>'offerId';
DELETE FROM outbox WHERE job <> 'lead-offered';
ALTER TABLE outbox RENAME COLUMN job TO topic;
