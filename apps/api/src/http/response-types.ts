/**
 * The bodies the API answers with, by name: `npm run openapi` turns each of these types into a schema of the OpenAPI
 * document (ts-json-schema-generator), and controllers name theirs with `@Answers`. The compiler keeps them true to
 * what the services return; nothing here exists at run time.
 */
import type {
  InboxItem,
  FunnelRow,
  LeadListItem,
  LeadView,
  MatchWithLead,
  PerformanceReport,
  Ranking,
  SubsidyRule,
  WebhookDelivery,
} from '@app/leads';
import type {
  ChallengeEvent,
  ChallengeFunnel,
  ChallengeInvitation,
  ChallengeView,
  Proposal,
  RankedProposal,
} from '@app/challenges';
import type { Assistance } from '@app/assistant';
import type { CreditRecord, CreditReport, CreditRule } from '@app/credit';
import type { WeightVersion } from '@app/learning';
import type { Match, SearchHit } from '@app/matching';
import type { ApiKeyRecord } from '@app/access';
import type { Achievement, Broker, Demand, Expert, ImportSummary, Organisation, Page } from '@app/profiles';
import type { Region } from '@app/taxonomy';
import type { ErrorBody } from './error.filter';
import type { Me } from '../me/me.controller';

export type {
  Achievement,
  Assistance,
  CreditRecord,
  CreditReport,
  CreditRule,
  Broker,
  Demand,
  ErrorBody,
  Expert,
  FunnelRow,
  ImportSummary,
  InboxItem,
  LeadView,
  Me,
};
export type { ChallengeView, Organisation, PerformanceReport, Proposal, RankedProposal, Ranking, Region, SubsidyRule };
export type { WebhookDelivery };

export type OrganisationPage = Page<Organisation>;
export type AchievementPage = Page<Achievement>;
export type DemandPage = Page<Demand>;
export type ExpertPage = Page<Expert>;
export type BrokerPage = Page<Broker>;

/** A new key: the secret is in the first answer only (null when an Idempotency-Key retry replays it). */
export interface ApiKeyCreated {
  id: string;
  secret: string | null;
  expiresAt: string;
}

export type ApiKeyPage = Page<ApiKeyRecord>;

/** A webhook set: its signing secret is in the first answer only. */
export interface WebhookSet {
  url: string;
  secret: string | null;
}

export type AchievementMatches = (MatchWithLead & { kind: 'achievement'; record: Achievement })[];
export type ExpertMatches = (MatchWithLead & { kind: 'expert'; record: Expert })[];
export type DemandMatches = (MatchWithLead & { kind: 'demand'; record: Demand })[];

export interface ProgrammePartners {
  achievements: (Match & { kind: 'achievement'; record: Achievement })[];
  experts: (Match & { kind: 'expert'; record: Expert })[];
  demands: (Match & { kind: 'demand'; record: Demand })[];
}

export type SearchHits = (SearchHit & { record: Achievement | Demand | Expert | Broker })[];

export interface LeadPage {
  items: LeadListItem[];
  nextCursor: string | null;
}

export type ChallengePage = Page<ChallengeView>;
export type ChallengeEvents = ChallengeEvent[];
export type ChallengeInvitations = ChallengeInvitation[];
export type { ChallengeFunnel, ChallengeInvitation };
export type RankedProposals = RankedProposal[];
export type MyProposal = Proposal | null;

export type Inbox = InboxItem[];
export type SubsidyRules = SubsidyRule[];
export type Funnel = FunnelRow[];

export type WebhookDeliveries = WebhookDelivery[];
export type WeightVersions = WeightVersion[];

/** The weights matching scores with: a fitted version's, or (version null) the configured ones. */
export interface ActiveWeights {
  version: number | null;
  weights: Record<string, number>;
}
export type Regions = Region[];

export interface DeclineReasons {
  total: number;
  reasons: { reason: string; count: number; notes: string[] }[];
}

export type Industries = { section: string; name: string; divisions: { code: string; name: string }[] }[];

export interface Liveness {
  status: 'ok';
}

/** `GET /health/ready`: Terminus' report, one entry per dependency. */
export interface Readiness {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
  details: Record<string, { status: string }>;
}

export type CreditRules = CreditRule[];
