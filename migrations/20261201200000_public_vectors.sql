-- Up Migration
-- A demand's shared vector is made from its public form only (its confidential description and keywords could be
-- recovered from it by a paraphrased search). Its whole text gets a private vector, used only as the query of its
-- owner's own match requests and never put into a search index.
ALTER TABLE demands ADD COLUMN private_embedding bytea;

-- Vectors made from confidential text before this migration are dropped; the reconcile job embeds these demands
-- again, from their public text (and a private vector of the whole text).
UPDATE demands
   SET embedding = NULL, embedding_status = 'pending', embedded_at = NULL, updated_at = now() - interval '2 minutes'
 WHERE confidential_fields && ARRAY['description', 'keywords']::text[]
   AND embedding IS NOT NULL;

-- Down Migration
ALTER TABLE demands DROP COLUMN private_embedding;
