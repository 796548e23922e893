import { Injectable } from '@nestjs/common';
import { Db, decodeCursor, encodeCursor } from '@app/persistence';
import type { Actor, Role } from './actor';

interface ApiKeyRow {
  id: string;
  prefix: string;
  role: Role;
  organisation_id: string | null;
  broker_id: string | null;
  label: string;
  created_at: Date;
  created_at_text: string;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** What operators see of a key: never its secret or hash. */
export interface ApiKeyRecord {
  id: string;
  /** The secret's visible prefix (`tt_<prefix>_…`), to tell keys apart. */
  prefix: string;
  role: Role;
  organisationId: string | null;
  brokerId: string | null;
  label: string;
  createdAt: string;
  expiresAt: string;
  /** When a request last authenticated with it (within a minute), or null if never. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  prefix: r.prefix,
  role: r.role,
  organisationId: r.organisation_id,
  brokerId: r.broker_id,
  label: r.label,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/**
 * The SQL of `api_keys`, and the two facts about a key's owner its issuing checks need (the organisation's kind,
 * the broker's organisation): read here because libs/access sits below the libs that own those tables.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Db) {}

  async organisationKind(organisationId: string): Promise<string | undefined> {
    const row = await this.db.one<{ kind: string }>('SELECT kind FROM organisations WHERE id = $1', [organisationId]);
    return row?.kind;
  }

  async organisationOfBroker(brokerId: string): Promise<string | undefined> {
    const row = await this.db.one<{ organisation_id: string }>('SELECT organisation_id FROM brokers WHERE id = $1', [
      brokerId,
    ]);
    return row?.organisation_id;
  }

  async insert(key: {
    secretHash: Buffer;
    prefix: string;
    role: Role;
    organisationId: string | null;
    brokerId: string | null;
    label: string;
    expiresInDays: number;
  }): Promise<{ id: string; expiresAt: string }> {
    const row = await this.db.one<{ id: string; expires_at: Date }>(
      `INSERT INTO api_keys (secret_hash, prefix, role, organisation_id, broker_id, label, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7)) RETURNING id, expires_at`,
      [key.secretHash, key.prefix, key.role, key.organisationId, key.brokerId, key.label, key.expiresInDays],
    );
    return { id: row!.id, expiresAt: row!.expires_at.toISOString() };
  }

  /**
   * The actor of an unrevoked, unexpired key with this secret hash, and when it expires; its last use is recorded
   * (at most once a minute, so that a busy key does not write on every lookup).
   */
  async actorOf(secretHash: Buffer): Promise<{ actor: Actor; expiresAt: Date } | undefined> {
    const row = await this.db.one<ApiKeyRow>(
      `SELECT id, role, organisation_id, broker_id, expires_at, last_used_at FROM api_keys
        WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [secretHash],
    );
    if (!row) return undefined;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
      await this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
    return {
      actor: { apiKeyId: row.id, role: row.role, organisationId: row.organisation_id, brokerId: row.broker_id },
      expiresAt: row.expires_at,
    };
  }

  /** Newest first, by (created_at, id); of one organisation when given. */
  async list(
    filter: { organisationId?: string },
    limit: number,
    cursor?: string,
  ): Promise<{ items: ApiKeyRecord[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.organisationId) {
      params.push(filter.organisationId);
      where.push(`organisation_id = $${params.length}`);
    }
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      params.push(createdAt, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await this.db.query<ApiKeyRow>(
      `SELECT *, created_at::text AS created_at_text FROM api_keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return {
      items: page.map(toRecord),
      nextCursor: last ? encodeCursor(last.created_at_text, last.id) : null,
    };
  }

  /** Revokes the key; its revocation is announced to every API process at commit (migration's trigger). */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    return rows.length > 0;
  }
}
