import type { SolverOrganisation } from '@app/access';
import type { OrganisationKind } from '@app/profiles';
import type { ChallengeState, Criterion } from './challenge-lifecycle';

/** A challenge as stored; `confidentialDetails` is null in the public form. */
export interface Challenge {
  id: string;
  demandId: string;
  organisationId: string;
  title: string;
  statement: string;
  confidentialDetails: string | null;
  terms: string;
  prizeAmount: number;
  prizeFor: string;
  deadline: string;
  eligibleRegions: string[];
  eligibleKinds: OrganisationKind[];
  criteria: Criterion[];
  judgeExpertIds: string[];
  industryCode: string | null;
  regionCode: string;
  state: ChallengeState;
  stateReason: string | null;
  awardedProposalId: string | null;
  leadId: string | null;
  openedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who else takes part, read with the challenge: for the access policy. */
export interface ChallengeParties {
  judgeOrganisationIds: string[];
  /** Organisations that registered and accepted the terms, with what eligibility reads of them. */
  registered: SolverOrganisation[];
}

/**
 * Who made a move, as any reader of the challenge may know it: the service itself (the deadline), an operator, or an
 * organisation by its name. Never a credential.
 */
export interface EventActor {
  kind: 'system' | 'operator' | 'organisation';
  organisationId: string | null;
  organisationName: string | null;
}

export interface ChallengeEvent {
  fromState: ChallengeState | null;
  toState: ChallengeState;
  actor: EventActor;
  reason: string | null;
  deadline: string | null;
  at: string;
}

export type NewChallenge = Omit<
  Challenge,
  | 'id'
  | 'organisationId'
  | 'industryCode'
  | 'regionCode'
  | 'state'
  | 'stateReason'
  | 'awardedProposalId'
  | 'leadId'
  | 'openedAt'
  | 'createdAt'
  | 'updatedAt'
>;

export interface ChallengeFilter {
  states?: ChallengeState[];
  organisationId?: string;
  regionCode?: string;
  industryCode?: string;
  prizeMin?: number;
  prizeMax?: number;
  deadlineBefore?: string;
  deadlineAfter?: string;
}
