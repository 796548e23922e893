import { Injectable, Logger } from '@nestjs/common';
import {
  ForbiddenError,
  mayAnswerChallenge,
  mayAward,
  mayRunChallenge,
  solverRefusal,
  SYSTEM_ACTOR_ID,
  type Actor,
  type ChallengeParty,
} from '@app/access';
import { Jobs } from '@app/jobs';
import { Db, type Queryable } from '@app/persistence';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import {
  canMove,
  deadlineRefusal,
  manualNext,
  needsReason,
  type ChallengeState,
  type ManualTarget,
} from './challenge-lifecycle';
import { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
import {
  ChallengeNotEditableError,
  ChallengeNotFoundError,
  ChallengeTransitionError,
  NotEligibleError,
  ReasonRequiredError,
  UnknownJudgeError,
} from './challenges.errors';
import { ChallengesRepository, type ChallengeRow } from './challenges.repository';
import type { NewChallenge } from './challenges.types';
import { ProposalsRepository } from './proposals.repository';

/** What a draft's owner may change; once open, only the deadline. */
export type ChallengePatch = Partial<Omit<NewChallenge, 'demandId'>>;

/**
 * A challenge from draft to its end: publication (the deadline job committed with it), deadline changes, the move
 * to reviewing at the deadline (by its delayed job, or the sweep when that job was lost), cancellation and close
 * without award, and solvers' registrations. Every move is an event with its actor.
 */
@Injectable()
export class ChallengeLifecycleService {
  private readonly logger = new Logger(ChallengeLifecycleService.name);

  constructor(
    private readonly db: Db,
    private readonly challenges: ChallengesRepository,
    private readonly proposals: ProposalsRepository,
    private readonly profiles: ProfilesService,
    private readonly organisations: OrganisationsService,
    private readonly views: ChallengeViewsService,
    private readonly jobs: Jobs,
  ) {}

  async create(actor: Actor, input: NewChallenge): Promise<ChallengeView> {
    // Not found unless the actor may see the demand; forbidden unless it may write it.
    const demand = await this.profiles.get(actor, 'demand', input.demandId);
    if (!mayRunChallenge(actor, demand.organisationId)) throw new ForbiddenError('publish a challenge on this demand');
    this.checkDeadline('draft', input.deadline);
    await this.checkJudges(input.judgeExpertIds);
    const id = await this.db.transaction(async (tx) => {
      const created = await this.challenges.insert(
        tx,
        { organisationId: demand.organisationId, regionCode: demand.regionCode, industryCode: demand.industryCode },
        input,
      );
      await this.challenges.addEvent(tx, created, { fromState: null, toState: 'draft', actor });
      return created;
    });
    return this.views.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: ChallengePatch): Promise<ChallengeView> {
    await this.db.transaction(async (tx) => {
      const c = await this.runnable(actor, id, tx);
      if (c.state !== 'draft') {
        const fixed = Object.keys(patch).find(
          (k) => k !== 'deadline' && patch[k as keyof ChallengePatch] !== undefined,
        );
        if (fixed) throw new ChallengeNotEditableError(fixed, `fixed once the challenge is ${c.state}`);
      }
      if (patch.deadline !== undefined) this.checkDeadline(c.state, patch.deadline);
      if (patch.judgeExpertIds) await this.checkJudges(patch.judgeExpertIds);
      await this.challenges.update(tx, id, patch);
      if (patch.deadline !== undefined && c.state === 'open') {
        await this.challenges.addEvent(tx, id, {
          fromState: 'open',
          toState: 'open',
          actor,
          deadline: patch.deadline,
        });
        await this.jobs.add(tx, 'review-challenge', {
          challengeId: id,
          deadline: new Date(patch.deadline).toISOString(),
        });
      }
    });
    return this.views.get(actor, id);
  }

  /** A person's move: publish (open), cancel (from draft or open), or close without award (from reviewing). */
  async transition(actor: Actor, id: string, to: ManualTarget, reason?: string): Promise<ChallengeView> {
    await this.db.transaction(async (tx) => {
      const { c, party } = await this.visible(actor, id, tx);
      const allowedBy = to === 'closed' ? mayAward(party) : mayRunChallenge(actor, c.organisationId);
      if (!allowedBy) throw new ForbiddenError(`move this challenge to ${to}`);
      if (!canMove(c.state, to)) throw new ChallengeTransitionError(c.state, to, manualNext(c.state));
      if (needsReason(to) && !reason?.trim()) throw new ReasonRequiredError(to);
      if (to === 'open') this.checkDeadline('open', c.deadline, 'passed: set a new deadline before publishing');
      await this.challenges.move(tx, id, c.state, to, {
        actor,
        reason: needsReason(to) ? reason : null,
      });
      if (to === 'open') {
        await this.jobs.add(tx, 'review-challenge', { challengeId: id, deadline: c.deadline });
        await this.jobs.add(tx, 'invite-solvers', { challengeId: id });
      }
      // Closed without award: every solver is told why.
      if (to === 'closed') await this.proposals.settle(tx, id, null, reason!);
    });
    return this.views.get(actor, id);
  }

  /**
   * The deadline job: an open challenge whose deadline has passed moves to reviewing. A job of a deadline since
   * moved finds it not due and does nothing (the new deadline has its own job).
   */
  async review(challengeId: string): Promise<'reviewing' | 'not-due' | 'not-open'> {
    return this.db.transaction(async (tx) => {
      const c = await this.challenges.find(challengeId, tx, true);
      if (!c || c.state !== 'open') return 'not-open';
      if (new Date(c.deadline).getTime() > Date.now()) return 'not-due';
      await this.challenges.move(tx, challengeId, 'open', 'reviewing', { actor: SYSTEM_ACTOR_ID });
      this.logger.log({ challengeId, deadline: c.deadline }, 'challenge deadline passed: reviewing');
      return 'reviewing';
    });
  }

  /** The sweep: every open challenge past its deadline (its delayed job lost with Redis's data, say). */
  async reviewDue(): Promise<number> {
    let moved = 0;
    for (const id of await this.challenges.dueForReview()) if ((await this.review(id)) === 'reviewing') moved++;
    return moved;
  }

  /**
   * A solver registers for an open challenge and accepts its terms: if eligible (the policy's `solverRefusal`, as for
   * proposals), it then sees the confidential details.
   */
  async register(actor: Actor, id: string, acceptTerms: boolean): Promise<ChallengeView> {
    const { c, party } = await this.visible(actor, id, this.db.pool);
    if (!mayAnswerChallenge(actor, party)) throw new ForbiddenError('register for this challenge');
    if (c.state !== 'open')
      throw new ChallengeNotEditableError('registration', `the challenge is ${c.state}, not open`);
    if (!acceptTerms) throw new ChallengeNotEditableError('acceptTerms', 'the terms must be accepted to register');
    // The registration releases the confidential details: only an eligible solver gets one.
    const org = await this.organisations.get(actor.organisationId!);
    const refusal = solverRefusal({ organisationId: org.id, kind: org.kind, regionCode: org.regionCode }, c);
    if (refusal) throw new NotEligibleError(refusal);
    await this.challenges.register(id, actor.organisationId!, actor.apiKeyId);
    return this.views.get(actor, id);
  }

  /** The challenge, locked in `tx` (not the pool), and the actor's part in it; not found if it may not see it. */
  private async visible(actor: Actor, id: string, tx: Queryable): Promise<{ c: ChallengeRow; party: ChallengeParty }> {
    const c = await this.challenges.find(id, tx, tx !== this.db.pool);
    const view = c && this.views.viewOf(actor, c);
    if (!c || !view) throw new ChallengeNotFoundError(id);
    return { c, party: view.party };
  }

  /** The challenge if the actor may run it (not found if it may not even see it). */
  private async runnable(actor: Actor, id: string, tx: Queryable): Promise<ChallengeRow> {
    const { c } = await this.visible(actor, id, tx);
    if (!mayRunChallenge(actor, c.organisationId)) throw new ForbiddenError('change this challenge');
    return c;
  }

  private checkDeadline(state: ChallengeState, deadline: string, passed?: string): void {
    const why = deadlineRefusal(state, new Date(deadline), new Date());
    if (why) throw new ChallengeNotEditableError('deadline', passed && state === 'open' ? passed : why);
  }

  private async checkJudges(ids: readonly string[]): Promise<void> {
    const found = await this.challenges.activeExperts(ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new UnknownJudgeError(missing);
  }
}
