-- Up Migration
-- changed_at moves on every write to a profile (text, status or vector), so that each search index copy can catch up
-- with what changed since its snapshot by an index range scan.

CREATE FUNCTION touch_changed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_at := clock_timestamp();
  RETURN NEW;
END;
$$;

ALTER TABLE achievements ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
ALTER TABLE demands ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
ALTER TABLE experts ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
ALTER TABLE brokers ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();

CREATE TRIGGER achievements_changed BEFORE INSERT OR UPDATE ON achievements FOR EACH ROW EXECUTE FUNCTION touch_changed_at();
CREATE TRIGGER demands_changed BEFORE INSERT OR UPDATE ON demands FOR EACH ROW EXECUTE FUNCTION touch_changed_at();
CREATE TRIGGER experts_changed BEFORE INSERT OR UPDATE ON experts FOR EACH ROW EXECUTE FUNCTION touch_changed_at();
CREATE TRIGGER brokers_changed BEFORE INSERT OR UPDATE ON brokers FOR EACH ROW EXECUTE FUNCTION touch_changed_at();

CREATE INDEX achievements_changed_at ON achievements (changed_at, id);
CREATE INDEX demands_changed_at ON demands (changed_at, id);
CREATE INDEX experts_changed_at ON experts (changed_at, id);
CREATE INDEX brokers_changed_at ON brokers (changed_at, id);

-- Down Migration
