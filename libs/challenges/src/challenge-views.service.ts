import { Injectable } from '@nestjs/common';
import {
  challengeForm,
  challengePartyOf,
  mayAnswerChallenge,
  mayAward,
  mayRunChallenge,
  maySeeChallenge,
  mayOperate,
  type Actor,
  type ChallengeParty,
} from '@app/access';
import type { Queryable } from '@app/persistence';
import { manualNext, type ChallengeState, type ManualTarget } from './challenge-lifecycle';
import { ChallengeNotFoundError } from './challenges.errors';
import { ChallengesRepository, type ChallengeRow } from './challenges.repository';
import type { Challenge, ChallengeEvent, ChallengeFilter } from './challenges.types';

/** A challenge as one actor sees it: the confidential details only in the full form, and what it may do next. */
export interface ChallengeView extends Challenge {
  /** How the viewer takes part: admin, owner, judge, registered (a solver that accepted the terms) or public. */
  party: ChallengeParty;
  /** The moves the viewer may make now (a transition's `to`). */
  next: ManualTarget[];
  /** The viewer may register for it and answer it. */
  mayAnswer: boolean;
}

/** Reading challenges: one, a page of them (the public list of open ones, or an organisation's own), their events. */
@Injectable()
export class ChallengeViewsService {
  constructor(private readonly challenges: ChallengesRepository) {}

  /** The actor's view; with `lock`, the challenge's row is locked in `tx` for the rest of it. */
  async get(actor: Actor, id: string, tx?: Queryable, lock = false): Promise<ChallengeView> {
    const c = await this.challenges.find(id, tx, lock);
    const view = c && this.viewOf(actor, c);
    if (!view) throw new ChallengeNotFoundError(id);
    return view;
  }

  /**
   * Open challenges by default (揭榜: what solvers browse); other states when asked. An organisation sees its own
   * drafts among them; operators see every draft.
   */
  async list(
    actor: Actor,
    query: ChallengeFilter & { limit?: number; cursor?: string; mine?: boolean },
  ): Promise<{ items: ChallengeView[]; nextCursor: string | null }> {
    const { limit, cursor, mine, ...filter } = query;
    const states: ChallengeState[] = filter.states?.length ? filter.states : mine ? [] : ['open'];
    const page = await this.challenges.list(
      {
        ...filter,
        states,
        ...(mine && actor.organisationId ? { organisationId: actor.organisationId } : {}),
        draftsOf: mayOperate(actor) ? 'all' : { organisationId: actor.organisationId },
      },
      limit ?? 20,
      cursor,
    );
    return { items: page.items.map((c) => this.viewOf(actor, c)!), nextCursor: page.nextCursor };
  }

  async events(actor: Actor, id: string): Promise<ChallengeEvent[]> {
    await this.get(actor, id);
    return this.challenges.events(id);
  }

  /** The actor's view, or undefined when it may not see the challenge at all. */
  viewOf(actor: Actor, c: ChallengeRow): ChallengeView | undefined {
    const party = challengePartyOf(actor, {
      organisationId: c.organisationId,
      eligibleKinds: c.eligibleKinds,
      eligibleRegions: c.eligibleRegions,
      ...c.parties,
    });
    if (!maySeeChallenge(party, c.openedAt !== null)) return undefined;
    const { parties: _parties, ...challenge } = c;
    const runs = mayRunChallenge(actor, c.organisationId);
    const next = manualNext(c.state).filter((to) => (to === 'closed' ? mayAward(party) : runs));
    return {
      ...challenge,
      confidentialDetails: challengeForm(party) === 'full' ? c.confidentialDetails : null,
      party,
      next,
      mayAnswer: c.state === 'open' && mayAnswerChallenge(actor, party),
    };
  }
}
