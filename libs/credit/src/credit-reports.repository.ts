import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';
import type { CreditSubject, CreditSubjectKind } from './credit-score';

type Row = Record<string, unknown>;

/** A bad-faith report, its evidence, and the party's answer beside it. */
export interface CreditReport {
  id: string;
  subject: CreditSubject;
  summary: string;
  evidence: { description: string; url?: string }[];
  filedAt: string;
  answer: string | null;
  answeredAt: string | null;
}

@Injectable()
export class CreditReportsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    subject: CreditSubject,
    summary: string,
    evidence: CreditReport['evidence'],
    filedBy: string,
  ): Promise<CreditReport> {
    const row = await this.db.one<Row>(
      `INSERT INTO credit_reports (subject_kind, subject_id, summary, evidence, filed_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [subject.kind, subject.id, summary, JSON.stringify(evidence), filedBy],
    );
    return toReport(row!);
  }

  async get(id: string): Promise<CreditReport | undefined> {
    const row = await this.db.one<Row>('SELECT * FROM credit_reports WHERE id = $1', [id]);
    return row && toReport(row);
  }

  /** The party's answer; a later answer replaces it (the time says when). */
  async answer(id: string, answer: string): Promise<CreditReport> {
    const row = await this.db.one<Row>(
      'UPDATE credit_reports SET answer = $2, answered_at = now() WHERE id = $1 RETURNING *',
      [id, answer],
    );
    return toReport(row!);
  }

  async of(subject: CreditSubject): Promise<CreditReport[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM credit_reports WHERE subject_kind = $1 AND subject_id = $2 ORDER BY filed_at DESC, id',
      [subject.kind, subject.id],
    );
    return rows.map(toReport);
  }
}

function toReport(r: Row): CreditReport {
  return {
    id: String(r.id),
    subject: { kind: r.subject_kind as CreditSubjectKind, id: String(r.subject_id) },
    summary: String(r.summary),
    evidence: r.evidence as CreditReport['evidence'],
    filedAt: (r.filed_at as Date).toISOString(),
    answer: (r.answer as string | null) ?? null,
    answeredAt: r.answered_at ? (r.answered_at as Date).toISOString() : null,
  };
}
