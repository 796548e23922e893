-- Up Migration
-- Score weights fitted from lead outcomes (learn-weights, libs/learning). At most one version is active; with none,
-- matching uses the configured weights (MATCH_WEIGHTS over the defaults). A rollback activates an older version or
-- none; nothing is deleted.
CREATE TABLE weight_versions (
  id serial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- part -> weight: what the ranking uses (combine's weighted mean).
  weights jsonb NOT NULL,
  -- The fitted model: {intercept, coefficients: part -> coefficient, platt: {a, b}}.
  model jsonb NOT NULL,
  training_outcomes integer NOT NULL,
  heldout_outcomes integer NOT NULL,
  -- {auc, logLoss, baseline: {auc, logLoss}, calibration: [{from, to, predicted, observed, count}]}
  metrics jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'inactive', 'rejected')),
  -- Why it is in its status (too few outcomes, did not beat the baseline, rolled back by ...).
  note text NOT NULL DEFAULT '',
  activated_at timestamptz
);
CREATE UNIQUE INDEX weight_versions_one_active ON weight_versions ((true)) WHERE status = 'active';

-- What a lead was scored with; exploratory leads were below the bar and sent on purpose (a logged share).
ALTER TABLE leads
  ADD COLUMN weights_version integer REFERENCES weight_versions (id),
  ADD COLUMN probability double precision,
  ADD COLUMN exploratory boolean NOT NULL DEFAULT false;

-- Every candidate lead generation scored: its parts, the version and bar in force, its rank, what was done with it
-- and how likely that was (the learner weighs outcomes by the inverse). The lead, when one was made, gives the outcome.
CREATE TABLE match_candidates (
  id bigserial PRIMARY KEY,
  scored_at timestamptz NOT NULL DEFAULT now(),
  demand_id uuid NOT NULL,
  partner_kind partner_kind NOT NULL,
  partner_id uuid NOT NULL,
  -- part -> value, and part -> confidence for the parts whose weight counted scaled (a short need's keywords).
  parts jsonb NOT NULL,
  confidence jsonb NOT NULL DEFAULT '{}',
  total double precision NOT NULL,
  probability double precision,
  weights_version integer REFERENCES weight_versions (id),
  threshold double precision NOT NULL,
  rank integer NOT NULL,
  decision text NOT NULL CHECK (decision IN ('lead', 'exploration', 'below')),
  propensity double precision NOT NULL CHECK (propensity >= 0 AND propensity <= 1),
  lead_id uuid REFERENCES leads (id)
);
CREATE INDEX match_candidates_lead ON match_candidates (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX match_candidates_scored_at ON match_candidates (scored_at);

-- Down Migration
DROP TABLE match_candidates;
ALTER TABLE leads DROP COLUMN weights_version, DROP COLUMN probability, DROP COLUMN exploratory;
DROP TABLE weight_versions;
