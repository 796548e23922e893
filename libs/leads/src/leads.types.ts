import type { MatchScore } from '@app/matching';
import type { Assignment } from './broker-assignment';
import type { DeclineReason, LeadState } from './lead-lifecycle';
import type { ContractRecord, SubsidyEstimate } from './subsidy';

export type PartnerKind = 'achievement' | 'expert';

/** What a lead keeps of the match that made it: score, parts, explanation, and what it was scored with. */
export interface LeadMatch extends MatchScore {
  similarity?: number;
  /** The fitted weight version; null: the configured weights. */
  weightsVersion?: number | null;
  /** Predicted acceptance when a fitted version was active. */
  probability?: number | null;
}

export interface Lead {
  id: string;
  demandId: string;
  partnerKind: PartnerKind;
  partnerId: string;
  origin: 'matching' | 'manual' | 'challenge';
  /** The challenge whose award made (or took over) this lead: its contract gets the challenge-winner rate. */
  challengeId: string | null;
  score: number;
  match: LeadMatch;
  /** Below the bar, sent on purpose (a logged share) so that the ranking can learn beyond itself. */
  exploratory: boolean;
  state: LeadState;
  brokerId: string | null;
  offersMade: number;
  escalatedAt: string | null;
  consentAt: string | null;
  declineReason: DeclineReason | null;
  declineNote: string | null;
  contract: ContractRecord | null;
  subsidy: SubsidyEstimate | null;
  createdAt: string;
  updatedAt: string;
}

export interface LeadOffer {
  id: string;
  leadId: string;
  brokerId: string;
  attempt: number;
  reasons: Assignment;
  offeredAt: string;
  dueAt: string;
  outcome: 'accepted' | 'declined' | 'expired' | 'withdrawn' | null;
  respondedAt: string | null;
}

export interface LeadEvent {
  id: string;
  fromState: LeadState | null;
  toState: LeadState;
  actor: string;
  data: Record<string, unknown>;
  at: string;
}

/** The organisations on each side of a lead, for the access decisions. */
export interface LeadParties {
  demandOrganisationId: string;
  partnerOrganisationId: string;
  brokerOrganisationId: string | null;
}

export interface NewLead {
  demandId: string;
  partnerKind: PartnerKind;
  partnerId: string;
  origin: Lead['origin'];
  match: LeadMatch;
  exploratory?: boolean;
}
