/** The states of a lead, from the first offer to a broker to a closed deal. */
export const LEAD_STATES = [
  'unassigned',
  'offered',
  'accepted',
  'declined',
  'contacted',
  'negotiating',
  'contract_signed',
  'closed_won',
  'closed_lost',
] as const;
export type LeadState = (typeof LEAD_STATES)[number];

/** 项目太早期 / 收益不明确 / 价格不合适 / 领域不对 / 已在接触 / 其他 */
export const DECLINE_REASONS = [
  'too_early_stage',
  'benefit_unclear',
  'price_mismatch',
  'wrong_field',
  'already_in_contact',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** The states a person may move a lead to; `offered` and `unassigned` are reached only by assignment and escalation. */
export type ManualTarget = Exclude<LeadState, 'unassigned' | 'offered'>;
export const MANUAL_TARGETS: readonly ManualTarget[] = LEAD_STATES.filter(
  (s): s is ManualTarget => s !== 'unassigned' && s !== 'offered',
);

const NEXT: Record<LeadState, readonly LeadState[]> = {
  unassigned: ['offered', 'declined'],
  // offered -> offered: re-offered to the next broker when the service level lapses.
  offered: ['accepted', 'declined', 'offered', 'unassigned'],
  accepted: ['contacted', 'declined', 'closed_lost'],
  contacted: ['negotiating', 'closed_lost'],
  negotiating: ['contract_signed', 'closed_lost'],
  contract_signed: ['closed_won', 'closed_lost'],
  declined: [],
  closed_won: [],
  closed_lost: [],
};

export function canMove(from: LeadState, to: LeadState): boolean {
  return NEXT[from].includes(to);
}

/** What a person may do next from a state (for the 409 that refuses anything else). */
export function manualNext(from: LeadState): ManualTarget[] {
  return MANUAL_TARGETS.filter((t) => NEXT[from].includes(t));
}

/** Open leads count against a broker's capacity. */
export const OPEN_STATES: readonly LeadState[] = ['offered', 'accepted', 'contacted', 'negotiating'];

export function isTerminal(state: LeadState): boolean {
  return NEXT[state].length === 0;
}

/**
 * A lead whose demand or achievement was withdrawn is closed as lost by the system, from any open state; a signed
 * contract stays as it is (the deal happened).
 */
export function closesOnWithdrawal(state: LeadState): boolean {
  return OPEN_STATES.includes(state) || state === 'unassigned';
}
