import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';

export interface OutboxRow {
  id: string;
  topic: string;
  payload: Record<string, string>;
}

/** The SQL of the outbox and of the checks that nothing handed to the queues was lost. */
@Injectable()
export class OutboxRepository {
  constructor(readonly db: Db) {}

  /** The oldest unrelayed rows, locked for this transaction; rows another relay holds are skipped. */
  async claim(tx: Queryable, limit: number): Promise<OutboxRow[]> {
    const { rows } = await tx.query<OutboxRow>(
      `SELECT id, topic, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows;
  }

  async markRelayed(tx: Queryable, ids: string[]): Promise<void> {
    await tx.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async backlog(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
    return row.n;
  }

  async prune(olderThanDays: number): Promise<void> {
    await this.db.query(`DELETE FROM outbox WHERE relayed_at < now() - $1 * interval '1 day'`, [olderThanDays]);
  }

  /**
   * Offers relayed more than `graceSeconds` ago that are in no inbox yet: their job was lost (a Redis that lost its
   * data, say). The relay hands them to the queues again.
   */
  async undelivered(graceSeconds: number, limit: number): Promise<{ offerId: string; dueAt: Date }[]> {
    const rows = await this.db.query<{ id: string; due_at: Date }>(
      `SELECT o.id, o.due_at FROM lead_offers o
         LEFT JOIN inbox_items i ON i.offer_id = o.id
        WHERE i.offer_id IS NULL AND o.offered_at < now() - $1 * interval '1 second'
          AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.relayed_at IS NULL AND x.payload->>'offerId' = o.id::text)
        ORDER BY o.offered_at LIMIT $2`,
      [graceSeconds, limit],
    );
    return rows.map((r) => ({ offerId: r.id, dueAt: new Date(r.due_at) }));
  }
}
