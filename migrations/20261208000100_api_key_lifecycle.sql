-- Up Migration
-- API keys expire (at most a set number of days after their creation) and show when they were last used.
-- Keys made before expiry existed, and keys written by hand, get a year, the service's default (API_KEY_TTL_DAYS);
-- the service sets each new key's expiry itself.
ALTER TABLE api_keys
  ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '365 days',
  ADD COLUMN last_used_at timestamptz;

-- Every API process drops a revoked key from its cache when told: a revocation (by the API, the command line or by
-- hand) sends the key's id on channel `api_key_revoked`, delivered at commit. The processes' short cache stays the
-- net for a process whose listening connection was down.
CREATE FUNCTION notify_api_key_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_key_revoked', NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER api_key_revoked AFTER UPDATE OF revoked_at ON api_keys
  FOR EACH ROW WHEN (NEW.revoked_at IS NOT NULL)
  EXECUTE FUNCTION notify_api_key_revoked();
