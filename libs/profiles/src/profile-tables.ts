import type { ProfileKind } from './profiles.types';

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

const col = (field: string, column: string, type?: Column['type']): Column => ({ field, column, type });

export const PROFILE_TABLES: Record<ProfileKind, ProfileTable> = {
  achievement: {
    kind: 'achievement',
    table: 'achievements',
    columns: [
      col('title', 'title'),
      col('abstract', 'abstract'),
      col('keywords', 'keywords'),
      col('industryCode', 'industry_code'),
      col('disciplineCode', 'discipline_code'),
      col('readinessLevel', 'readiness_level'),
      col('patents', 'patents', 'json'),
      col('green', 'green'),
      col('transactionMode', 'transaction_mode'),
      col('askingPrice', 'asking_price', 'numeric'),
      col('cooperationModes', 'cooperation_modes'),
      col('inventors', 'inventors'),
      col('regionCode', 'region_code'),
      col('status', 'status'),
      col('visibility', 'visibility'),
      col('externalId', 'external_id'),
    ],
    withdraw: "status = 'withdrawn'",
    withdrawn: "status = 'withdrawn'",
    filters: { status: 'status', region: 'region_code', industry: 'industry_code' },
  },
  demand: {
    kind: 'demand',
    table: 'demands',
    columns: [
      col('title', 'title'),
      col('description', 'description'),
      col('keywords', 'keywords'),
      col('industryCode', 'industry_code'),
      col('regionCode', 'region_code'),
      col('budgetMin', 'budget_min', 'numeric'),
      col('budgetMax', 'budget_max', 'numeric'),
      col('cooperationModes', 'cooperation_modes'),
      col('minReadinessLevel', 'min_readiness_level'),
      col('deadline', 'deadline', 'text'),
      col('challengePrize', 'challenge_prize', 'numeric'),
      col('greenPreferred', 'green_preferred'),
      col('status', 'status'),
      col('confidentialFields', 'confidential_fields'),
      col('externalId', 'external_id'),
    ],
    withdraw: "status = 'withdrawn'",
    withdrawn: "status = 'withdrawn'",
    filters: { status: 'status', region: 'region_code', industry: 'industry_code' },
  },
  expert: {
    kind: 'expert',
    table: 'experts',
    columns: [
      col('name', 'name'),
      col('expertise', 'expertise'),
      col('disciplineCodes', 'discipline_codes'),
      col('regionCodes', 'region_codes'),
      col('programmeId', 'programme_id'),
      col('active', 'active'),
    ],
    withdraw: 'active = false',
    withdrawn: 'NOT active',
    filters: { regions: 'region_codes' },
  },
  broker: {
    kind: 'broker',
    table: 'brokers',
    columns: [
      col('name', 'name'),
      col('expertise', 'expertise'),
      col('industryCodes', 'industry_codes'),
      col('regionCodes', 'region_codes'),
      col('capacity', 'capacity'),
      col('active', 'active'),
    ],
    withdraw: 'active = false',
    withdrawn: 'NOT active',
    filters: { regions: 'region_codes', industries: 'industry_codes' },
  },
};
