import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayManageOrganisations, type Actor } from '@app/access';
import { Db, decodeCursor, encodeCursor } from '@app/persistence';
import { OrganisationKindMismatchError, ProfileNotFoundError, rethrowCreditCodeTaken } from './profiles.errors';
import type { Organisation, OrganisationKind, Page, ProfileKind } from './profiles.types';

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

/** The organisation kinds that may own each kind of profile. */
const OWNER_KINDS: Record<ProfileKind, readonly OrganisationKind[]> = {
  achievement: ['university', 'institute', 'enterprise'],
  demand: ['enterprise'],
  expert: ['university', 'institute', 'enterprise', 'programme', 'transfer_organisation'],
  broker: ['transfer_organisation'],
};

const COLUMNS = 'id, kind, name, region_code, credit_code, created_at, updated_at, created_at::text AS cursor_at';

/** Organisations: universities, institutes, enterprises, transfer organisations, commissioner programmes. */
@Injectable()
export class OrganisationsService {
  constructor(private readonly db: Db) {}

  async create(actor: Actor | 'system', input: NewOrganisation): Promise<Organisation> {
    if (actor !== 'system' && !mayManageOrganisations(actor)) throw new ForbiddenError('create organisations');
    const row = await this.db
      .one<OrganisationRow>(
        `INSERT INTO organisations (kind, name, region_code, credit_code) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [input.kind, input.name, input.regionCode, input.creditCode ?? null],
      )
      .catch((e: unknown) => rethrowCreditCodeTaken(e, input.creditCode));
    return toOrganisation(row!);
  }

  async get(id: string): Promise<Organisation> {
    const row = await this.db.one<OrganisationRow>(`SELECT ${COLUMNS} FROM organisations WHERE id = $1`, [id]);
    if (!row) throw new ProfileNotFoundError('organisation', id);
    return toOrganisation(row);
  }

  async update(actor: Actor, id: string, patch: Partial<NewOrganisation>): Promise<Organisation> {
    if (!mayManageOrganisations(actor)) throw new ForbiddenError('change organisations');
    const row = await this.db
      .one<OrganisationRow>(
        `UPDATE organisations SET kind = COALESCE($2, kind), name = COALESCE($3, name),
         region_code = COALESCE($4, region_code), credit_code = COALESCE($5, credit_code), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, patch.kind ?? null, patch.name ?? null, patch.regionCode ?? null, patch.creditCode ?? null],
      )
      .catch((e: unknown) => rethrowCreditCodeTaken(e, patch.creditCode));
    if (!row) throw new ProfileNotFoundError('organisation', id);
    return toOrganisation(row);
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

  /** The organisation exists and is of a kind that may own this kind of profile. */
  async requireOwnerOf(id: string, profileKind: ProfileKind): Promise<void> {
    const organisation = await this.get(id);
    if (!OWNER_KINDS[profileKind].includes(organisation.kind)) {
      throw new OrganisationKindMismatchError(profileKind, organisation.kind);
    }
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
