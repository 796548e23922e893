import type { EmbeddingState, ProfileFields, ProfileInput, ProfileKind } from './profiles.types';

/** A row as pg returns it. */
export type ProfileRow = Record<string, unknown>;

/** How one API field is stored. */
export interface Column {
  field: string;
  column: string;
  type?: 'numeric' | 'json' | 'text';
}

/** Where and how a kind of profile is stored, and how the list filters apply to it. */
export interface ProfileTable {
  kind: ProfileKind;
  table: string;
  columns: Column[];
  /** SQL assignment that withdraws a record. */
  withdraw: string;
  /** SQL condition that is true for a withdrawn record. */
  withdrawn: string;
  /** Columns the list filters use, when the kind has them. */
  filters: { status?: string; region?: string; regions?: string; industry?: string; industries?: string };
}

/** A field's column, or its column and how it is converted. */
type ColumnSpec = string | [column: string, type: NonNullable<Column['type']>];

/**
 * The columns of a kind, one per field of its record type (profiles.types.ts): a field added there and not here,
 * or named here and not there, does not compile.
 */
function columns<K extends ProfileKind>(spec: { [F in keyof ProfileFields<K>]-?: ColumnSpec }): Column[] {
  return Object.entries(spec as Record<string, ColumnSpec>).map(([field, c]) =>
    typeof c === 'string' ? { field, column: c } : { field, column: c[0], type: c[1] },
  );
}

export const PROFILE_TABLES: Record<ProfileKind, ProfileTable> = {
  achievement: {
    kind: 'achievement',
    table: 'achievements',
    columns: columns<'achievement'>({
      title: 'title',
      abstract: 'abstract',
      keywords: 'keywords',
      industryCode: 'industry_code',
      disciplineCode: 'discipline_code',
      readinessLevel: 'readiness_level',
      patents: ['patents', 'json'],
      green: 'green',
      transactionMode: 'transaction_mode',
      askingPrice: ['asking_price', 'numeric'],
      cooperationModes: 'cooperation_modes',
      inventors: 'inventors',
      regionCode: 'region_code',
      status: 'status',
      visibility: 'visibility',
      externalId: 'external_id',
    }),
    withdraw: "status = 'withdrawn'",
    withdrawn: "status = 'withdrawn'",
    filters: { status: 'status', region: 'region_code', industry: 'industry_code' },
  },
  demand: {
    kind: 'demand',
    table: 'demands',
    columns: columns<'demand'>({
      title: 'title',
      description: 'description',
      keywords: 'keywords',
      industryCode: 'industry_code',
      regionCode: 'region_code',
      budgetMin: ['budget_min', 'numeric'],
      budgetMax: ['budget_max', 'numeric'],
      cooperationModes: 'cooperation_modes',
      minReadinessLevel: 'min_readiness_level',
      deadline: ['deadline', 'text'],
      challengePrize: ['challenge_prize', 'numeric'],
      greenPreferred: 'green_preferred',
      status: 'status',
      confidentialFields: 'confidential_fields',
      externalId: 'external_id',
    }),
    withdraw: "status = 'withdrawn'",
    withdrawn: "status = 'withdrawn'",
    filters: { status: 'status', region: 'region_code', industry: 'industry_code' },
  },
  expert: {
    kind: 'expert',
    table: 'experts',
    columns: columns<'expert'>({
      name: 'name',
      expertise: 'expertise',
      disciplineCodes: 'discipline_codes',
      regionCodes: 'region_codes',
      programmeId: 'programme_id',
      active: 'active',
    }),
    withdraw: 'active = false',
    withdrawn: 'NOT active',
    filters: { regions: 'region_codes' },
  },
  broker: {
    kind: 'broker',
    table: 'brokers',
    columns: columns<'broker'>({
      name: 'name',
      expertise: 'expertise',
      industryCodes: 'industry_codes',
      regionCodes: 'region_codes',
      capacity: 'capacity',
      active: 'active',
    }),
    withdraw: 'active = false',
    withdrawn: 'NOT active',
    filters: { regions: 'region_codes', industries: 'industry_codes' },
  },
};

/**
 * The condition for records anyone may see: not drafts, not private, not withdrawn (the SQL of visibility.ts's
 * isPublished, for lists).
 */
export function publicCondition(t: ProfileTable): string {
  if (t.kind === 'achievement') return "status <> 'draft' AND status <> 'withdrawn' AND visibility = 'public'";
  if (t.kind === 'demand') return "status <> 'draft' AND status <> 'withdrawn'";
  return 'active';
}

function toDb(type: string | undefined, value: unknown): unknown {
  return type === 'json' ? JSON.stringify(value) : value;
}

/**
 * The columns a write gives values for, and the query parameters: `first`, then those values converted for the
 * database. The table map names each field of the record type (checked in profile-tables.ts), so its keys index
 * the input.
 */
export function columnValues<K extends ProfileKind>(t: ProfileTable, input: ProfileInput<K>, first: unknown[]) {
  const values = input as Record<string, unknown>;
  const present = t.columns.filter((c) => values[c.field] !== undefined);
  return { present, params: [...first, ...present.map((c) => toDb(c.type, values[c.field]))] };
}

export function toProfile(t: ProfileTable, row: ProfileRow): unknown {
  const profile: Record<string, unknown> = {
    id: row.id,
    organisationId: row.organisation_id,
  };
  for (const c of t.columns) {
    const v = row[c.column];
    profile[c.field] = c.type === 'numeric' && v !== null ? Number(v) : v;
  }
  const embedding: EmbeddingState = {
    status: row.embedding_status as EmbeddingState['status'],
    error: (row.embedding_error as string | null) ?? null,
    modelId: (row.embedding_model as string | null) ?? null,
    contentHash: row.content_hash as string,
    embeddedAt: row.embedded_at ? (row.embedded_at as Date).toISOString() : null,
  };
  profile.embedding = embedding;
  profile.createdAt = (row.created_at as Date).toISOString();
  profile.updatedAt = (row.updated_at as Date).toISOString();
  return profile;
}

/** Every column but the vector, and the creation time at full (microsecond) precision for cursors. */
export function selectList(t: ProfileTable): string {
  return [
    'id',
    'organisation_id',
    ...t.columns.map((c) => c.column),
    'content_hash, embedding_status, embedding_error, embedding_model, embedded_at, created_at, updated_at',
    'created_at::text AS cursor_at',
  ].join(', ');
}
