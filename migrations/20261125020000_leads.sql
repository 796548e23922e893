-- Up Migration
-- Leads: suggested introductions between a demand and an achievement or expert, offered to one broker at a time and
-- followed to a signed contract. Every change of state is an event; every message that must leave the database
-- (delivery to a broker, expiry of an offer) is written to the outbox in the same transaction as the change.

CREATE TYPE lead_state AS ENUM (
  'unassigned', 'offered', 'accepted', 'declined', 'contacted', 'negotiating', 'contract_signed', 'closed_won',
  'closed_lost'
);
CREATE TYPE partner_kind AS ENUM ('achievement', 'expert');
CREATE TYPE decline_reason AS ENUM (
  'too_early_stage', 'benefit_unclear', 'price_mismatch', 'wrong_field', 'already_in_contact', 'other'
);
CREATE TYPE offer_outcome AS ENUM ('accepted', 'declined', 'expired', 'withdrawn');

-- An organisation may receive its brokers' leads on a webhook, signed with this secret (HMAC-SHA256).
ALTER TABLE organisations ADD COLUMN webhook_url text, ADD COLUMN webhook_secret text;

CREATE TABLE leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  demand_id uuid NOT NULL REFERENCES demands (id),
  partner_kind partner_kind NOT NULL,
  -- An achievement or an expert, by partner_kind.
  partner_id uuid NOT NULL,
  -- 'matching' (created by the matcher) or 'manual' (introduced by an admin or broker).
  origin text NOT NULL CHECK (origin IN ('matching', 'manual')),
  score real NOT NULL,
  -- The match as it was when the lead was made: score parts and explanation.
  match jsonb NOT NULL,
  state lead_state NOT NULL,
  broker_id uuid REFERENCES brokers (id),
  offers_made integer NOT NULL DEFAULT 0,
  escalated_at timestamptz,
  -- The enterprise agreed to the introduction: from then on the partner's owner sees the demand in full.
  consent_at timestamptz,
  decline_reason decline_reason,
  decline_note text,
  contract jsonb,
  contract_amount numeric(16, 2),
  contract_signed_at timestamptz,
  subsidy jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A pair is introduced once, whichever side triggered it and however often a job is retried.
  UNIQUE (demand_id, partner_kind, partner_id),
  CHECK ((state = 'declined') = (decline_reason IS NOT NULL)),
  CHECK (state IN ('unassigned', 'declined', 'closed_lost') OR broker_id IS NOT NULL)
);
CREATE INDEX leads_broker_state ON leads (broker_id, state);
CREATE INDEX leads_state ON leads (state, created_at, id);
CREATE INDEX leads_partner ON leads (partner_kind, partner_id);
CREATE INDEX leads_created ON leads (created_at, id);

-- Each offer of a lead to a broker, with the reasons the broker was chosen; a broker is offered a lead at most once.
CREATE TABLE lead_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lead_id uuid NOT NULL REFERENCES leads (id),
  broker_id uuid NOT NULL REFERENCES brokers (id),
  attempt integer NOT NULL CHECK (attempt >= 1),
  reasons jsonb NOT NULL,
  offered_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  outcome offer_outcome,
  responded_at timestamptz,
  UNIQUE (lead_id, broker_id),
  UNIQUE (lead_id, attempt)
);
CREATE INDEX lead_offers_broker ON lead_offers (broker_id, offered_at);

CREATE TABLE lead_events (
  id bigserial PRIMARY KEY,
  lead_id uuid NOT NULL REFERENCES leads (id),
  from_state lead_state,
  to_state lead_state NOT NULL,
  -- 'system', or the API key that acted.
  actor text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, id);
CREATE INDEX lead_events_state ON lead_events (to_state, lead_id);

-- Transactional outbox: a relay moves unrelayed rows to the queues, in order, and marks them relayed.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL;

-- A broker's inbox: one row per offer delivered; the primary key makes a second delivery a no-op.
CREATE TABLE inbox_items (
  offer_id uuid PRIMARY KEY REFERENCES lead_offers (id),
  broker_id uuid NOT NULL REFERENCES brokers (id),
  lead_id uuid NOT NULL REFERENCES leads (id),
  delivered_at timestamptz NOT NULL DEFAULT now(),
  -- How many times delivery ran for this offer (retries, replays); the inbox still holds one row.
  deliveries integer NOT NULL DEFAULT 1
);
CREATE INDEX inbox_items_broker ON inbox_items (broker_id, delivered_at);

-- The webhook call for each delivered offer; the offer id is its idempotency key.
CREATE TABLE webhook_deliveries (
  offer_id uuid PRIMARY KEY REFERENCES lead_offers (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  url text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, updated_at);

-- Subsidy rules are data: the province's from the 2019 plan, and any a city or county adds on top. Within one
-- scheme only the best applicable rule counts; different schemes add up.
CREATE TABLE subsidy_rules (
  id text PRIMARY KEY,
  scheme text NOT NULL,
  authority text NOT NULL,
  -- The buyer's region must start with this prefix (GB/T 2260: '33' is Zhejiang, '3305' Huzhou).
  region_prefix text NOT NULL,
  min_amount numeric(16, 2) NOT NULL DEFAULT 0,
  rate numeric(6, 4) NOT NULL CHECK (rate > 0 AND rate <= 1),
  cap numeric(16, 2),
  -- Empty: any transaction mode.
  transaction_modes transaction_mode[] NOT NULL DEFAULT '{}',
  -- Applies also to a challenge-prize winner, whatever its transaction mode.
  challenge_winners boolean NOT NULL DEFAULT false,
  requires_exchange_settlement boolean NOT NULL DEFAULT true,
  source text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO subsidy_rules (id, scheme, authority, region_prefix, min_amount, rate, cap, transaction_modes,
                           challenge_winners, source) VALUES
  ('zj-2019-standard', 'zhejiang-province', '浙江省科学技术厅', '33', 1000000, 0.15, 1000000, '{}', false,
   '浙江省技术转移体系建设实施方案 (2019): 网上技术市场交易并产业化，成交额100万元以上，按实际支付额15%补助买方，最高100万元'),
  ('zj-2019-auction', 'zhejiang-province', '浙江省科学技术厅', '33', 1000000, 0.20, 2000000, '{auction}', true,
   '浙江省技术转移体系建设实施方案 (2019): 竞价(拍卖)方式成交，或省级创新挑战赛(张榜招贤)获奖项目登记结算，按20%补助，最高200万元');

-- Down Migration
