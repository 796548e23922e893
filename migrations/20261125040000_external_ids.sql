-- Up Migration
-- An organisation's own id for an achievement or demand (its catalogue number): importing the same catalogue again
-- updates those records instead of listing them twice.

ALTER TABLE achievements ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 100);
ALTER TABLE demands ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX achievements_external_id ON achievements (organisation_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX demands_external_id ON demands (organisation_id, external_id) WHERE external_id IS NOT NULL;

-- Down Migration
