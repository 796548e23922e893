-- Up Migration
-- Organisations, API keys, and the four kinds of profile (achievements, demands, experts, brokers). Every profile
-- that is embedded keeps its content hash, the model id and vector of its embedding, and its embedding status.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TYPE organisation_kind AS ENUM ('university', 'institute', 'enterprise', 'transfer_organisation', 'programme');
CREATE TYPE api_role AS ENUM ('admin', 'enterprise', 'institution', 'broker', 'programme');
CREATE TYPE embedding_status AS ENUM ('pending', 'ready', 'failed');
CREATE TYPE transaction_mode AS ENUM ('listing', 'auction', 'negotiated');
CREATE TYPE achievement_status AS ENUM ('draft', 'listed', 'under_negotiation', 'traded', 'withdrawn');
CREATE TYPE demand_status AS ENUM ('draft', 'open', 'closed', 'withdrawn');
CREATE TYPE visibility AS ENUM ('public', 'private');

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind organisation_kind NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  region_code char(6) NOT NULL,
  credit_code char(18) UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE achievements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  title text NOT NULL,
  abstract text NOT NULL,
  keywords text[] NOT NULL DEFAULT '{}',
  industry_code text,
  discipline_code text,
  readiness_level smallint NOT NULL CHECK (readiness_level BETWEEN 1 AND 9),
  patents jsonb NOT NULL DEFAULT '[]',
  green boolean NOT NULL DEFAULT false,
  transaction_mode transaction_mode NOT NULL DEFAULT 'negotiated',
  asking_price numeric(16, 2) CHECK (asking_price >= 0),
  cooperation_modes text[] NOT NULL DEFAULT '{}',
  inventors text[] NOT NULL DEFAULT '{}',
  region_code char(6) NOT NULL,
  status achievement_status NOT NULL DEFAULT 'listed',
  visibility visibility NOT NULL DEFAULT 'public',
  content_hash text NOT NULL,
  embedding_status embedding_status NOT NULL DEFAULT 'pending',
  embedding_error text,
  embedding_model text,
  embedding bytea,
  embedded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX achievements_organisation ON achievements (organisation_id, id);
CREATE INDEX achievements_updated ON achievements (updated_at, id);

CREATE TABLE demands (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  title text NOT NULL,
  description text NOT NULL,
  keywords text[] NOT NULL DEFAULT '{}',
  industry_code text,
  region_code char(6) NOT NULL,
  budget_min numeric(16, 2) CHECK (budget_min >= 0),
  budget_max numeric(16, 2) CHECK (budget_max >= 0),
  cooperation_modes text[] NOT NULL DEFAULT '{}',
  min_readiness_level smallint CHECK (min_readiness_level BETWEEN 1 AND 9),
  deadline date,
  challenge_prize numeric(16, 2) CHECK (challenge_prize >= 0),
  green_preferred boolean NOT NULL DEFAULT false,
  status demand_status NOT NULL DEFAULT 'open',
  confidential_fields text[] NOT NULL DEFAULT '{}',
  content_hash text NOT NULL,
  embedding_status embedding_status NOT NULL DEFAULT 'pending',
  embedding_error text,
  embedding_model text,
  embedding bytea,
  embedded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max)
);
CREATE INDEX demands_organisation ON demands (organisation_id, id);
CREATE INDEX demands_updated ON demands (updated_at, id);

CREATE TABLE experts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  expertise text NOT NULL,
  discipline_codes text[] NOT NULL DEFAULT '{}',
  region_codes text[] NOT NULL DEFAULT '{}',
  -- Set when the expert is a commissioner (科技特派员) of that programme.
  programme_id uuid REFERENCES organisations (id),
  active boolean NOT NULL DEFAULT true,
  content_hash text NOT NULL,
  embedding_status embedding_status NOT NULL DEFAULT 'pending',
  embedding_error text,
  embedding_model text,
  embedding bytea,
  embedded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experts_organisation ON experts (organisation_id, id);
CREATE INDEX experts_updated ON experts (updated_at, id);

CREATE TABLE brokers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  expertise text NOT NULL,
  industry_codes text[] NOT NULL DEFAULT '{}',
  region_codes text[] NOT NULL DEFAULT '{}',
  capacity integer NOT NULL DEFAULT 20 CHECK (capacity >= 0),
  active boolean NOT NULL DEFAULT true,
  content_hash text NOT NULL,
  embedding_status embedding_status NOT NULL DEFAULT 'pending',
  embedding_error text,
  embedding_model text,
  embedding bytea,
  embedded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX brokers_organisation ON brokers (organisation_id, id);
CREATE INDEX brokers_updated ON brokers (updated_at, id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- sha256 of the secret; the secret itself is shown once, at creation, and never stored.
  secret_hash bytea NOT NULL UNIQUE,
  prefix text NOT NULL,
  role api_role NOT NULL,
  organisation_id uuid REFERENCES organisations (id),
  -- A broker's key acts for that broker (its inbox of leads).
  broker_id uuid REFERENCES brokers (id),
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (role = 'admin' OR organisation_id IS NOT NULL),
  CHECK ((role = 'broker') = (broker_id IS NOT NULL))
);

-- A retried write with the same Idempotency-Key returns the first answer instead of acting twice.
CREATE TABLE idempotency_keys (
  api_key_id uuid NOT NULL REFERENCES api_keys (id),
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api_key_id, key)
);

-- Down Migration
