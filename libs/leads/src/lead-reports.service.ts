import { Injectable } from '@nestjs/common';
import { ForbiddenError, isOwnerOrAdmin, mayOperate, type Actor } from '@app/access';
import { ProfilesService } from '@app/profiles';
import type { DeclineReason } from './lead-lifecycle';
import { LeadReportsRepository, type FunnelDimension } from './lead-reports.repository';

export type { FunnelDimension };

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

/** What operators watch: the funnel, the yearly ranking; and what owners learn from declines. */
@Injectable()
export class LeadReportsService {
  constructor(
    private readonly reports: LeadReportsRepository,
    private readonly profiles: ProfilesService,
  ) {}

  /** Leads created in [from, to) that reached each stage, grouped by one dimension. */
  async funnel(actor: Actor, by: FunnelDimension, from: string, to: string): Promise<FunnelRow[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the funnel');
    const rows = await this.reports.funnel(by, from, to);
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
    const rows = await this.reports.ranking(year);
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
    const rows = await this.reports.declineReasons(kind, id);
    const reasons = rows.map((r) => ({
      reason: r.decline_reason as DeclineReason,
      count: Number(r.count),
      notes: (r.notes as string[] | null) ?? [],
    }));
    return { total: reasons.reduce((s, r) => s + r.count, 0), reasons };
  }
}
