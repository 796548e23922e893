/** A solver's answer to a challenge: one per organisation, edited until the deadline. */
export interface Proposal {
  id: string;
  challengeId: string;
  organisationId: string;
  summary: string;
  approach: string;
  team: string;
  price: number | null;
  timeline: string;
  /** The author's achievements and experts it builds on; the award's lead goes to one of them. */
  achievementIds: string[];
  expertIds: string[];
  /** After the award: won, or not awarded with the owner's reason. */
  outcome: 'won' | 'not_awarded' | null;
  outcomeReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewProposal = Pick<
  Proposal,
  'summary' | 'approach' | 'team' | 'price' | 'timeline' | 'achievementIds' | 'expertIds'
>;

export interface JudgeScore {
  proposalId: string;
  judge: string;
  criterion: string;
  score: number;
}
