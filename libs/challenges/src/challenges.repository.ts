import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR_ID, type Actor } from '@app/access';
import { Db, decodeCursor, encodeCursor, type Queryable } from '@app/persistence';
import type { ChallengeState } from './challenge-lifecycle';
import type {
  Challenge,
  ChallengeEvent,
  ChallengeFilter,
  ChallengeParties,
  EventActor,
  NewChallenge,
} from './challenges.types';

type Row = Record<string, unknown>;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** Columns of a challenge, with the organisations of its judges and registered solvers (for the access policy). */
const SELECT_CHALLENGE = `
  SELECT c.*, c.created_at::text AS created_at_text,
         ARRAY(SELECT DISTINCT e.organisation_id FROM experts e WHERE e.id = ANY (c.judge_expert_ids)) AS judge_orgs,
         (SELECT coalesce(json_agg(json_build_object('organisationId', o.id, 'kind', o.kind, 'regionCode', o.region_code)),
                          '[]')
            FROM challenge_registrations r JOIN organisations o ON o.id = r.organisation_id
           WHERE r.challenge_id = c.id) AS registered
    FROM challenges c`;

export type ChallengeRow = Challenge & { parties: ChallengeParties };

function toChallenge(row: Row): ChallengeRow {
  return {
    id: row.id as string,
    demandId: row.demand_id as string,
    organisationId: row.organisation_id as string,
    title: row.title as string,
    statement: row.statement as string,
    confidentialDetails: (row.confidential_details as string | null) ?? null,
    terms: row.terms as string,
    prizeAmount: Number(row.prize_amount),
    prizeFor: row.prize_for as string,
    deadline: iso(row.deadline)!,
    eligibleRegions: row.eligible_regions as string[],
    eligibleKinds: enumArray(row.eligible_kinds) as Challenge['eligibleKinds'],
    criteria: row.criteria as Challenge['criteria'],
    judgeExpertIds: row.judge_expert_ids as string[],
    industryCode: (row.industry_code as string | null) ?? null,
    regionCode: row.region_code as string,
    state: row.state as ChallengeState,
    stateReason: (row.state_reason as string | null) ?? null,
    awardedProposalId: (row.awarded_proposal_id as string | null) ?? null,
    leadId: (row.lead_id as string | null) ?? null,
    openedAt: iso(row.opened_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    parties: {
      judgeOrganisationIds: (row.judge_orgs as string[] | null) ?? [],
      registered: row.registered as ChallengeParties['registered'],
    },
  };
}

/** pg reads a text[] of an enum as a string '{a,b}'; the array is what the record holds. */
function enumArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  const text = typeof value === 'string' ? value : '{}';
  return text === '{}' ? [] : text.slice(1, -1).split(',');
}

/** The SQL of challenges, their events and registrations. */
@Injectable()
export class ChallengesRepository {
  constructor(private readonly db: Db) {}

  async insert(
    tx: Queryable,
    owner: { organisationId: string; regionCode: string; industryCode: string | null },
    c: NewChallenge,
  ): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO challenges (demand_id, organisation_id, title, statement, confidential_details, terms, prize_amount,
         prize_for, deadline, eligible_regions, eligible_kinds, criteria, judge_expert_ids, industry_code, region_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::organisation_kind[], $12, $13, $14, $15) RETURNING id`,
      [
        c.demandId,
        owner.organisationId,
        c.title,
        c.statement,
        c.confidentialDetails,
        c.terms,
        c.prizeAmount,
        c.prizeFor,
        c.deadline,
        c.eligibleRegions,
        c.eligibleKinds,
        JSON.stringify(c.criteria),
        c.judgeExpertIds,
        owner.industryCode,
        owner.regionCode,
      ],
    );
    return rows[0].id;
  }

  async find(id: string, tx: Queryable = this.db.pool, forUpdate = false): Promise<ChallengeRow | undefined> {
    const { rows } = await tx.query<Row>(`${SELECT_CHALLENGE} WHERE c.id = $1 ${forUpdate ? 'FOR UPDATE OF c' : ''}`, [
      id,
    ]);
    return rows[0] ? toChallenge(rows[0]) : undefined;
  }

  /** Changes the fields given (a draft's, or an open challenge's deadline). */
  async update(tx: Queryable, id: string, patch: Partial<NewChallenge>): Promise<void> {
    const columns: Record<keyof NewChallenge, string> = {
      demandId: 'demand_id',
      title: 'title',
      statement: 'statement',
      confidentialDetails: 'confidential_details',
      terms: 'terms',
      prizeAmount: 'prize_amount',
      prizeFor: 'prize_for',
      deadline: 'deadline',
      eligibleRegions: 'eligible_regions',
      eligibleKinds: 'eligible_kinds',
      criteria: 'criteria',
      judgeExpertIds: 'judge_expert_ids',
    };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [field, value] of Object.entries(patch) as [keyof NewChallenge, unknown][]) {
      if (value === undefined) continue;
      params.push(field === 'criteria' ? JSON.stringify(value) : value);
      sets.push(`${columns[field]} = $${params.length}${field === 'eligibleKinds' ? '::organisation_kind[]' : ''}`);
    }
    if (sets.length === 0) return;
    await tx.query(`UPDATE challenges SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  /** Moves the state if it is still `from` (false when another move came first), with its event. */
  async move(
    tx: Queryable,
    id: string,
    from: ChallengeState,
    to: ChallengeState,
    event: { actor: Actor | typeof SYSTEM_ACTOR_ID; reason?: string | null },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE challenges SET state = $3::challenge_state, updated_at = now(),
              state_reason = CASE WHEN $3::challenge_state IN ('cancelled', 'closed') THEN $4 ELSE state_reason END,
              opened_at = CASE WHEN $3::challenge_state = 'open' THEN now() ELSE opened_at END
        WHERE id = $1 AND state = $2::challenge_state`,
      [id, from, to, event.reason ?? null],
    );
    if (rowCount === 0) return false;
    await this.addEvent(tx, id, { fromState: from, toState: to, actor: event.actor, reason: event.reason ?? null });
    return true;
  }

  async setAward(tx: Queryable, id: string, proposalId: string, leadId: string): Promise<void> {
    await tx.query('UPDATE challenges SET awarded_proposal_id = $2, lead_id = $3 WHERE id = $1', [
      id,
      proposalId,
      leadId,
    ]);
  }

  /** Records a move with who made it: the key for the record, and the organisation (or operator) readers are shown. */
  async addEvent(
    tx: Queryable,
    id: string,
    e: {
      fromState: ChallengeState | null;
      toState: ChallengeState;
      actor: Actor | typeof SYSTEM_ACTOR_ID;
      reason?: string | null;
      deadline?: string;
    },
  ): Promise<void> {
    const [key, kind, organisationId] =
      e.actor === SYSTEM_ACTOR_ID
        ? [SYSTEM_ACTOR_ID, 'system', null]
        : e.actor.role === 'admin'
          ? [e.actor.apiKeyId, 'operator', null]
          : [e.actor.apiKeyId, 'organisation', e.actor.organisationId];
    await tx.query(
      `INSERT INTO challenge_events (challenge_id, from_state, to_state, actor, actor_kind, actor_organisation_id,
                                     reason, deadline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, e.fromState, e.toState, key, kind, organisationId, e.reason ?? null, e.deadline ?? null],
    );
  }

  async events(id: string): Promise<ChallengeEvent[]> {
    const rows = await this.db.query<Row>(
      `SELECT e.*, o.name AS actor_organisation_name
         FROM challenge_events e LEFT JOIN organisations o ON o.id = e.actor_organisation_id
        WHERE e.challenge_id = $1 ORDER BY e.id`,
      [id],
    );
    return rows.map((r) => ({
      fromState: (r.from_state as ChallengeState | null) ?? null,
      toState: r.to_state as ChallengeState,
      actor: {
        kind: r.actor_kind as EventActor['kind'],
        organisationId: (r.actor_organisation_id as string | null) ?? null,
        organisationName: (r.actor_organisation_name as string | null) ?? null,
      },
      reason: (r.reason as string | null) ?? null,
      deadline: iso(r.deadline),
      at: iso(r.at)!,
    }));
  }

  /**
   * Newest first, by (created_at, id). Challenges never opened are left out but for `draftsOf`'s organisation (or
   * all of them, for operators).
   */
  async list(
    filter: ChallengeFilter & { draftsOf?: { organisationId: string | null } | 'all' },
    limit: number,
    cursor?: string,
  ): Promise<{ items: ChallengeRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.states?.length) add((p) => `c.state = ANY (${p}::challenge_state[])`, filter.states);
    if (filter.draftsOf !== 'all') {
      // A challenge never opened (a draft, or cancelled as one) is its owner's alone.
      if (filter.draftsOf?.organisationId)
        add((p) => `(c.opened_at IS NOT NULL OR c.organisation_id = ${p})`, filter.draftsOf.organisationId);
      else where.push('c.opened_at IS NOT NULL');
    }
    if (filter.organisationId) add((p) => `c.organisation_id = ${p}`, filter.organisationId);
    if (filter.regionCode) add((p) => `c.region_code LIKE ${p} || '%'`, filter.regionCode.replace(/(00)+$/, ''));
    if (filter.industryCode) add((p) => `c.industry_code LIKE ${p} || '%'`, filter.industryCode);
    if (filter.prizeMin !== undefined) add((p) => `c.prize_amount >= ${p}`, filter.prizeMin);
    if (filter.prizeMax !== undefined) add((p) => `c.prize_amount <= ${p}`, filter.prizeMax);
    if (filter.deadlineBefore) add((p) => `c.deadline <= ${p}`, filter.deadlineBefore);
    if (filter.deadlineAfter) add((p) => `c.deadline >= ${p}`, filter.deadlineAfter);
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      params.push(createdAt, id);
      where.push(`(c.created_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await this.db.query<Row>(
      `${SELECT_CHALLENGE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return {
      items: page.map(toChallenge),
      nextCursor: last ? encodeCursor(last.created_at_text as string, last.id as string) : null,
    };
  }

  /** Open challenges whose deadline has passed. */
  async dueForReview(limit = 100): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM challenges WHERE state = 'open' AND deadline <= now() ORDER BY deadline LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Records a solver's registration and acceptance of the terms; a second one changes nothing. */
  async register(challengeId: string, organisationId: string, apiKeyId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO challenge_registrations (challenge_id, organisation_id, api_key_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [challengeId, organisationId, apiKeyId],
    );
  }

  /** Experts that exist and are active, of the ids given. */
  async activeExperts(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM experts WHERE id = ANY ($1::uuid[]) AND active`, [
      ids,
    ]);
    return new Set(rows.map((r) => r.id));
  }
}
