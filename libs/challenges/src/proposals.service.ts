import { Injectable } from '@nestjs/common';
import {
  ForbiddenError,
  mayAnswerChallenge,
  mayJudge,
  mayProposeTo,
  maySeeProposal,
  solverRefusal,
  type Actor,
} from '@app/access';
import { EmbeddingService } from '@app/embedding';
import { Jobs } from '@app/jobs';
import { Db } from '@app/persistence';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import { takesProposals } from './challenge-lifecycle';
import { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
import {
  ChallengeNotEditableError,
  ChallengeNotFoundError,
  NotEligibleError,
  ProposalExistsError,
  ProposalNotFoundError,
  TermsNotAcceptedError,
} from './challenges.errors';
import { rankProposals, type RankedProposal } from './proposal-ranking';
import { ProposalsRepository } from './proposals.repository';
import type { NewProposal, Proposal } from './proposals.types';

/**
 * Proposals: submitted by eligible solvers while the challenge takes them (one per organisation, edited until the
 * deadline), seen by their author, the owner, the judges and operators only; embedded by the worker; ranked for the
 * owner and judges by their fit to the challenge (the statement and each criterion, explained) beside the judges'
 * scores.
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly db: Db,
    private readonly proposals: ProposalsRepository,
    private readonly views: ChallengeViewsService,
    private readonly organisations: OrganisationsService,
    private readonly profiles: ProfilesService,
    private readonly embedding: EmbeddingService,
    private readonly jobs: Jobs,
  ) {}

  async submit(actor: Actor, challengeId: string, input: NewProposal): Promise<Proposal> {
    const challenge = await this.views.get(actor, challengeId);
    if (!mayAnswerChallenge(actor, challenge.party)) throw new ForbiddenError('answer this challenge');
    this.checkOpen(challenge);
    await this.checkEligible(actor.organisationId!, challenge);
    if (!mayProposeTo(actor, challenge.party)) throw new TermsNotAcceptedError(challengeId);
    await this.checkOwnRecords(actor, input);
    const created = await this.db.transaction(async (tx) => {
      const proposal = await this.proposals.insert(tx, challengeId, actor.organisationId!, input);
      if (proposal) await this.jobs.add(tx, 'embed-proposal', { proposalId: proposal.id, version: proposal.version });
      return proposal;
    });
    if (!created) {
      const existing = (await this.proposals.findOf(challengeId, actor.organisationId!))!;
      throw new ProposalExistsError(existing.id);
    }
    return publicOf(created);
  }

  async edit(actor: Actor, id: string, input: NewProposal): Promise<Proposal> {
    const edited = await this.db.transaction(async (tx) => {
      const current = await this.proposals.find(id, tx);
      if (!current || current.organisationId !== actor.organisationId) throw new ProposalNotFoundError(id);
      this.checkOpen(await this.views.get(actor, current.challengeId, tx));
      await this.checkOwnRecords(actor, input);
      const proposal = await this.proposals.update(tx, id, input);
      await this.jobs.add(tx, 'embed-proposal', { proposalId: id, version: proposal.version });
      return proposal;
    });
    return publicOf(edited);
  }

  async get(actor: Actor, id: string): Promise<Proposal> {
    const proposal = await this.proposals.find(id);
    const challenge = proposal && (await this.visibleChallenge(actor, proposal.challengeId));
    if (!proposal || !challenge || !maySeeProposal(actor, challenge.party, proposal.organisationId))
      throw new ProposalNotFoundError(id);
    return publicOf(proposal);
  }

  /** The actor's own proposal to a challenge, if any (a solver's view of what it sent). */
  async mine(actor: Actor, challengeId: string): Promise<Proposal | null> {
    await this.views.get(actor, challengeId);
    const p = actor.organisationId ? await this.proposals.findOf(challengeId, actor.organisationId) : undefined;
    return p ? publicOf(p) : null;
  }

  /**
   * The owner's, judges' and operators' view: every proposal, ranked by the judges' weighted total once any judge
   * scored (the machine's fit breaking ties and ranking the unscored), by the fit before that.
   */
  async ranked(actor: Actor, challengeId: string): Promise<RankedProposal[]> {
    const challenge = await this.views.get(actor, challengeId);
    if (!['owner', 'judge', 'admin'].includes(challenge.party))
      throw new ForbiddenError("see this challenge's proposals");
    const [entries, scores] = await Promise.all([
      this.proposals.ofChallenge(challengeId, this.embedding.modelId),
      this.proposals.scoresOf(challengeId),
    ]);
    const [statementVector, ...criterionVectors] = await this.embedding.embed(
      [challenge.statement, ...challenge.criteria.map((c) => `${c.name}：${c.description}`)],
      'query',
    );
    return rankProposals({
      criteria: challenge.criteria,
      statementVector,
      criterionVectors,
      entries: entries.map((e) => ({ ...e, proposal: publicOf(e.proposal) })),
      scores,
    });
  }

  /** A judge's scores (0-10) of a proposal on some of the challenge's criteria, until the award. */
  async score(actor: Actor, id: string, scores: Record<string, number>): Promise<RankedProposal> {
    const proposal = await this.proposals.find(id);
    const challenge = proposal && (await this.visibleChallenge(actor, proposal.challengeId));
    if (!proposal || !challenge || !maySeeProposal(actor, challenge.party, proposal.organisationId))
      throw new ProposalNotFoundError(id);
    if (!mayJudge(challenge.party)) throw new ForbiddenError('score this proposal');
    if (challenge.state !== 'open' && challenge.state !== 'reviewing')
      throw new ChallengeNotEditableError(
        'scores',
        `the proposals of a ${challenge.state} challenge are no longer scored`,
      );
    const unknown = Object.keys(scores).find((c) => !challenge.criteria.some((k) => k.name === c));
    if (unknown) throw new ChallengeNotEditableError('scores', `no criterion "${unknown}" in this challenge`);
    await this.proposals.score(id, { organisationId: actor.organisationId!, apiKeyId: actor.apiKeyId }, scores);
    return (await this.ranked(actor, proposal.challengeId)).find((p) => p.id === id)!;
  }

  /** `embed-proposal`: the proposal's text at that version to a vector; a later edit makes this a no-op. */
  async embed(proposalId: string, version: string): Promise<'embedded' | 'changed'> {
    const text = await this.proposals.textAt(proposalId, version);
    if (text === undefined) return 'changed';
    const vector = await this.embedding.embedOne(text);
    return (await this.proposals.storeEmbedding(proposalId, version, vector, this.embedding.modelId))
      ? 'embedded'
      : 'changed';
  }

  /** The challenge if the actor may see it; undefined when it may not (any other failure is thrown). */
  private async visibleChallenge(actor: Actor, id: string): Promise<ChallengeView | undefined> {
    return this.views.get(actor, id).catch((e: unknown) => {
      if (e instanceof ChallengeNotFoundError) return undefined;
      throw e;
    });
  }

  private checkOpen(challenge: ChallengeView): void {
    if (!takesProposals(challenge.state, new Date(challenge.deadline), new Date()))
      throw new ChallengeNotEditableError(
        'proposal',
        `the challenge takes no proposals (${challenge.state}, deadline ${challenge.deadline})`,
      );
  }

  private async checkEligible(organisationId: string, challenge: ChallengeView): Promise<void> {
    const org = await this.organisations.get(organisationId);
    const refusal = solverRefusal({ organisationId, kind: org.kind, regionCode: org.regionCode }, challenge);
    if (refusal) throw new NotEligibleError(refusal);
  }

  /** A proposal builds on its author's own achievements and experts. */
  private async checkOwnRecords(actor: Actor, input: NewProposal): Promise<void> {
    for (const [kind, ids] of [
      ['achievement', input.achievementIds],
      ['expert', input.expertIds],
    ] as const) {
      for (const id of ids) {
        const record = await this.profiles.get(actor, kind, id);
        if (record.organisationId !== actor.organisationId)
          throw new NotEligibleError(`${kind === 'achievement' ? 'achievementIds' : 'expertIds'}: ${id} is not yours`);
      }
    }
  }
}

/** What leaves the service of a proposal (not its version). */
function publicOf(p: Proposal & { version?: string }): Proposal {
  const { version: _version, ...proposal } = p;
  return proposal;
}
