import { Injectable } from '@nestjs/common';
import { Db, decodeCursor, encodeCursor, type Queryable } from '@app/persistence';
import type { LeadState } from './lead-lifecycle';
import type { Lead, LeadEvent, LeadParties, NewLead, PartnerKind } from './leads.types';
import { iso, OPEN } from './row-values';

type Row = Record<string, unknown>;

/** Filters of a lead list; the service fills in what the actor's role restricts it to. */
export interface LeadFilter {
  brokerId?: string;
  demandOrganisationId?: string;
  partnerOrganisationId?: string;
  /** Leads whose demand or partner belongs to this organisation. */
  involvingOrganisationId?: string;
  state?: LeadState;
  escalated?: boolean;
  /** Offered leads whose service level ends within `dueSoonMs`, or has ended. */
  due?: 'soon' | 'overdue';
  dueSoonMs?: number;
  demandId?: string;
  partnerId?: string;
}

export interface LeadRow extends Lead {
  parties: LeadParties;
  dueAt: string | null;
  /** Titles for lists: a demand's title is never confidential. */
  demandTitle: string;
  partnerTitle: string;
  /** The lead's current broker accepted its offer (what widens the broker's view of the demand). */
  brokerAccepted: boolean;
}

const SELECT_LEAD = `
  SELECT l.*, l.created_at::text AS created_at_text, d.organisation_id AS demand_organisation_id,
         COALESCE(a.organisation_id, e.organisation_id) AS partner_organisation_id,
         b.organisation_id AS broker_organisation_id, o.due_at,
         d.title AS demand_title, COALESCE(a.title, e.name) AS partner_title,
         EXISTS (SELECT 1 FROM lead_offers ao
                  WHERE ao.lead_id = l.id AND ao.broker_id = l.broker_id AND ao.outcome = 'accepted') AS broker_accepted
    FROM leads l
    JOIN demands d ON d.id = l.demand_id
    LEFT JOIN achievements a ON l.partner_kind = 'achievement' AND a.id = l.partner_id
    LEFT JOIN experts e ON l.partner_kind = 'expert' AND e.id = l.partner_id
    LEFT JOIN brokers b ON b.id = l.broker_id
    LEFT JOIN lead_offers o ON o.lead_id = l.id AND o.outcome IS NULL`;

/** The SQL of leads, their offers and events, and the outbox rows written with them. */
@Injectable()
export class LeadsRepository {
  constructor(readonly db: Db) {}

  /** Inserts the lead unless its pair exists; undefined then (the unique constraint decides, not a prior read). */
  async insert(tx: Queryable, lead: NewLead): Promise<Lead | undefined> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO leads (demand_id, partner_kind, partner_id, origin, score, match, state, weights_version,
                          probability, exploratory)
       VALUES ($1, $2, $3, $4, $5, $6, 'unassigned', $7, $8, $9)
       ON CONFLICT (demand_id, partner_kind, partner_id) DO NOTHING RETURNING *`,
      [
        lead.demandId,
        lead.partnerKind,
        lead.partnerId,
        lead.origin,
        lead.match.total,
        JSON.stringify(lead.match),
        lead.match.weightsVersion ?? null,
        lead.match.probability ?? null,
        lead.exploratory ?? false,
      ],
    );
    return rows[0] && toLead(rows[0]);
  }

  async find(id: string, tx: Queryable): Promise<LeadRow | undefined> {
    const { rows } = await tx.query<Row>(`${SELECT_LEAD} WHERE l.id = $1`, [id]);
    return rows[0] && toLeadRow(rows[0]);
  }

  /** Locks the lead row for the rest of the transaction: transitions of one lead are serialised. */
  async lock(tx: Queryable, id: string): Promise<LeadRow | undefined> {
    await tx.query('SELECT 1 FROM leads WHERE id = $1 FOR UPDATE', [id]);
    return this.find(id, tx);
  }

  async findByPair(
    demandId: string,
    partnerKind: string,
    partnerId: string,
    tx: Queryable = this.db.pool,
  ): Promise<LeadRow | undefined> {
    const { rows } = await tx.query<Row>(
      `${SELECT_LEAD} WHERE l.demand_id = $1 AND l.partner_kind = $2 AND l.partner_id = $3`,
      [demandId, partnerKind, partnerId],
    );
    return rows[0] && toLeadRow(rows[0]);
  }

  /**
   * A challenge's award: the lead is the challenge's, and the enterprise's consent is given (it chose the winner).
   * Done again, it changes nothing.
   */
  async markAwarded(tx: Queryable, id: string, challengeId: string): Promise<void> {
    await tx.query(
      `UPDATE leads SET challenge_id = $2, consent_at = COALESCE(consent_at, now()), updated_at = now() WHERE id = $1`,
      [id, challengeId],
    );
  }

  /** The state of every lead of one demand, or of one partner. */
  async statesOf(
    side: { demandId: string } | { partnerKind: PartnerKind; partnerId: string },
  ): Promise<{ id: string; demandId: string; partnerId: string; state: LeadState }[]> {
    const [where, params] =
      'demandId' in side
        ? ['demand_id = $1', [side.demandId]]
        : ['partner_kind = $1 AND partner_id = $2', [side.partnerKind, side.partnerId]];
    const rows = await this.db.query<{ id: string; demand_id: string; partner_id: string; state: LeadState }>(
      `SELECT id, demand_id, partner_id, state FROM leads WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({ id: r.id, demandId: r.demand_id, partnerId: r.partner_id, state: r.state }));
  }

  async list(
    filter: LeadFilter,
    limit: number,
    cursor?: string,
  ): Promise<{ items: LeadRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.brokerId) add((p) => `l.broker_id = ${p}`, filter.brokerId);
    if (filter.demandOrganisationId) add((p) => `d.organisation_id = ${p}`, filter.demandOrganisationId);
    if (filter.partnerOrganisationId)
      add((p) => `COALESCE(a.organisation_id, e.organisation_id) = ${p}`, filter.partnerOrganisationId);
    if (filter.involvingOrganisationId)
      add(
        (p) => `(d.organisation_id = ${p} OR COALESCE(a.organisation_id, e.organisation_id) = ${p})`,
        filter.involvingOrganisationId,
      );
    if (filter.state) add((p) => `l.state = ${p}`, filter.state);
    if (filter.demandId) add((p) => `l.demand_id = ${p}`, filter.demandId);
    if (filter.partnerId) add((p) => `l.partner_id = ${p}`, filter.partnerId);
    if (filter.escalated !== undefined) where.push(`l.escalated_at IS ${filter.escalated ? 'NOT ' : ''}NULL`);
    if (filter.due === 'overdue') where.push(`l.state = 'offered' AND o.due_at <= now()`);
    if (filter.due === 'soon')
      add(
        (p) => `l.state = 'offered' AND o.due_at > now() AND o.due_at <= now() + ${p} * interval '1 millisecond'`,
        filter.dueSoonMs ?? 0,
      );
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      params.push(createdAt, id);
      where.push(`(l.created_at, l.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const { rows } = await this.db.pool.query<Row>(
      `${SELECT_LEAD} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY l.created_at DESC, l.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toLeadRow);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(String(last.created_at_text), String(last.id)) : null };
  }

  async update(tx: Queryable, id: string, change: LeadChange): Promise<void> {
    const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof LeadChange, unknown][];
    await tx.query(
      `UPDATE leads SET ${entries.map(([f], i) => `${LEAD_COLUMNS[f]} = $${i + 2}`).join(', ')}, updated_at = now()
        WHERE id = $1`,
      [
        id,
        ...entries.map(([, v]) =>
          v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v,
        ),
      ],
    );
  }

  async addEvent(
    tx: Queryable,
    leadId: string,
    from: LeadState | null,
    to: LeadState,
    actor: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await tx.query('INSERT INTO lead_events (lead_id, from_state, to_state, actor, data) VALUES ($1, $2, $3, $4, $5)', [
      leadId,
      from,
      to,
      actor,
      JSON.stringify(data),
    ]);
  }

  async events(leadId: string): Promise<LeadEvent[]> {
    const rows = await this.db.query<Row>('SELECT * FROM lead_events WHERE lead_id = $1 ORDER BY id', [leadId]);
    return rows.map((r) => ({
      id: String(r.id),
      fromState: r.from_state as LeadState | null,
      toState: r.to_state as LeadState,
      actor: String(r.actor),
      data: r.data as Record<string, unknown>,
      at: iso(r.at)!,
    }));
  }

  /** Open leads whose demand or achievement was withdrawn. */
  async ofWithdrawn(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT l.id FROM leads l
         JOIN demands d ON d.id = l.demand_id
         LEFT JOIN achievements a ON l.partner_kind = 'achievement' AND a.id = l.partner_id
        WHERE l.state IN ('unassigned', ${OPEN}) AND (d.status = 'withdrawn' OR a.status = 'withdrawn')
        ORDER BY l.created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Leads waiting for a broker that were never escalated (escalated ones wait for an operator). */
  async waiting(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM leads WHERE state = 'unassigned' AND escalated_at IS NULL ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}

/** What a change of a lead may set; the repository alone knows the columns. */
export interface LeadChange {
  state?: LeadState;
  brokerId?: string | null;
  offersMade?: number;
  escalatedAt?: Date | null;
  consentAt?: Date;
  declineReason?: string;
  declineNote?: string | null;
  contract?: object;
  contractAmount?: number;
  contractSignedAt?: string;
  subsidy?: object;
}

const LEAD_COLUMNS: Record<keyof LeadChange, string> = {
  state: 'state',
  brokerId: 'broker_id',
  offersMade: 'offers_made',
  escalatedAt: 'escalated_at',
  consentAt: 'consent_at',
  declineReason: 'decline_reason',
  declineNote: 'decline_note',
  contract: 'contract',
  contractAmount: 'contract_amount',
  contractSignedAt: 'contract_signed_at',
  subsidy: 'subsidy',
};

function toLead(r: Row): Lead {
  return {
    id: String(r.id),
    demandId: String(r.demand_id),
    partnerKind: r.partner_kind as Lead['partnerKind'],
    partnerId: String(r.partner_id),
    origin: r.origin as Lead['origin'],
    challengeId: (r.challenge_id as string | null) ?? null,
    score: Number(r.score),
    match: r.match as Lead['match'],
    exploratory: r.exploratory === true,
    state: r.state as LeadState,
    brokerId: (r.broker_id as string | null) ?? null,
    offersMade: Number(r.offers_made),
    escalatedAt: iso(r.escalated_at),
    consentAt: iso(r.consent_at),
    declineReason: (r.decline_reason as Lead['declineReason']) ?? null,
    declineNote: (r.decline_note as string | null) ?? null,
    contract: (r.contract as Lead['contract']) ?? null,
    subsidy: (r.subsidy as Lead['subsidy']) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

function toLeadRow(r: Row): LeadRow {
  return {
    ...toLead(r),
    parties: {
      demandOrganisationId: String(r.demand_organisation_id),
      partnerOrganisationId: String(r.partner_organisation_id),
      brokerOrganisationId: (r.broker_organisation_id as string | null) ?? null,
    },
    dueAt: iso(r.due_at),
    demandTitle: String(r.demand_title),
    partnerTitle: String(r.partner_title),
    brokerAccepted: r.broker_accepted === true,
  };
}
