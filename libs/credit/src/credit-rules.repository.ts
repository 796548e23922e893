import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
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

  /** The rule in force, read on `on` (a transaction's client when the caller holds one). */
  async inForce(on: Queryable = this.db.pool): Promise<CreditRule> {
    const { rows } = await on.query<Row>('SELECT * FROM credit_rules WHERE retired_at IS NULL');
    if (!rows[0]) throw new Error('No credit rule in force: the migrations seed one');
    return toRule(rows[0]);
  }

  /**
   * The next version (`credit-v<n>`) comes into force and the one before is retired, in one transaction. The table
   * lock (readers are not blocked) makes two operators' versions follow each other instead of sharing a number or
   * both being in force.
   */
  async addVersion(rule: Pick<CreditRule, 'base' | 'points' | 'windowMonths' | 'source'>): Promise<CreditRule> {
    return this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE credit_rules IN SHARE ROW EXCLUSIVE MODE');
      const { rows: last } = await tx.query<{ version: number }>('SELECT max(version) AS version FROM credit_rules');
      const version = Number(last[0]?.version ?? 0) + 1;
      await tx.query('UPDATE credit_rules SET retired_at = now() WHERE retired_at IS NULL');
      const { rows } = await tx.query<Row>(
        `INSERT INTO credit_rules (id, version, base, points, window_months, source)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [`credit-v${version}`, version, rule.base, JSON.stringify(rule.points), rule.windowMonths, rule.source],
      );
      return toRule(rows[0]);
    });
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
