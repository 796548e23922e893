import { Inject, Injectable } from '@nestjs/common';
import { creditForm, ForbiddenError, mayFileCreditReports, mayKeepCreditRules, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Queryable } from '@app/persistence';
import { CreditReportNotFoundError, CreditSubjectNotFoundError } from './credit.errors';
import { CreditReportsRepository, type CreditReport } from './credit-reports.repository';
import type { AnswerCreditReportDto, FileCreditReportDto } from './dto/credit-report.dto';
import type { CreditRuleDto } from './dto/credit-rule.dto';
import { CreditEventsRepository } from './credit-events.repository';
import { CreditRulesRepository } from './credit-rules.repository';
import {
  creditCounts,
  creditScore,
  type CreditEvent,
  type CreditEventKind,
  type CreditRule,
  type CreditScore,
  type CreditSubject,
  type CreditSubjectKind,
} from './credit-score';

/** A credit record as the actor may read it: events with their sources only in full. */
export interface CreditRecord {
  subject: CreditSubject & { organisationId: string; name: string };
  form: 'full' | 'summary';
  score: CreditScore;
  counts: Record<CreditEventKind, number>;
  /** In full only (the subject and operators); null otherwise. */
  events: CreditEvent[] | null;
  /** Bad-faith reports with their evidence and the party's answer: in full only; null otherwise. */
  reports: CreditReport[] | null;
}

/** What everyone may see of a record: the score under the rule in force and how many events of each kind. */
export interface CreditSummary {
  score: number;
  ruleVersion: number;
  counts: Record<CreditEventKind, number>;
}

/** The key of a subject in the maps `summaries` returns. */
export const creditKey = (subject: CreditSubject): string => `${subject.kind}:${subject.id}`;

/** Credit records of organisations and brokers, scored by the rule in force over the events their rows prove. */
@Injectable()
export class CreditService {
  /** The summaries `recentSummaries` read last, by `creditKey`, with when. */
  private readonly recent = new Map<string, { at: number; summary: CreditSummary }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: CreditEventsRepository,
    private readonly rules: CreditRulesRepository,
    private readonly reports: CreditReportsRepository,
  ) {}

  async record(actor: Actor, kind: CreditSubjectKind, id: string, asOf = new Date()): Promise<CreditRecord> {
    const subject = await this.subject(kind, id);
    const [events, rule] = await Promise.all([
      this.events.eventsOf([{ kind, id }], this.config.credit.idleHours),
      this.rules.inForce(),
    ]);
    const form = creditForm(actor, subject);
    return {
      subject,
      form,
      score: creditScore(events, rule, asOf),
      counts: creditCounts(events),
      events: form === 'full' ? events : null,
      reports: form === 'full' ? await this.reports.of(subject) : null,
    };
  }

  /**
   * The summaries of many subjects in one read, keyed by `creditKey`: for matches, leads, assignment and reports.
   * `on`: the caller's transaction client (assignment holds a lock; a pool query there could wait for itself);
   * `asOf`: the instant the scores are taken at (a report's period end), now by default.
   */
  async summaries(
    subjects: readonly CreditSubject[],
    { on, asOf = new Date() }: { on?: Queryable; asOf?: Date } = {},
  ): Promise<Map<string, CreditSummary>> {
    const unique = [...new Map(subjects.map((s) => [creditKey(s), s])).values()];
    if (unique.length === 0) return new Map();
    const rule = await this.rules.inForce(on);
    const events = await this.events.eventsOf(unique, this.config.credit.idleHours, on);
    const bySubject = new Map<string, CreditEvent[]>(unique.map((s) => [creditKey(s), []]));
    // What happened after `asOf` is neither scored nor counted (a past period's report is read later).
    for (const e of events) if (new Date(e.at) <= asOf) bySubject.get(creditKey(e.subject))?.push(e);
    return new Map(
      [...bySubject].map(([key, own]) => [
        key,
        { score: creditScore(own, rule, asOf).score, ruleVersion: rule.version, counts: creditCounts(own) },
      ]),
    );
  }

  /**
   * Summaries at most `maxAgeMs` old, from the last read of each subject in this process: for broker assignment,
   * which needs every active broker's score for every offer, under its lock. Read on `on` when any is missing or too
   * old (all of those in one read).
   */
  async recentSummaries(
    subjects: readonly CreditSubject[],
    { on, maxAgeMs }: { on?: Queryable; maxAgeMs: number },
  ): Promise<Map<string, CreditSummary>> {
    const now = Date.now();
    const due = subjects.filter((s) => {
      const kept = this.recent.get(creditKey(s));
      return !kept || now - kept.at > maxAgeMs;
    });
    if (due.length > 0)
      for (const [key, summary] of await this.summaries(due, { on })) this.recent.set(key, { at: now, summary });
    return new Map(subjects.map((s) => [creditKey(s), this.recent.get(creditKey(s))!.summary]));
  }

  /** An operator files a bad-faith report with its evidence: an event of the subject's record from now on. */
  async fileReport(actor: Actor, dto: FileCreditReportDto): Promise<CreditReport> {
    if (!mayFileCreditReports(actor)) throw new ForbiddenError('file credit reports');
    const subject = await this.subject(dto.subjectKind, dto.subjectId);
    return this.reports.insert(subject, dto.summary.trim(), dto.evidence, actor.apiKeyId);
  }

  /** The party a report is about answers it (not an operator: the answer is the party's own word). */
  async answerReport(actor: Actor, id: string, dto: AnswerCreditReportDto): Promise<CreditReport> {
    const report = await this.reports.get(id);
    if (!report) throw new CreditReportNotFoundError(id);
    const subject = await this.subject(report.subject.kind, report.subject.id);
    if (actor.role === 'admin' || creditForm(actor, subject) !== 'full')
      throw new ForbiddenError('answer a report about another party');
    return this.reports.answer(id, dto.answer.trim());
  }

  rulesAll(): Promise<CreditRule[]> {
    return this.rules.all();
  }

  /** An operator brings in the next version of the rule; the one in force is retired (kept, never deleted). */
  async addRule(actor: Actor, dto: CreditRuleDto): Promise<CreditRule> {
    if (!mayKeepCreditRules(actor)) throw new ForbiddenError('change the credit rule');
    const hundredths = (x: number) => Math.round(x * 100) / 100 || 0;
    const points = Object.fromEntries(
      Object.entries(dto.points)
        .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
        .map(([kind, value]) => [kind, hundredths(value)]),
    );
    return this.rules.addVersion({
      base: hundredths(dto.base),
      points,
      windowMonths: dto.windowMonths,
      source: dto.source.trim(),
    });
  }

  private async subject(kind: CreditSubjectKind, id: string): Promise<CreditRecord['subject']> {
    const found = await this.events.subject(kind, id);
    if (!found) throw new CreditSubjectNotFoundError(kind, id);
    return { kind, id, ...found };
  }
}
