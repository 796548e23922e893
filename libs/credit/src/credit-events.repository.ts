import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
import type { CreditEvent, CreditEventKind, CreditSubject, CreditSubjectKind } from './credit-score';

type Row = Record<string, unknown>;

/**
 * The credit events of some subjects, read from the rows that prove them: one row per (event, subject). A read model
 * over the leads' and challenges' tables (it never writes them): `facts` are the events, `subjects` who each one is
 * about. Only the leads that can hold a wanted subject's event are read (`scope`): those its brokers hold or were
 * offered, and those its demands, achievements, experts or challenges are in; and each branch of `subjects` keeps the
 * wanted subjects only. Without that, every read cost as much as the whole market (`npm run bench:credit`).
 * $1: the idle time (an interval) after which an accepted lead without a move counts as left;
 * $2, $3: the wanted subjects' kinds and ids.
 */
const EVENTS = `
  WITH wanted AS (SELECT * FROM unnest($2::text[], $3::uuid[]) w(kind, id)),
  wanted_organisations AS (SELECT id FROM wanted WHERE kind = 'organisation'),
  wanted_brokers AS (
    SELECT id FROM wanted WHERE kind = 'broker'
    UNION
    SELECT b.id FROM brokers b WHERE b.organisation_id IN (SELECT id FROM wanted_organisations)
  ),
  -- An array, not a join: the planner took a join with these leads for thousands and hashed the whole market.
  scope AS (SELECT array_agg(DISTINCT id) AS ids FROM (
    SELECT l.id FROM leads l WHERE l.broker_id IN (SELECT id FROM wanted_brokers)
    UNION
    SELECT o.lead_id FROM lead_offers o WHERE o.broker_id IN (SELECT id FROM wanted_brokers)
    UNION
    SELECT l.id FROM leads l JOIN demands d ON d.id = l.demand_id
     WHERE d.organisation_id IN (SELECT id FROM wanted_organisations)
    UNION
    SELECT l.id FROM leads l JOIN achievements a ON l.partner_kind = 'achievement' AND a.id = l.partner_id
     WHERE a.organisation_id IN (SELECT id FROM wanted_organisations)
    UNION
    SELECT l.id FROM leads l JOIN experts x ON l.partner_kind = 'expert' AND x.id = l.partner_id
     WHERE x.organisation_id IN (SELECT id FROM wanted_organisations)
    UNION
    SELECT c.lead_id FROM challenges c
     WHERE c.organisation_id IN (SELECT id FROM wanted_organisations) AND c.lead_id IS NOT NULL
  ) s),
  facts AS (
    SELECT k.kind, 'lead_event' AS source_kind, e.id::text AS source_id, e.lead_id, e.at, l.broker_id,
           true AS parties
      FROM lead_events e
      JOIN leads l ON l.id = e.lead_id
     CROSS JOIN LATERAL (
       SELECT 'contract_signed' AS kind
       UNION ALL
       SELECT 'settled_on_exchange' WHERE coalesce((l.contract ->> 'settledOnExchange')::boolean, false)
     ) k
     WHERE e.lead_id = ANY ((SELECT ids FROM scope)::uuid[])
       AND e.to_state = 'contract_signed' AND l.contract ->> 'registrationNumber' IS NOT NULL
    UNION ALL
    SELECT e.to_state::text, 'lead_event', e.id::text, e.lead_id, e.at, l.broker_id, false
      FROM lead_events e JOIN leads l ON l.id = e.lead_id
     WHERE e.lead_id = ANY ((SELECT ids FROM scope)::uuid[])
       AND e.to_state IN ('closed_won', 'closed_lost') AND l.broker_id IS NOT NULL
    UNION ALL
    SELECT 'offer_lapsed', 'offer', o.id::text, o.lead_id, least(o.due_at, coalesce(o.responded_at, o.due_at)),
           o.broker_id, false
      FROM lead_offers o WHERE o.lead_id = ANY ((SELECT ids FROM scope)::uuid[]) AND o.outcome = 'expired'
    UNION ALL
    SELECT 'accepted_idle', 'offer', o.id::text, o.lead_id, o.responded_at + $1::interval, o.broker_id, false
      FROM lead_offers o
     WHERE o.lead_id = ANY ((SELECT ids FROM scope)::uuid[])
       AND o.outcome = 'accepted' AND o.responded_at + $1::interval <= now()
       AND NOT EXISTS (SELECT 1 FROM lead_events e
                        WHERE e.lead_id = o.lead_id AND e.to_state NOT IN ('unassigned', 'offered', 'accepted')
                          AND e.at > o.responded_at AND e.at <= o.responded_at + $1::interval)
    UNION ALL
    SELECT 'declined_after_acceptance', 'lead_event', e.id::text, e.lead_id, e.at, acc.broker_id, false
      FROM lead_events e
     CROSS JOIN LATERAL (SELECT o.broker_id FROM lead_offers o
                          WHERE o.lead_id = e.lead_id AND o.outcome = 'accepted'
                          ORDER BY o.responded_at DESC LIMIT 1) acc
     WHERE e.lead_id = ANY ((SELECT ids FROM scope)::uuid[])
       AND e.to_state = 'declined' AND e.from_state IN ('accepted', 'contacted', 'negotiating')
  ),
  awards AS (
    SELECT CASE WHEN e.to_state = 'contract_signed' THEN 'award_honoured' ELSE 'award_not_honoured' END AS kind,
           e.id::text AS source_id, e.lead_id, e.at, c.organisation_id
      FROM challenges c JOIN lead_events e ON e.lead_id = c.lead_id
     WHERE c.state = 'awarded' AND c.organisation_id IN (SELECT id FROM wanted_organisations)
       AND (e.to_state = 'contract_signed'
            OR (e.to_state IN ('declined', 'closed_lost')
                AND NOT EXISTS (SELECT 1 FROM lead_events s WHERE s.lead_id = c.lead_id AND s.to_state = 'contract_signed')))
  ),
  subjects AS (
    SELECT f.kind, f.source_kind, f.source_id, f.lead_id, f.at, 'broker' AS subject_kind, f.broker_id AS subject_id
      FROM facts f WHERE f.broker_id IN (SELECT id FROM wanted WHERE kind = 'broker')
    UNION ALL
    SELECT f.kind, f.source_kind, f.source_id, f.lead_id, f.at, 'organisation', b.organisation_id
      FROM facts f JOIN brokers b ON b.id = f.broker_id
     WHERE b.organisation_id IN (SELECT id FROM wanted_organisations)
    UNION ALL
    SELECT f.kind, f.source_kind, f.source_id, f.lead_id, f.at, 'organisation', p.organisation_id
      FROM facts f JOIN leads l ON l.id = f.lead_id
     CROSS JOIN LATERAL (
       SELECT d.organisation_id FROM demands d WHERE d.id = l.demand_id
       UNION
       SELECT coalesce(a.organisation_id, x.organisation_id)
         FROM (SELECT 1) one
         LEFT JOIN achievements a ON l.partner_kind = 'achievement' AND a.id = l.partner_id
         LEFT JOIN experts x ON l.partner_kind = 'expert' AND x.id = l.partner_id
     ) p
     WHERE f.parties AND p.organisation_id IN (SELECT id FROM wanted_organisations)
       AND EXISTS (SELECT 1 FROM wanted_organisations) -- no organisation wanted (assignment): the branch is skipped
    UNION ALL
    SELECT a.kind, 'lead_event', a.source_id, a.lead_id, a.at, 'organisation', a.organisation_id FROM awards a
    UNION ALL
    SELECT 'bad_faith_report', 'report', r.id::text, NULL, r.filed_at, r.subject_kind, r.subject_id
      FROM credit_reports r WHERE (r.subject_kind, r.subject_id) IN (SELECT kind, id FROM wanted)
  )
  SELECT DISTINCT ON (kind, source_kind, source_id, subject_kind, subject_id) * FROM subjects`;

/** Credit events and the reports operators file; the events are read, never stored (see the migration). */
@Injectable()
export class CreditEventsRepository {
  constructor(private readonly db: Db) {}

  /** The organisation a subject belongs to (an organisation, itself) and its name; undefined when there is none. */
  async subject(kind: CreditSubjectKind, id: string): Promise<{ organisationId: string; name: string } | undefined> {
    const row = await this.db.one<{ organisation_id: string; name: string }>(
      kind === 'organisation'
        ? 'SELECT id AS organisation_id, name FROM organisations WHERE id = $1'
        : 'SELECT organisation_id, name FROM brokers WHERE id = $1',
      [id],
    );
    return row && { organisationId: row.organisation_id, name: row.name };
  }

  /** The events of these subjects, oldest first; read on `on` (a transaction's client when the caller holds one). */
  async eventsOf(
    subjects: readonly CreditSubject[],
    idleHours: number,
    on: Queryable = this.db.pool,
  ): Promise<CreditEvent[]> {
    if (subjects.length === 0) return [];
    const kinds = subjects.map((s) => s.kind);
    const ids = subjects.map((s) => s.id);
    const { rows } = await on.query<Row>(`SELECT * FROM (${EVENTS}) ev ORDER BY at, kind, source_id`, [
      `${idleHours} hours`,
      kinds,
      ids,
    ]);
    return rows.map(toEvent);
  }
}

function toEvent(r: Row): CreditEvent {
  const subject = { kind: r.subject_kind as CreditSubjectKind, id: String(r.subject_id) };
  const kind = r.kind as CreditEventKind;
  return {
    id: `${kind}:${String(r.source_kind)}:${String(r.source_id)}`,
    subject,
    kind,
    at: (r.at as Date).toISOString(),
    source: { kind: r.source_kind as CreditEvent['source']['kind'], id: String(r.source_id) },
    leadId: (r.lead_id as string | null) ?? null,
  };
}
