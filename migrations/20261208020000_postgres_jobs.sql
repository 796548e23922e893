-- Up Migration
-- Jobs on PostgreSQL alone (JOBS_BACKEND=postgres, the default without REDIS_URL): the relay moves outbox rows here in
-- the transaction that marks them relayed, so a job is queued exactly once; workers claim due rows with SKIP LOCKED
-- under a lease, which a worker that dies lets lapse so another takes the job up.
CREATE TYPE queued_job_state AS ENUM ('waiting', 'active', 'completed', 'failed');

CREATE TABLE queued_jobs (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  name text NOT NULL,
  -- The job's deterministic id (JOB_DEFINITIONS): a second enqueue of it is a no-op while the row is kept.
  job_id text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  state queued_job_state NOT NULL DEFAULT 'waiting',
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts smallint NOT NULL CHECK (attempts >= 1),
  -- Attempts started so far; the backoff after the n-th failure is backoff_ms * 2^(n-1).
  attempts_made smallint NOT NULL DEFAULT 0,
  backoff_ms integer NOT NULL DEFAULT 0,
  -- A scheduled job (everyMs): after each run it waits this long again instead of completing.
  every_ms integer,
  -- The claim of the worker running it, and until when that claim holds without a heartbeat.
  lease uuid,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
-- What workers look for: due jobs of a queue, and claims that lapsed.
CREATE INDEX queued_jobs_due ON queued_jobs (queue, run_at, id) WHERE state = 'waiting';
CREATE INDEX queued_jobs_claimed ON queued_jobs (queue, locked_until) WHERE state = 'active';
CREATE INDEX queued_jobs_finished ON queued_jobs (finished_at) WHERE state IN ('completed', 'failed');

-- Workers wake when jobs are queued, as the relay wakes on the outbox.
CREATE FUNCTION notify_queued_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('queued_jobs', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER queued_jobs_notify AFTER INSERT ON queued_jobs FOR EACH STATEMENT EXECUTE FUNCTION notify_queued_jobs();

-- Request budgets shared by every API process (rate-limiter-flexible's RateLimiterPostgres, table made here).
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
