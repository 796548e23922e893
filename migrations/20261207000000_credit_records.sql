-- Up Migration
-- Credit records (信用记录) of organisations and brokers. Their events are not copied here: each is read from the row
-- that proves it (a lead's event, an offer, a challenge's award lead, a report), so a retried or killed job can add
-- none twice. What this stores is what no other row holds: the scoring rule, kept as versioned data, and the
-- bad-faith reports operators file with their evidence, with the party's answer beside them.

CREATE TABLE credit_rules (
  id text PRIMARY KEY,
  version integer NOT NULL UNIQUE CHECK (version >= 1),
  base numeric(6, 2) NOT NULL CHECK (base >= 0 AND base <= 100),
  -- Event kind -> points per event; a kind absent counts 0.
  points jsonb NOT NULL,
  window_months integer NOT NULL CHECK (window_months BETWEEN 1 AND 120),
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A rule is retired when the next version comes in, never deleted: a score names the version it was computed by.
  retired_at timestamptz
);
-- One rule in force at a time.
CREATE UNIQUE INDEX credit_rules_in_force ON credit_rules ((true)) WHERE retired_at IS NULL;

INSERT INTO credit_rules (id, version, base, points, window_months, source) VALUES
  ('credit-v1', 1, 70,
   '{"contract_signed": 3, "settled_on_exchange": 2, "closed_won": 2, "closed_lost": 0, "offer_lapsed": -1,
     "accepted_idle": -3, "declined_after_acceptance": -2, "award_honoured": 5, "award_not_honoured": -10,
     "bad_faith_report": -15}',
   24,
   '浙江省技术转移体系建设实施方案 (2019): 定期向社会公布入场技术转移机构的绩效和信用情况. The plan names no points; '
   'these are the service''s first version, to be replaced by the operators'' own.');

CREATE TABLE credit_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_kind text NOT NULL CHECK (subject_kind IN ('organisation', 'broker')),
  subject_id uuid NOT NULL,
  summary text NOT NULL,
  -- [{description, url?}]: at least one item.
  evidence jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'array' AND jsonb_array_length(evidence) >= 1),
  filed_by uuid NOT NULL,
  filed_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_at timestamptz
);
CREATE INDEX credit_reports_subject ON credit_reports (subject_kind, subject_id);

CREATE INDEX IF NOT EXISTS lead_offers_broker_outcome ON lead_offers (broker_id, outcome);
