-- Up Migration
-- Challenges (张榜招贤 / 揭榜挂帅): a demand published with a prize and a proposal deadline. Matching invites the
-- solvers best placed to answer; their proposals are ranked by fit and scored by judges; the owner awards one, and the
-- award becomes a lead whose contract gets the challenge-winner subsidy rate.

CREATE TYPE challenge_state AS ENUM ('draft', 'open', 'reviewing', 'awarded', 'closed', 'cancelled');

CREATE TABLE challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The problem behind the challenge; its organisation owns the challenge.
  demand_id uuid NOT NULL REFERENCES demands (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Shown to everyone once open.
  statement text NOT NULL,
  -- Shown to a solver only after it registered and accepted the terms.
  confidential_details text,
  terms text NOT NULL,
  prize_amount numeric(16, 2) NOT NULL CHECK (prize_amount > 0),
  prize_for text NOT NULL,
  deadline timestamptz NOT NULL,
  -- Region code prefixes a solver's organisation must be in ('33': Zhejiang); empty: anywhere.
  eligible_regions text[] NOT NULL DEFAULT '{}',
  -- Organisation kinds that may answer; empty: any kind but the owner's own organisation.
  eligible_kinds organisation_kind[] NOT NULL DEFAULT '{}',
  -- [{name, description, weight}]: what proposals are judged on.
  criteria jsonb NOT NULL,
  -- Experts named as judges: their organisations' keys judge beside the owner's.
  judge_expert_ids uuid[] NOT NULL DEFAULT '{}',
  industry_code text,
  region_code char(6) NOT NULL,
  state challenge_state NOT NULL DEFAULT 'draft',
  -- Why it was cancelled or closed without award.
  state_reason text,
  awarded_proposal_id uuid,
  lead_id uuid REFERENCES leads (id),
  opened_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((state IN ('cancelled', 'closed')) = (state_reason IS NOT NULL))
);
CREATE INDEX challenges_state_deadline ON challenges (state, deadline);
CREATE INDEX challenges_created ON challenges (created_at, id);
CREATE INDEX challenges_organisation ON challenges (organisation_id, created_at);

-- Every move and every change of deadline, with who made it ('system' for the deadline job) and when.
CREATE TABLE challenge_events (
  id bigserial PRIMARY KEY,
  challenge_id uuid NOT NULL REFERENCES challenges (id),
  from_state challenge_state,
  to_state challenge_state NOT NULL,
  actor text NOT NULL,
  reason text,
  deadline timestamptz,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX challenge_events_challenge ON challenge_events (challenge_id, id);

-- A solver registered for a challenge and accepted its terms: from then on it sees the confidential details.
CREATE TABLE challenge_registrations (
  challenge_id uuid NOT NULL REFERENCES challenges (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  api_key_id text NOT NULL,
  terms_accepted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (challenge_id, organisation_id)
);

-- An owner of a matching achievement or expert invited to answer; one invitation per organisation and challenge.
CREATE TABLE challenge_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  challenge_id uuid NOT NULL REFERENCES challenges (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  partner_kind partner_kind NOT NULL,
  partner_id uuid NOT NULL,
  score real NOT NULL,
  match jsonb NOT NULL,
  declined_at timestamptz,
  decline_reason text,
  -- In the organisation's inbox (set once), and on its webhook.
  delivered_at timestamptz,
  webhook_delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (challenge_id, organisation_id),
  CHECK ((declined_at IS NULL) = (decline_reason IS NULL))
);
CREATE INDEX challenge_invitations_organisation ON challenge_invitations (organisation_id, created_at);

-- One proposal per organisation and challenge, edited until the deadline.
CREATE TABLE proposals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  challenge_id uuid NOT NULL REFERENCES challenges (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  summary text NOT NULL,
  approach text NOT NULL,
  team text NOT NULL,
  price numeric(16, 2) CHECK (price >= 0),
  timeline text NOT NULL,
  achievement_ids uuid[] NOT NULL DEFAULT '{}',
  expert_ids uuid[] NOT NULL DEFAULT '{}',
  -- The proposal's text embedded (summary and approach), for its fit to the challenge.
  embedding bytea,
  embedding_model text,
  -- After the award: won, or not awarded with the owner's reason.
  outcome text CHECK (outcome IN ('won', 'not_awarded')),
  outcome_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (challenge_id, organisation_id)
);

-- A judge's score of a proposal on one criterion (0-10); a judge is an API key of the owner or of a judging expert's
-- organisation.
CREATE TABLE proposal_scores (
  proposal_id uuid NOT NULL REFERENCES proposals (id),
  api_key_id text NOT NULL,
  criterion text NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  scored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (proposal_id, api_key_id, criterion)
);

-- The award's lead: made by the challenge (or an earlier lead of the pair taken over), consented to by the
-- enterprise; its contract gets the challenge-winner rate.
ALTER TABLE leads ADD COLUMN challenge_id uuid REFERENCES challenges (id);
ALTER TABLE leads DROP CONSTRAINT leads_origin_check;
ALTER TABLE leads ADD CONSTRAINT leads_origin_check CHECK (origin IN ('matching', 'manual', 'challenge'));
