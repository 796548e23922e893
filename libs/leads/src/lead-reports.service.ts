import { Injectable } from '@nestjs/common';
import { ForbiddenError, isOwnerOrAdmin, mayOperate, type Actor } from '@app/access';
import { Db } from '@app/persistence';
import { ProfilesService } from '@app/profiles';
import type { DeclineReason } from './lead-lifecycle';

export type FunnelDimension = 'organisation' | 'broker' | 'industry' | 'region';

export interface FunnelRow {
  key: string | null;
  label: string | null;
  created: number;
  offered: number;
  accepted: number;
  contracted: number;
  contractAmount: number;
}

export interface RankingRow {
  rank: number;
  organisationId: string;
  name: string;
  contracts: number;
  amount: number;
  /** Top ten with more than 20,000,000 CNY brokered: eligible for the province's reward (at most 500,000 CNY). */
  rewardEligible: boolean;
}

/** The plan's yearly ranking rule (DOMAIN.md). */
export const RANKING_RULE = { top: 10, minAmount: 20_000_000, maxReward: 500_000 } as const;

const DIMENSION_SQL: Record<FunnelDimension, { key: string; label: string }> = {
  // The transfer organisation of the broker who holds (or last held) the lead.
  organisation: { key: 'bo.id::text', label: 'bo.name' },
  broker: { key: 'b.id::text', label: 'b.name' },
  // GB/T 4754 division (two digits) and city (GB/T 2260, four digits + 00) of the demand.
  industry: { key: 'left(d.industry_code, 2)', label: 'left(d.industry_code, 2)' },
  region: { key: "left(d.region_code, 4) || '00'", label: "left(d.region_code, 4) || '00'" },
};

type Row = Record<string, unknown>;

/** What operators watch: the funnel, the yearly ranking; and what owners learn from declines. */
@Injectable()
export class LeadReportsService {
  constructor(
    private readonly db: Db,
    private readonly profiles: ProfilesService,
  ) {}

  /** Leads created in [from, to) that reached each stage, grouped by one dimension. */
  async funnel(actor: Actor, by: FunnelDimension, from: string, to: string): Promise<FunnelRow[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the funnel');
    const dim = DIMENSION_SQL[by];
    const rows = await this.db.query<Row>(
      `WITH reached AS (
         SELECT e.lead_id,
                bool_or(e.to_state = 'offered') AS offered,
                bool_or(e.to_state = 'accepted') AS accepted,
                bool_or(e.to_state = 'contract_signed') AS contracted
           FROM lead_events e GROUP BY e.lead_id)
       SELECT ${dim.key} AS key, ${dim.label} AS label, count(*)::int AS created,
              count(*) FILTER (WHERE r.offered)::int AS offered,
              count(*) FILTER (WHERE r.accepted)::int AS accepted,
              count(*) FILTER (WHERE r.contracted)::int AS contracted,
              COALESCE(sum(l.contract_amount) FILTER (WHERE r.contracted), 0)::float8 AS amount
         FROM leads l
         JOIN reached r ON r.lead_id = l.id
         JOIN demands d ON d.id = l.demand_id
         LEFT JOIN LATERAL (SELECT broker_id FROM lead_offers WHERE lead_id = l.id ORDER BY attempt DESC LIMIT 1) last
           ON true
         LEFT JOIN brokers b ON b.id = COALESCE(l.broker_id, last.broker_id)
         LEFT JOIN organisations bo ON bo.id = b.organisation_id
        WHERE l.created_at >= $1::date AND l.created_at < $2::date
        GROUP BY 1, 2 ORDER BY created DESC, key`,
      [from, to],
    );
    return rows.map((r) => ({
      key: (r.key as string | null) ?? null,
      label: (r.label as string | null) ?? null,
      created: Number(r.created),
      offered: Number(r.offered),
      accepted: Number(r.accepted),
      contracted: Number(r.contracted),
      contractAmount: Number(r.amount),
    }));
  }

  /** Transfer organisations by the amount their brokers' contracts signed in `year` add up to. */
  async ranking(actor: Actor, year: number): Promise<RankingRow[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the ranking');
    const rows = await this.db.query<Row>(
      `SELECT o.id, o.name, count(*)::int AS contracts, sum(l.contract_amount)::float8 AS amount
         FROM leads l JOIN brokers b ON b.id = l.broker_id JOIN organisations o ON o.id = b.organisation_id
        WHERE l.state IN ('contract_signed', 'closed_won')
          AND l.contract_signed_at >= make_date($1, 1, 1) AND l.contract_signed_at < make_date($1 + 1, 1, 1)
        GROUP BY o.id, o.name ORDER BY amount DESC, o.name`,
      [year],
    );
    return rows.map((r, i) => ({
      rank: i + 1,
      organisationId: String(r.id),
      name: String(r.name),
      contracts: Number(r.contracts),
      amount: Number(r.amount),
      rewardEligible: i < RANKING_RULE.top && Number(r.amount) > RANKING_RULE.minAmount,
    }));
  }

  /** Why the leads of an achievement, expert or demand were declined, by reason: for its owner. */
  async declineReasons(
    actor: Actor,
    kind: 'achievement' | 'expert' | 'demand',
    id: string,
  ): Promise<{ total: number; reasons: { reason: DeclineReason; count: number; notes: string[] }[] }> {
    const record = await this.profiles.get(actor, kind, id);
    if (!isOwnerOrAdmin(actor, record.organisationId))
      throw new ForbiddenError(`read the decline reasons of this ${kind}`);
    const rows = await this.db.query<Row>(
      `SELECT decline_reason, count(*)::int AS count,
              (array_remove(array_agg(decline_note ORDER BY updated_at DESC), NULL))[1:5] AS notes
         FROM leads
        WHERE state = 'declined' AND ${kind === 'demand' ? 'demand_id = $1' : 'partner_kind = $2 AND partner_id = $1'}
        GROUP BY decline_reason ORDER BY count DESC, decline_reason`,
      kind === 'demand' ? [id] : [id, kind],
    );
    const reasons = rows.map((r) => ({
      reason: r.decline_reason as DeclineReason,
      count: Number(r.count),
      notes: (r.notes as string[] | null) ?? [],
    }));
    return { total: reasons.reduce((s, r) => s + r.count, 0), reasons };
  }
}
