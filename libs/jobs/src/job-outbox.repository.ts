import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
import type { JobRequest } from './job-definitions';

export interface OutboxRow {
  id: string;
  job: string;
  payload: Record<string, unknown>;
}

/** The SQL of the `outbox` table: jobs written with the change that causes them, waiting for the relay. */
@Injectable()
export class JobOutboxRepository {
  constructor(private readonly db: Db) {}

  /** One statement for any number of jobs, on the caller's transaction. */
  async insert(tx: Queryable, jobs: readonly JobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    await tx.query(
      `INSERT INTO outbox (job, payload)
       SELECT job, payload FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS j(job, payload, n) ORDER BY n`,
      [jobs.map((j) => j.name), jobs.map((j) => JSON.stringify(j.payload))],
    );
  }

  /** The oldest unrelayed rows, locked for this transaction; rows another relay holds are skipped. */
  async claim(tx: Queryable, limit: number): Promise<OutboxRow[]> {
    const { rows } = await tx.query<OutboxRow>(
      `SELECT id, job, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows;
  }

  async markRelayed(tx: Queryable, ids: readonly string[]): Promise<void> {
    await tx.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async backlog(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
    return row.n;
  }

  async prune(olderThanDays: number): Promise<number> {
    const { rowCount } = await this.db.pool.query(
      `DELETE FROM outbox WHERE relayed_at < now() - $1 * interval '1 day'`,
      [olderThanDays],
    );
    return rowCount ?? 0;
  }
}
