import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';
import type { CreditRule } from './credit-score';

type Row = Record<string, unknown>;

/** The scoring rule's versions: rows, so operators change the points without a release. */
@Injectable()
export class CreditRulesRepository {
  constructor(private readonly db: Db) {}

  /** Every version, the one in force first. */
  async all(): Promise<CreditRule[]> {
    const rows = await this.db.query<Row>('SELECT * FROM credit_rules ORDER BY retired_at IS NOT NULL, version DESC');
    return rows.map(toRule);
  }

  async inForce(): Promise<CreditRule> {
    const [row] = await this.db.query<Row>('SELECT * FROM credit_rules WHERE retired_at IS NULL');
    if (!row) throw new Error('No credit rule in force: the migrations seed one');
    return toRule(row);
  }
}

function toRule(r: Row): CreditRule {
  return {
    id: String(r.id),
    version: Number(r.version),
    base: Number(r.base),
    points: r.points as CreditRule['points'],
    windowMonths: Number(r.window_months),
    source: String(r.source),
    createdAt: (r.created_at as Date).toISOString(),
    retiredAt: r.retired_at ? (r.retired_at as Date).toISOString() : null,
  };
}
