-- Up Migration
-- A judge is counted once, whichever of its keys scored: scores are kept per judging organisation (the owner's, or
-- the organisation of an expert named as judge), the key that last scored kept beside them for the record.
ALTER TABLE proposal_scores ADD COLUMN judge_organisation_id uuid REFERENCES organisations (id);
UPDATE proposal_scores s SET judge_organisation_id = k.organisation_id FROM api_keys k WHERE k.id::text = s.api_key_id;
-- Only organisations' keys judge (operators see the scores but do not score): no row lacks one but by a lost key.
DELETE FROM proposal_scores WHERE judge_organisation_id IS NULL;
-- Of several keys of one organisation, the latest score of each criterion stands.
DELETE FROM proposal_scores s
 USING proposal_scores t
 WHERE s.proposal_id = t.proposal_id AND s.criterion = t.criterion
   AND s.judge_organisation_id = t.judge_organisation_id
   AND (s.scored_at, s.api_key_id) < (t.scored_at, t.api_key_id);
ALTER TABLE proposal_scores DROP CONSTRAINT proposal_scores_pkey;
ALTER TABLE proposal_scores ALTER COLUMN judge_organisation_id SET NOT NULL;
ALTER TABLE proposal_scores ADD PRIMARY KEY (proposal_id, judge_organisation_id, criterion);

-- Who moved a challenge, as a reader may know it: the service itself, an operator, or an organisation. The key id in
-- `actor` stays for the record and is never shown.
CREATE TYPE event_actor_kind AS ENUM ('system', 'operator', 'organisation');
ALTER TABLE challenge_events
  ADD COLUMN actor_kind event_actor_kind,
  ADD COLUMN actor_organisation_id uuid REFERENCES organisations (id);
UPDATE challenge_events e
   SET actor_organisation_id = (SELECT k.organisation_id FROM api_keys k WHERE k.id::text = e.actor AND k.role <> 'admin');
UPDATE challenge_events e
   SET actor_kind = CASE WHEN e.actor_organisation_id IS NOT NULL THEN 'organisation'::event_actor_kind
                         WHEN EXISTS (SELECT 1 FROM api_keys k WHERE k.id::text = e.actor AND k.role = 'admin')
                           THEN 'operator'
                         ELSE 'system' END;
ALTER TABLE challenge_events ALTER COLUMN actor_kind SET NOT NULL;
ALTER TABLE challenge_events
  ADD CHECK ((actor_kind = 'organisation') = (actor_organisation_id IS NOT NULL));
