/** The states of a challenge, from a draft to an award. */
export const CHALLENGE_STATES = ['draft', 'open', 'reviewing', 'awarded', 'closed', 'cancelled'] as const;
export type ChallengeState = (typeof CHALLENGE_STATES)[number];

/**
 * The moves. `reviewing` is reached only by the deadline (the system); `awarded` only through an award; `closed`
 * (without award) and `cancelled` need a reason.
 */
const NEXT: Record<ChallengeState, readonly ChallengeState[]> = {
  draft: ['open', 'cancelled'],
  open: ['reviewing', 'cancelled'],
  reviewing: ['awarded', 'closed'],
  awarded: [],
  closed: [],
  cancelled: [],
};

/** The states a person may move a challenge to by a transition (the award has its own request). */
export type ManualTarget = 'open' | 'cancelled' | 'closed';
export const MANUAL_TARGETS: readonly ManualTarget[] = ['open', 'cancelled', 'closed'];

export function canMove(from: ChallengeState, to: ChallengeState): boolean {
  return NEXT[from].includes(to);
}

/** What a person may do next from a state (for the 409 that refuses anything else). */
export function manualNext(from: ChallengeState): ManualTarget[] {
  return MANUAL_TARGETS.filter((t) => NEXT[from].includes(t));
}

export function needsReason(to: ChallengeState): boolean {
  return to === 'cancelled' || to === 'closed';
}

/** Proposals are taken while the challenge is open and its deadline not passed. */
export function takesProposals(state: ChallengeState, deadline: Date, now: Date): boolean {
  return state === 'open' && now.getTime() < deadline.getTime();
}

/**
 * A deadline may be set in a draft and moved while open, never to a time already passed; once reviewing it is
 * fixed. Returns why not, or undefined when the change is allowed.
 */
export function deadlineRefusal(state: ChallengeState, deadline: Date, now: Date): string | undefined {
  if (state !== 'draft' && state !== 'open') return `the deadline of a ${state} challenge is fixed`;
  if (deadline.getTime() <= now.getTime()) return 'the deadline must be in the future';
  return undefined;
}

/** A criterion the proposals are judged on; weights are relative (they need not sum to 1). */
export interface Criterion {
  name: string;
  description: string;
  weight: number;
}

/** The share of the total each criterion carries. */
export function criterionShares(criteria: readonly Criterion[]): Map<string, number> {
  const sum = criteria.reduce((s, c) => s + c.weight, 0);
  return new Map(criteria.map((c) => [c.name, sum > 0 ? c.weight / sum : 1 / criteria.length]));
}
