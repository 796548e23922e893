import { Injectable } from '@nestjs/common';
import { ChallengeInvitationsService, ChallengeLifecycleService, ProposalsService } from '@app/challenges';
import { isFinalAttempt, Jobs, QUEUES, QueueProcessor, type JobHandlers } from '@app/jobs';

/** The `challenges` queue: a challenge's deadline (and the sweep for deadlines whose job was lost), proposals' vectors. */
@Injectable()
export class ChallengesProcessor extends QueueProcessor<'challenges'> {
  constructor(
    private readonly lifecycle: ChallengeLifecycleService,
    private readonly proposals: ProposalsService,
    private readonly invitations: ChallengeInvitationsService,
    jobs: Jobs,
  ) {
    super(QUEUES.challenges, jobs, 2);
  }

  protected handlers(): JobHandlers<'challenges'> {
    return {
      'review-challenge': (payload) => this.lifecycle.review(payload.challengeId),
      'review-due-challenges': () => this.lifecycle.reviewDue(),
      'invite-solvers': (payload) => this.invitations.invite(payload.challengeId),
      'deliver-invitation': (payload, job) =>
        this.invitations.deliver(payload.invitationId, {
          finalAttempt: isFinalAttempt(job),
          replay: payload.replay !== undefined,
        }),
      'embed-proposal': (payload) => this.proposals.embed(payload.proposalId, payload.version),
    };
  }
}
