import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayAward, type Actor } from '@app/access';
import { LeadGenerationService } from '@app/leads';
import { Db } from '@app/persistence';
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
    const challenge = await this.views.get(actor, challengeId);
    if (!mayAward(challenge.party)) throw new ForbiddenError('award this challenge');
    if (challenge.state !== 'reviewing')
      throw new ChallengeTransitionError(challenge.state, 'awarded', manualNext(challenge.state));
    if (!input.reason.trim()) throw new ReasonRequiredError('awarded');
    const proposal = await this.proposals.find(input.proposalId);
    if (!proposal || proposal.challengeId !== challengeId) throw new ProposalNotFoundError(input.proposalId);
    const builtOn = input.partnerKind === 'achievement' ? proposal.achievementIds : proposal.expertIds;
    if (!builtOn.includes(input.partnerId))
      throw new NotEligibleError(`partnerId: the proposal does not build on ${input.partnerKind} ${input.partnerId}`);
    // The lead first (idempotent on the pair): an award interrupted here and tried again finds it.
    const leadId = await this.leads.award(
      { demandId: challenge.demandId, partnerKind: input.partnerKind, partnerId: input.partnerId },
      challengeId,
      actor.apiKeyId,
    );
    await this.db.transaction(async (tx) => {
      if (
        !(await this.challenges.move(tx, challengeId, 'reviewing', 'awarded', { actor: actor.apiKeyId, reason: null }))
      )
        return; // awarded meanwhile by the same request tried again
      await this.challenges.setAward(tx, challengeId, proposal.id, leadId);
      await this.proposals.settle(tx, challengeId, proposal.id, input.reason);
    });
    return this.views.get(actor, challengeId);
  }
}
