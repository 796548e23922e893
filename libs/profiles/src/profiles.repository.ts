import { Injectable } from '@nestjs/common';
import { vectorFromBytes, vectorToBytes } from '@app/embedding';
import { Db, decodeCursor, encodeCursor, type Queryable } from '@app/persistence';
import { regionPrefix } from '@app/taxonomy';
import {
  columnValues,
  PROFILE_TABLES,
  publicCondition,
  selectList,
  toProfile,
  type ProfileRow,
} from './profile-tables';
import type { Page, ProfileByKind, ProfileInput, ProfileKind } from './profiles.types';

/** Filters of a list; each applies only to the kinds that have the column. */
export interface ProfileFilter {
  organisationId?: string;
  status?: string;
  regionCode?: string;
  industryCode?: string;
  embeddingStatus?: 'pending' | 'ready' | 'failed';
  /** Records an actor may not see unless it owns them: drafts, private, withdrawn. Owner sees its own anyway. */
  publicOnlyExceptFor?: string | null;
}

/** One changed profile, as a search index needs it: the record, its vector (if any) and when it changed. */
export interface ProfileChange<P> {
  profile: P;
  vector: Float32Array | null;
  withdrawn: boolean;
  /** PostgreSQL's text form of changed_at, at microsecond precision: the catch-up position. */
  changedAt: string;
}

/** The SQL of the four profile kinds; everything kind-specific comes from PROFILE_TABLES. */
@Injectable()
export class ProfilesRepository {
  constructor(private readonly db: Db) {}

  async insert<K extends ProfileKind>(
    kind: K,
    organisationId: string,
    values: ProfileInput<K>,
    contentHash: string,
    tx: Queryable,
  ): Promise<ProfileByKind[K]> {
    const t = PROFILE_TABLES[kind];
    const { present, params } = columnValues(t, values, [organisationId, contentHash]);
    const { rows } = await tx.query<ProfileRow>(
      `INSERT INTO ${t.table} (organisation_id, content_hash${present.map((c) => `, ${c.column}`).join('')})
       VALUES ($1, $2${present.map((_, i) => `, $${i + 3}`).join('')}) RETURNING ${selectList(t)}`,
      params,
    );
    return toProfile(t, rows[0]) as ProfileByKind[K];
  }

  async findById<K extends ProfileKind>(kind: K, id: string, tx: Queryable, forUpdate = false) {
    const t = PROFILE_TABLES[kind];
    const { rows } = await tx.query<ProfileRow>(
      `SELECT ${selectList(t)} FROM ${t.table} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && (toProfile(t, rows[0]) as ProfileByKind[K]);
  }

  /**
   * Inserts the record, or, when the organisation already has one with this `externalId`, updates it (a changed
   * content hash sends it back to `pending`, as `update` does). `created` tells which.
   */
  async upsertByExternalId<K extends ProfileKind>(
    kind: K,
    organisationId: string,
    values: ProfileInput<K> & { externalId: string },
    contentHash: string,
    tx: Queryable,
  ): Promise<{ record: ProfileByKind[K]; created: boolean }> {
    const t = PROFILE_TABLES[kind];
    const { present, params } = columnValues(t, values, [organisationId, contentHash]);
    const { rows } = await tx.query<ProfileRow>(
      `INSERT INTO ${t.table} AS t (organisation_id, content_hash${present.map((c) => `, ${c.column}`).join('')})
       VALUES ($1, $2${present.map((_, i) => `, $${i + 3}`).join('')})
       ON CONFLICT (organisation_id, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
         ${present.map((c) => `${c.column} = EXCLUDED.${c.column}, `).join('')}
         embedding_status = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.embedding_status ELSE 'pending' END,
         embedding_error = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.embedding_error ELSE NULL END,
         content_hash = EXCLUDED.content_hash, updated_at = now()
       RETURNING ${selectList(t)}, (xmax = 0) AS created`,
      params,
    );
    return { record: toProfile(t, rows[0]) as ProfileByKind[K], created: rows[0].created === true };
  }

  /**
   * Writes the given fields. A changed content hash sends the record back to `pending`, so that the worker embeds
   * the new text; an unchanged one keeps its vector.
   */
  async update<K extends ProfileKind>(
    kind: K,
    id: string,
    values: ProfileInput<K>,
    contentHash: string,
    tx: Queryable,
  ): Promise<ProfileByKind[K]> {
    const t = PROFILE_TABLES[kind];
    const { present, params } = columnValues(t, values, [id, contentHash]);
    const { rows } = await tx.query<ProfileRow>(
      `UPDATE ${t.table} SET ${present.map((c, i) => `${c.column} = $${i + 3}, `).join('')}
         embedding_status = CASE WHEN content_hash = $2 THEN embedding_status ELSE 'pending' END,
         embedding_error = CASE WHEN content_hash = $2 THEN embedding_error ELSE NULL END,
         content_hash = $2, updated_at = now()
       WHERE id = $1 RETURNING ${selectList(t)}`,
      params,
    );
    return toProfile(t, rows[0]) as ProfileByKind[K];
  }

  async withdraw<K extends ProfileKind>(kind: K, id: string, tx: Queryable): Promise<ProfileByKind[K]> {
    const t = PROFILE_TABLES[kind];
    const { rows } = await tx.query<ProfileRow>(
      `UPDATE ${t.table} SET ${t.withdraw}, updated_at = now() WHERE id = $1 RETURNING ${selectList(t)}`,
      [id],
    );
    return toProfile(t, rows[0]) as ProfileByKind[K];
  }

  async list<K extends ProfileKind>(
    kind: K,
    filter: ProfileFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<ProfileByKind[K]>> {
    const t = PROFILE_TABLES[kind];
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.organisationId) add((p) => `organisation_id = ${p}`, filter.organisationId);
    if (filter.status && t.filters.status) add((p) => `${t.filters.status}::text = ${p}`, filter.status);
    if (filter.embeddingStatus) add((p) => `embedding_status = ${p}`, filter.embeddingStatus);
    if (filter.regionCode) {
      const prefix = regionPrefix(filter.regionCode);
      if (t.filters.region) add((p) => `${t.filters.region} LIKE ${p} || '%'`, prefix);
      if (t.filters.regions) {
        add(
          (p) => `EXISTS (SELECT 1 FROM unnest(${t.filters.regions}) r WHERE r LIKE ${p} || '%'
                   OR ${p} LIKE rtrim(rtrim(r, '0'), '0') || '%')`,
          prefix,
        );
      }
    }
    if (filter.industryCode) {
      if (t.filters.industry) add((p) => `${t.filters.industry} LIKE ${p} || '%'`, filter.industryCode);
      if (t.filters.industries) {
        add(
          (p) => `EXISTS (SELECT 1 FROM unnest(${t.filters.industries}) i WHERE i LIKE ${p} || '%')`,
          filter.industryCode,
        );
      }
    }
    if (filter.publicOnlyExceptFor !== undefined) {
      const visible = publicCondition(t);
      if (filter.publicOnlyExceptFor) add((p) => `(${visible} OR organisation_id = ${p})`, filter.publicOnlyExceptFor);
      else where.push(visible);
    }
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      params.push(createdAt, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const { rows } = await this.db.pool.query<ProfileRow>(
      `SELECT ${selectList(t)} FROM ${t.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map((r) => toProfile(t, r) as ProfileByKind[K]);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(last.cursor_at as string, last.id as string) : null };
  }

  /**
   * Stores the vectors of a record, unless its text changed since `expectedHash` was read (then a newer job embeds
   * the new text). A demand's private vector (of its whole text, for its owner's own queries) goes to a column the
   * search indexes never read; null clears it.
   */
  /**
   * Stores a vector made from the text whose hash was `expectedHash`; undefined when the text changed meanwhile.
   * Returns the record's new changed_at: the position a search index must reach to see the vector.
   */
  async storeEmbedding(
    tx: Queryable,
    kind: ProfileKind,
    id: string,
    e: {
      expectedHash: string;
      hash: string;
      modelId: string;
      vector: Float32Array;
      privateVector?: Float32Array | null;
    },
  ): Promise<{ changedAt: string } | undefined> {
    const t = PROFILE_TABLES[kind];
    const params: unknown[] = [id, e.expectedHash, e.hash, vectorToBytes(e.vector), e.modelId];
    const privateColumn = kind === 'demand' ? ', private_embedding = $6' : '';
    if (kind === 'demand') params.push(e.privateVector ? vectorToBytes(e.privateVector) : null);
    const { rows } = await tx.query<{ changed_at: string }>(
      `UPDATE ${t.table} SET content_hash = $3, embedding = $4, embedding_model = $5, embedding_status = 'ready',
         embedding_error = NULL, embedded_at = now()${privateColumn}
       WHERE id = $1 AND content_hash = $2 RETURNING changed_at::text AS changed_at`,
      params,
    );
    return rows[0] && { changedAt: rows[0].changed_at };
  }

  /** A demand's private vector, for its owner's own match requests; undefined when it has none. */
  async privateVectorOf(id: string): Promise<{ vector: Float32Array; modelId: string } | undefined> {
    const row = await this.db.one<{ private_embedding: Buffer | null; embedding_model: string | null }>(
      'SELECT private_embedding, embedding_model FROM demands WHERE id = $1',
      [id],
    );
    if (!row?.private_embedding || !row.embedding_model) return undefined;
    return { vector: vectorFromBytes(row.private_embedding), modelId: row.embedding_model };
  }

  async markEmbeddingFailed(kind: ProfileKind, id: string, contentHash: string, reason: string): Promise<void> {
    const t = PROFILE_TABLES[kind];
    await this.db.query(
      `UPDATE ${t.table} SET embedding_status = 'failed', embedding_error = $3 WHERE id = $1 AND content_hash = $2`,
      [id, contentHash, reason.slice(0, 500)],
    );
  }

  /**
   * Records whose vector is missing or was made by another model: pending ones not touched for `olderThanSeconds`
   * (their job may have been lost), and ready ones of a different model.
   */
  /** Records whose vector another model made (EMBEDDING_MODEL changed), oldest first. */
  async findOfOtherModel(tx: Queryable, kind: ProfileKind, modelId: string, limit: number) {
    const t = PROFILE_TABLES[kind];
    const { rows } = await tx.query<{ id: string; content_hash: string }>(
      `SELECT id, content_hash FROM ${t.table}
       WHERE embedding_status = 'ready' AND embedding_model IS DISTINCT FROM $1
       ORDER BY updated_at LIMIT $2`,
      [modelId, limit],
    );
    return rows;
  }

  /**
   * The changed_at before which every write to a kind's table is committed: now, or the start of the oldest
   * transaction still open that has written to the table (a write sets changed_at when it is made, and commits
   * later, so a row stamped earlier may still appear). Read before `changesSince`, in a statement of its own, so that
   * whatever committed before it is visible to the read that follows.
   */
  async settledBefore(kind: ProfileKind): Promise<string> {
    const t = PROFILE_TABLES[kind];
    const [row] = await this.db.query<{ horizon: string }>(
      `SELECT least(clock_timestamp(), (
         SELECT min(a.xact_start) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.relation = '${t.table}'::regclass AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       ))::text AS horizon`,
    );
    return row.horizon;
  }

  /**
   * Profiles changed after a position (changed_at, id) and before `settledBefore`'s horizon, oldest first, for
   * search indexes to catch up; `null` starts from the beginning (a full rebuild).
   */
  async changesSince<K extends ProfileKind>(
    kind: K,
    after: { changedAt: string; id: string } | null,
    before: string,
    limit: number,
  ): Promise<ProfileChange<ProfileByKind[K]>[]> {
    const t = PROFILE_TABLES[kind];
    const rows = await this.db.query<ProfileRow>(
      `SELECT ${selectList(t)}, embedding, changed_at::text AS changed_at_text, (${t.withdrawn}) AS withdrawn
       FROM ${t.table}
       WHERE ($1::timestamptz IS NULL OR (changed_at, id) > ($1::timestamptz, $2::uuid)) AND changed_at < $3::timestamptz
       ORDER BY changed_at, id LIMIT $4`,
      [after?.changedAt ?? null, after?.id ?? null, before, limit],
    );
    return rows.map((row) => {
      const bytes = row.embedding as Buffer | null;
      return {
        profile: toProfile(t, row) as ProfileByKind[K],
        vector: bytes ? vectorFromBytes(bytes) : null,
        withdrawn: row.withdrawn as boolean,
        changedAt: row.changed_at_text as string,
      };
    });
  }

  /** Vectors of the given profiles, by id (for matching from a stored record). */
  async vectorOf(
    kind: ProfileKind,
    id: string,
    tx: Queryable,
  ): Promise<{ vector: Float32Array; modelId: string } | undefined> {
    const t = PROFILE_TABLES[kind];
    const {
      rows: [row],
    } = await tx.query<{ embedding: Buffer | null; embedding_model: string | null }>(
      `SELECT embedding, embedding_model FROM ${t.table} WHERE id = $1`,
      [id],
    );
    if (!row?.embedding || !row.embedding_model) return undefined;
    return { vector: vectorFromBytes(row.embedding), modelId: row.embedding_model };
  }

  /** Several profiles at once, in no particular order (for scoring candidates). */
  /** `tx`: the transaction's client, for callers inside one (a pool query there can wait forever on a full pool). */
  async findByIds<K extends ProfileKind>(kind: K, ids: string[], tx: Queryable): Promise<ProfileByKind[K][]> {
    if (ids.length === 0) return [];
    const t = PROFILE_TABLES[kind];
    const { rows } = await tx.query<ProfileRow>(`SELECT ${selectList(t)} FROM ${t.table} WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    return rows.map((r) => toProfile(t, r) as ProfileByKind[K]);
  }

  /** The records of the given ids with their version: PostgreSQL's text of changed_at, which every write moves. */
  async findVersionedByIds<K extends ProfileKind>(
    kind: K,
    ids: string[],
  ): Promise<{ record: ProfileByKind[K]; version: string }[]> {
    if (ids.length === 0) return [];
    const t = PROFILE_TABLES[kind];
    const rows = await this.db.query<ProfileRow>(
      `SELECT ${selectList(t)}, changed_at::text AS version FROM ${t.table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({ record: toProfile(t, r) as ProfileByKind[K], version: r.version as string }));
  }

  /** The current version of each record of the given ids that exists (what a kept copy is checked against). */
  async versionsOf(kind: ProfileKind, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; version: string }>(
      `SELECT id, changed_at::text AS version FROM ${PROFILE_TABLES[kind].table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.version]));
  }
}
