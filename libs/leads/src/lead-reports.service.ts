import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, isOwnerOrAdmin, mayOperate, mayReadPerformanceReport, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { creditKey, CreditService } from '@app/credit';
import { ProfilesService } from '@app/profiles';
import type { DeclineReason } from './lead-lifecycle';
import { LeadReportsRepository, type FunnelDimension } from './lead-reports.repository';
import type { ReportPeriod } from './report-period';

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
  creditScore: number;
}

/** The yearly ranking: organisations whose credit score is below the floor are not ranked, and listed as left out. */
export interface Ranking {
  year: number;
  /** CREDIT_RANKING_MIN_SCORE. */
  minCreditScore: number;
  /** The credit rule version the scores were computed by; null when no organisation signed a contract that year. */
  creditRuleVersion: number | null;
  rows: RankingRow[];
  leftOut: Omit<RankingRow, 'rank' | 'rewardEligible'>[];
}

/** One transfer organisation's performance over a period (the published report). */
export interface PerformanceRow {
  organisationId: string;
  name: string;
  /** Contracts its brokers signed in the period, and their amount (CNY). */
  contracts: number;
  brokeredAmount: number;
  /** Offers made to its brokers in the period; those that lapsed; median hours to answer one (null: none answered). */
  offers: number;
  lapsedOffers: number;
  medianResponseHours: number | null;
  /** Leads its brokers accepted in the period, how many of them reached a signed contract, and the share. */
  acceptedLeads: number;
  convertedLeads: number;
  conversion: number | null;
  /** Its credit score at the end of the period (now, for a period not over). */
  creditScore: number;
}

export interface PerformanceReport {
  period: string;
  from: string;
  to: string;
  /** When the credit scores were taken: the period's end, or now while it runs (then `final` is false). */
  asOf: string;
  final: boolean;
  creditRuleVersion: number | null;
  organisations: PerformanceRow[];
}

/** The plan's yearly ranking rule (DOMAIN.md). */
export const RANKING_RULE = { top: 10, minAmount: 20_000_000, maxReward: 500_000 } as const;

/** What operators watch: the funnel, the yearly ranking; and what owners learn from declines. */
@Injectable()
export class LeadReportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reports: LeadReportsRepository,
    private readonly profiles: ProfilesService,
    private readonly credit: CreditService,
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

  /**
   * Transfer organisations by the amount their brokers' contracts signed in `year` add up to; those whose credit
   * score (at the year's end, or now) is below CREDIT_RANKING_MIN_SCORE are left out of the ranks and listed apart.
   */
  async ranking(actor: Actor, year: number, now = new Date()): Promise<Ranking> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the ranking');
    const rows = await this.reports.ranking(year);
    const credit = await this.organisationCredit(rows, new Date(Date.UTC(year + 1, 0, 1)), now);
    const minCreditScore = this.config.credit.rankingMinScore;
    const all = rows.map((r) => ({
      organisationId: String(r.id),
      name: String(r.name),
      contracts: Number(r.contracts),
      amount: Number(r.amount),
      creditScore: credit.score(r.id),
    }));
    const ranked = all.filter((r) => r.creditScore >= minCreditScore);
    return {
      year,
      minCreditScore,
      creditRuleVersion: credit.ruleVersion,
      rows: ranked.map((r, i) => ({
        rank: i + 1,
        ...r,
        rewardEligible: i < RANKING_RULE.top && r.amount > RANKING_RULE.minAmount,
      })),
      leftOut: all.filter((r) => r.creditScore < minCreditScore),
    };
  }

  /**
   * The published performance report (定期向社会公布): each transfer organisation's contracts, brokered amount,
   * offers and response time, conversion of the leads it accepted, and its credit score, over a quarter or a year.
   */
  async performance(actor: Actor, period: ReportPeriod, now = new Date()): Promise<PerformanceReport> {
    if (!mayReadPerformanceReport(actor)) throw new ForbiddenError('read the performance report');
    const rows = await this.reports.performance(period.from, period.to);
    const credit = await this.organisationCredit(rows, period.to, now);
    return {
      period: period.period,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      asOf: credit.asOf.toISOString(),
      final: period.to.getTime() <= now.getTime(),
      creditRuleVersion: credit.ruleVersion,
      organisations: rows.map((r) => {
        const accepted = Number(r.accepted);
        const converted = Number(r.converted);
        return {
          organisationId: String(r.id),
          name: String(r.name),
          contracts: Number(r.contracts),
          brokeredAmount: Number(r.amount),
          offers: Number(r.offers),
          lapsedOffers: Number(r.lapsed),
          medianResponseHours: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
          acceptedLeads: accepted,
          convertedLeads: converted,
          conversion: accepted === 0 ? null : Math.round((converted / accepted) * 1000) / 1000,
          creditScore: credit.score(r.id),
        };
      }),
    };
  }

  /**
   * The credit scores of the organisations of a report's rows at the last instant before `to`, or now while the
   * period runs, and the rule version they were made by.
   */
  private async organisationCredit(rows: Record<string, unknown>[], to: Date, now: Date) {
    const asOf = new Date(Math.min(to.getTime() - 1, now.getTime()));
    const subject = (id: unknown) => ({ kind: 'organisation' as const, id: String(id) });
    const credit = await this.credit.summaries(
      rows.map((r) => subject(r.id)),
      { asOf },
    );
    return {
      asOf,
      score: (id: unknown) => credit.get(creditKey(subject(id)))!.score,
      ruleVersion: credit.values().next().value?.ruleVersion ?? null,
    };
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
