import { Injectable } from '@nestjs/common';
import { Db } from './db';

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; statusCode: number; response: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/**
 * Idempotency keys of writes: the first request with a key claims it (a primary-key insert, so two concurrent
 * retries cannot both claim it), and its answer is stored for the retries to replay.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims the key for this request. A key older than `ttlHours` counts as unused (the expiry job deletes such rows;
   * until it ran, the claim takes the row over).
   */
  async claim(apiKeyId: string, key: string, requestHash: string, ttlHours: number): Promise<IdempotencyClaim> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys AS k (api_key_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (api_key_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
         WHERE k.created_at < now() - $4::float8 * interval '1 hour'
       RETURNING key`,
      [apiKeyId, key, requestHash, ttlHours],
    );
    if (inserted.length > 0) return { kind: 'new' };
    const row = await this.db.one<{ request_hash: string; status_code: number | null; response: unknown }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE api_key_id = $1 AND key = $2',
      [apiKeyId, key],
    );
    if (!row) return this.claim(apiKeyId, key, requestHash, ttlHours); // released meanwhile
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status_code === null) return { kind: 'in-progress' };
    return { kind: 'replay', statusCode: row.status_code, response: row.response };
  }

  async complete(apiKeyId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query(
      'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE api_key_id = $1 AND key = $2',
      [apiKeyId, key, statusCode, JSON.stringify(response ?? null)],
    );
  }

  /** Deletes the keys older than `ttlHours` (the `expire-idempotency-keys` job); returns how many. */
  async expire(ttlHours: number): Promise<number> {
    const rows = await this.db.query(
      "DELETE FROM idempotency_keys WHERE created_at < now() - $1::float8 * interval '1 hour' RETURNING key",
      [ttlHours],
    );
    return rows.length;
  }

  /** Frees a key whose request failed, so that a retry runs again. */
  async release(apiKeyId: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status_code IS NULL', [
      apiKeyId,
      key,
    ]);
  }
}
