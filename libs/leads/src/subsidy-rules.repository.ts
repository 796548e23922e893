import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
import type { TransactionMode } from '@app/profiles';
import type { SubsidyRule } from './subsidy';

type Row = Record<string, unknown>;

/** Subsidy rules are rows, so a city adds its own without a release. */
@Injectable()
export class SubsidyRulesRepository {
  constructor(private readonly db: Db) {}

  async active(tx: Queryable): Promise<SubsidyRule[]> {
    const { rows } = await tx.query<Row>(
      // As text[]: node-postgres parses arrays of built-in types only, not of the transaction_mode enum.
      `SELECT id, scheme, authority, region_prefix, min_amount, rate, cap, transaction_modes::text[] AS transaction_modes,
              challenge_winners, requires_exchange_settlement, source
         FROM subsidy_rules WHERE active ORDER BY scheme, id`,
    );
    return rows.map(toRule);
  }

  /** Adds a rule; false when a rule with this id exists (rules are never rewritten: a change is a new rule). */
  async insert(rule: SubsidyRule): Promise<boolean> {
    const { rowCount } = await this.db.pool.query(
      `INSERT INTO subsidy_rules (id, scheme, authority, region_prefix, min_amount, rate, cap, transaction_modes,
                                  challenge_winners, requires_exchange_settlement, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::transaction_mode[], $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [
        rule.id,
        rule.scheme,
        rule.authority,
        rule.regionPrefix,
        rule.minAmount,
        rule.rate,
        rule.cap,
        rule.transactionModes,
        rule.challengeWinners,
        rule.requiresExchangeSettlement,
        rule.source,
      ],
    );
    return rowCount === 1;
  }

  async deactivate(id: string): Promise<boolean> {
    const { rowCount } = await this.db.pool.query('UPDATE subsidy_rules SET active = false WHERE id = $1 AND active', [
      id,
    ]);
    return rowCount === 1;
  }
}

function toRule(r: Row): SubsidyRule {
  return {
    id: String(r.id),
    scheme: String(r.scheme),
    authority: String(r.authority),
    regionPrefix: String(r.region_prefix),
    minAmount: Number(r.min_amount),
    rate: Number(r.rate),
    cap: r.cap === null ? null : Number(r.cap),
    transactionModes: r.transaction_modes as TransactionMode[],
    challengeWinners: Boolean(r.challenge_winners),
    requiresExchangeSettlement: Boolean(r.requires_exchange_settlement),
    source: String(r.source),
  };
}
