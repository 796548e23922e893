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

  async claim(apiKeyId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING key`,
      [apiKeyId, key, requestHash],
    );
    if (inserted.length > 0) return { kind: 'new' };
    const row = await this.db.one<{ request_hash: string; status_code: number | null; response: unknown }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE api_key_id = $1 AND key = $2',
      [apiKeyId, key],
    );
    if (!row) return this.claim(apiKeyId, key, requestHash); // released meanwhile
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

  /** Frees a key whose request failed, so that a retry runs again. */
  async release(apiKeyId: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status_code IS NULL', [
      apiKeyId,
      key,
    ]);
  }
}
