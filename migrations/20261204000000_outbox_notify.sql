-- Relays wake when outbox rows are committed instead of at their next poll: every statement that adds rows sends
-- one notification on channel `outbox`, delivered at commit (and not at all on rollback). Polling stays as the net
-- for a relay whose listening connection is down.
CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
