import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';
import type { Actor, Role } from './actor';

interface ApiKeyRow {
  id: string;
  role: Role;
  organisation_id: string | null;
  broker_id: string | null;
}

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
  }): Promise<string> {
    const row = await this.db.one<{ id: string }>(
      `INSERT INTO api_keys (secret_hash, prefix, role, organisation_id, broker_id, label)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [key.secretHash, key.prefix, key.role, key.organisationId, key.brokerId, key.label],
    );
    return row!.id;
  }

  /** The actor of an unrevoked key with this secret hash. */
  async actorOf(secretHash: Buffer): Promise<Actor | undefined> {
    const row = await this.db.one<ApiKeyRow>(
      'SELECT id, role, organisation_id, broker_id FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL',
      [secretHash],
    );
    return row && { apiKeyId: row.id, role: row.role, organisationId: row.organisation_id, brokerId: row.broker_id };
  }

  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    return rows.length > 0;
  }
}
