import { Injectable } from '@nestjs/common';
import { Db, decodeCursor, encodeCursor } from '@app/persistence';
import type { Organisation, OrganisationKind, Page } from './profiles.types';

interface OrganisationRow {
  id: string;
  kind: OrganisationKind;
  name: string;
  region_code: string;
  credit_code: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

export interface NewOrganisation {
  kind: OrganisationKind;
  name: string;
  regionCode: string;
  creditCode?: string;
}

/** Where a broker's offers are announced: its organisation's webhook, when it has one. */
export interface WebhookTarget {
  organisationId: string;
  url: string | null;
  secret: string | null;
}

const COLUMNS = 'id, kind, name, region_code, credit_code, created_at, updated_at, created_at::text AS cursor_at';

/** The SQL of the `organisations` table. */
@Injectable()
export class OrganisationsRepository {
  constructor(private readonly db: Db) {}

  async insert(input: NewOrganisation): Promise<Organisation> {
    const row = await this.db.one<OrganisationRow>(
      `INSERT INTO organisations (kind, name, region_code, credit_code) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [input.kind, input.name, input.regionCode, input.creditCode ?? null],
    );
    return toOrganisation(row!);
  }

  async find(id: string): Promise<Organisation | undefined> {
    const row = await this.db.one<OrganisationRow>(`SELECT ${COLUMNS} FROM organisations WHERE id = $1`, [id]);
    return row && toOrganisation(row);
  }

  async update(id: string, patch: Partial<NewOrganisation>): Promise<Organisation | undefined> {
    const row = await this.db.one<OrganisationRow>(
      `UPDATE organisations SET kind = COALESCE($2, kind), name = COALESCE($3, name),
         region_code = COALESCE($4, region_code), credit_code = COALESCE($5, credit_code), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.kind ?? null, patch.name ?? null, patch.regionCode ?? null, patch.creditCode ?? null],
    );
    return row && toOrganisation(row);
  }

  async list(limit: number, cursor?: string, kind?: OrganisationKind): Promise<Page<Organisation>> {
    const [at, id] = cursor ? decodeCursor(cursor) : [];
    const rows = await this.db.query<OrganisationRow>(
      `SELECT ${COLUMNS} FROM organisations
       WHERE ($1::organisation_kind IS NULL OR kind = $1)
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [kind ?? null, at ?? null, id ?? null, limit + 1],
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map(toOrganisation),
      nextCursor: last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }

  /** Sets or (with nulls) removes the webhook; false when there is no such organisation. */
  async setWebhook(id: string, url: string | null, secret: string | null): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE organisations SET webhook_url = $2, webhook_secret = $3 WHERE id = $1 RETURNING id',
      [id, url, secret],
    );
    return rows.length > 0;
  }

  async webhookOfBroker(brokerId: string): Promise<WebhookTarget | undefined> {
    const row = await this.db.one<{ id: string; webhook_url: string | null; webhook_secret: string | null }>(
      `SELECT o.id, o.webhook_url, o.webhook_secret
         FROM brokers b JOIN organisations o ON o.id = b.organisation_id WHERE b.id = $1`,
      [brokerId],
    );
    return row && { organisationId: row.id, url: row.webhook_url, secret: row.webhook_secret };
  }

  async webhookOf(organisationId: string): Promise<WebhookTarget | undefined> {
    const row = await this.db.one<{ id: string; webhook_url: string | null; webhook_secret: string | null }>(
      'SELECT id, webhook_url, webhook_secret FROM organisations WHERE id = $1',
      [organisationId],
    );
    return row && { organisationId: row.id, url: row.webhook_url, secret: row.webhook_secret };
  }
}

function toOrganisation(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    regionCode: row.region_code,
    creditCode: row.credit_code,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
