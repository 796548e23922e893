import { Inject, Injectable } from '@nestjs/common';
import { creditForm, ForbiddenError, mayFileCreditReports, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CreditReportNotFoundError, CreditSubjectNotFoundError } from './credit.errors';
import { CreditReportsRepository, type CreditReport } from './credit-reports.repository';
import type { AnswerCreditReportDto, FileCreditReportDto } from './dto/credit-report.dto';
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

/** Credit records of organisations and brokers, scored by the rule in force over the events their rows prove. */
@Injectable()
export class CreditService {
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

  private async subject(kind: CreditSubjectKind, id: string): Promise<CreditRecord['subject']> {
    const found = await this.events.subject(kind, id);
    if (!found) throw new CreditSubjectNotFoundError(kind, id);
    return { kind, id, ...found };
  }
}
