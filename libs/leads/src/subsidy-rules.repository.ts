import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
import type { TransactionMode } from '@app/profiles';
import type { SubsidyRule } from './subsidy';

type Row = Record<string, unknown>;

/** Subsidy rules are rows, so a city adds its own without a release. */
@Injectable()
export class SubsidyRulesRepository {
  constructor(private readonly db: Db) {}

  async active(tx: Queryable = this.db.pool): Promise<SubsidyRule[]> {
    const { rows } = await tx.query<Row>('SELECT * FROM subsidy_rules WHERE active ORDER BY scheme, id');
    return rows.map((r) => ({
      id: String(r.id),
      scheme: String(r.scheme),
      authority: String(r.authority),
      regionPrefix: String(r.region_prefix),
      minAmount: Number(r.min_amount),
      rate: Number(r.rate),
      cap: r.cap === null ? null : Number(r.cap),
      transactionModes: parseEnumArray(r.transaction_modes) as TransactionMode[],
      challengeWinners: Boolean(r.challenge_winners),
      requiresExchangeSettlement: Boolean(r.requires_exchange_settlement),
      source: String(r.source),
    }));
  }
}

/** node-postgres leaves arrays of enum types in their text form ("{auction}"). */
function parseEnumArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  const text = typeof value === 'string' ? value : '{}';
  return text === '{}' ? [] : text.slice(1, -1).split(',');
}
