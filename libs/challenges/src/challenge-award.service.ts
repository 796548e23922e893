import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayAward, type Actor } from '@app/access';
import { LeadGenerationService } from '@app/leads';
import { Db, type Queryable } from '@app/persistence';
import { manualNext } from './challenge-lifecycle';
import { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
import {
  ChallengeTransitionError,
  NotEligibleError,
  ProposalNotFoundError,
  ReasonRequiredError,
} from './challenges.errors';
import { ChallengesRepository } from './challenges.repository';
import { ProposalsRepository } from './proposals.repository';

export interface AwardInput {
  proposalId: string;
  /** The winner's achievement or expert the lead goes to: one the proposal builds on. */
  partnerKind: 'achievement' | 'expert';
  partnerId: string;
  /** Told to every other solver. */
  reason: string;
}

/**
 * The award: the owner (or an operator) picks one proposal of a challenge in review. It becomes the lead between the
 * challenge's demand and the winner's achievement or expert, consented to by the enterprise and offered to a broker
 * as every lead is; its contract gets the challenge-winner subsidy rate. The other solvers are told, with the reason.
 */
@Injectable()
export class ChallengeAwardService {
  constructor(
    private readonly db: Db,
    private readonly challenges: ChallengesRepository,
    private readonly proposals: ProposalsRepository,
    private readonly views: ChallengeViewsService,
    private readonly leads: LeadGenerationService,
  ) {}

  async award(actor: Actor, challengeId: string, input: AwardInput): Promise<ChallengeView> {
    const before = await this.check(actor, challengeId, input);
    if (before === 'awarded') return this.views.get(actor, challengeId);
    const pair = { demandId: before.demandId, partnerKind: input.partnerKind, partnerId: input.partnerId };
    const match = await this.leads.scoreAward(pair);
    // One transaction under the challenge's row lock: of awards racing (in any API process), the first to lock it
    // moves it to awarded with its lead; the others then find it awarded and get 409, having changed nothing.
    await this.db.transaction(async (tx) => {
      const now = await this.check(actor, challengeId, input, tx);
      if (now === 'awarded') return;
      const leadId = await this.leads.award(tx, pair, match, challengeId, actor.apiKeyId);
      await this.challenges.move(tx, challengeId, 'reviewing', 'awarded', { actor, reason: null });
      await this.challenges.setAward(tx, challengeId, input.proposalId, leadId);
      await this.proposals.settle(tx, challengeId, input.proposalId, input.reason);
    });
    return this.views.get(actor, challengeId);
  }

  /**
   * Whether this award may be made now: the challenge (locked in `tx`, when given) in review, the proposal its own and
   * built on the partner. 'awarded' when this very proposal already won (the same award sent again: nothing to do);
   * another state, or another proposal's award, is a 409.
   */
  private async check(
    actor: Actor,
    challengeId: string,
    input: AwardInput,
    tx?: Queryable,
  ): Promise<ChallengeView | 'awarded'> {
    const challenge = await this.views.get(actor, challengeId, tx, tx !== undefined);
    if (!mayAward(challenge.party)) throw new ForbiddenError('award this challenge');
    if (challenge.state === 'awarded' && challenge.awardedProposalId === input.proposalId) return 'awarded';
    if (challenge.state !== 'reviewing')
      throw new ChallengeTransitionError(challenge.state, 'awarded', manualNext(challenge.state));
    if (!input.reason.trim()) throw new ReasonRequiredError('awarded');
    const proposal = await this.proposals.find(input.proposalId, tx);
    if (!proposal || proposal.challengeId !== challengeId) throw new ProposalNotFoundError(input.proposalId);
    const builtOn = input.partnerKind === 'achievement' ? proposal.achievementIds : proposal.expertIds;
    if (!builtOn.includes(input.partnerId))
      throw new NotEligibleError(`partnerId: the proposal does not build on ${input.partnerKind} ${input.partnerId}`);
    return challenge;
  }
}
