import type { ProfileKind } from '@app/access';

export type { ProfileKind };

export const ORGANISATION_KINDS = [
  'university',
  'institute',
  'enterprise',
  'transfer_organisation',
  'programme',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** 技术转让 / 许可 / 作价入股 / 合作开发 / 技术服务 */
export const COOPERATION_MODES = ['transfer', 'licence', 'equity', 'joint_development', 'service'] as const;
export type CooperationMode = (typeof COOPERATION_MODES)[number];

/** 挂牌 / 拍卖 / 协议定价 */
export const TRANSACTION_MODES = ['listing', 'auction', 'negotiated'] as const;
export type TransactionMode = (typeof TRANSACTION_MODES)[number];

export const ACHIEVEMENT_STATUSES = ['draft', 'listed', 'under_negotiation', 'traded', 'withdrawn'] as const;
export type AchievementStatus = (typeof ACHIEVEMENT_STATUSES)[number];

export const DEMAND_STATUSES = ['draft', 'open', 'closed', 'withdrawn'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** The demand fields an enterprise may mark confidential: hidden from everyone but the owner and an admin. */
export const CONFIDENTIAL_DEMAND_FIELDS = ['description', 'budgetMin', 'budgetMax', 'keywords', 'deadline'] as const;
export type ConfidentialDemandField = (typeof CONFIDENTIAL_DEMAND_FIELDS)[number];

export const PATENT_STATUSES = ['pending', 'granted', 'expired', 'invalidated'] as const;

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  regionCode: string;
  creditCode: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a profile's vector stands. `modelId` says which model made it (see models/README.md). */
export interface EmbeddingState {
  status: 'pending' | 'ready' | 'failed';
  error: string | null;
  modelId: string | null;
  contentHash: string;
  embeddedAt: string | null;
}

interface ProfileBase {
  id: string;
  organisationId: string;
  embedding: EmbeddingState;
  createdAt: string;
  updatedAt: string;
}

export interface Patent {
  number: string;
  status: (typeof PATENT_STATUSES)[number];
}

export interface Achievement extends ProfileBase {
  title: string;
  abstract: string;
  keywords: string[];
  industryCode: string | null;
  disciplineCode: string | null;
  readinessLevel: number;
  patents: Patent[];
  green: boolean;
  transactionMode: TransactionMode;
  askingPrice: number | null;
  cooperationModes: CooperationMode[];
  inventors: string[];
  regionCode: string;
  status: AchievementStatus;
  visibility: Visibility;
  externalId: string | null;
}

export interface Demand extends ProfileBase {
  title: string;
  description: string | null;
  keywords: string[] | null;
  industryCode: string | null;
  regionCode: string;
  budgetMin: number | null;
  budgetMax: number | null;
  cooperationModes: CooperationMode[];
  minReadinessLevel: number | null;
  deadline: string | null;
  challengePrize: number | null;
  greenPreferred: boolean;
  status: DemandStatus;
  confidentialFields: ConfidentialDemandField[];
  externalId: string | null;
}

export interface Expert extends ProfileBase {
  name: string;
  expertise: string;
  disciplineCodes: string[];
  regionCodes: string[];
  /** The commissioner programme (科技特派员) this expert serves, if any. */
  programmeId: string | null;
  active: boolean;
}

export interface Broker extends ProfileBase {
  name: string;
  expertise: string;
  industryCodes: string[];
  regionCodes: string[];
  /** Open leads at most. */
  capacity: number;
  active: boolean;
}

export type Profile = Achievement | Demand | Expert | Broker;

export interface ProfileByKind {
  achievement: Achievement;
  demand: Demand;
  expert: Expert;
  broker: Broker;
}

/** What a record's writer sets: its fields, without what the service keeps itself (id, owner, vector, times). */
export type ProfileFields<K extends ProfileKind> = Omit<ProfileByKind[K], keyof ProfileBase>;

/** What a write gives: some of the fields (a create DTO gives the required ones, a PATCH any). */
export type ProfileInput<K extends ProfileKind> = Partial<ProfileFields<K>>;

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
