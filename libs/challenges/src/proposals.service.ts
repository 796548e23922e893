import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayAnswerChallenge, mayJudge, maySeeProposal, type Actor } from '@app/access';
import { dot, EmbeddingService } from '@app/embedding';
import { Jobs } from '@app/jobs';
import { Db } from '@app/persistence';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import { criterionShares, takesProposals } from './challenge-lifecycle';
import { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
import {
  ChallengeNotEditableError,
  ChallengeNotFoundError,
  NotEligibleError,
  ProposalExistsError,
  ProposalNotFoundError,
} from './challenges.errors';
import { ProposalsRepository } from './proposals.repository';
import type { NewProposal, Proposal } from './proposals.types';

/** One part of a proposal's machine fit, explained. */
export interface FitPart {
  name: string;
  value: number;
  weight: number;
  why: { zh: string; en: string };
}

/** A proposal in the ranking its challenge's owner and judges see: the machine's fit and the judges' scores. */
export interface RankedProposal extends Proposal {
  rank: number;
  /** 0-1; null while the proposal's text is still being embedded. */
  fit: number | null;
  fitParts: FitPart[];
  /** Mean of the judges' scores per criterion (0-10), and their weighted total (0-10); null before any score. */
  judgeScores: Record<string, number>;
  judgeTotal: number | null;
  judges: number;
}

/** Half of the fit is the proposal against the problem statement; the other half is shared out by the criteria. */
const STATEMENT_SHARE = 0.5;

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
    const shares = criterionShares(challenge.criteria);
    const [statement, ...criteria] = await this.embedding.embed(
      [challenge.statement, ...challenge.criteria.map((c) => `${c.name}：${c.description}`)],
      'query',
    );
    const ranked = entries.map(({ proposal, vector }): Omit<RankedProposal, 'rank'> => {
      const fitParts: FitPart[] = vector
        ? [
            part('statement', dot(statement, vector), STATEMENT_SHARE, '与榜单问题', 'to the problem statement'),
            ...challenge.criteria.map((c, i) =>
              part(
                c.name,
                dot(criteria[i], vector),
                (1 - STATEMENT_SHARE) * shares.get(c.name)!,
                `与"${c.name}"`,
                `to "${c.name}"`,
              ),
            ),
          ]
        : [];
      const mine = scores.filter((s) => s.proposalId === proposal.id);
      const judgeScores = Object.fromEntries(
        challenge.criteria
          .map((c) => [c.name, mean(mine.filter((s) => s.criterion === c.name).map((s) => s.score))] as const)
          .filter(([, m]) => m !== null),
      ) as Record<string, number>;
      const judged = Object.keys(judgeScores);
      return {
        ...publicOf(proposal),
        fit: vector ? round(fitParts.reduce((s, p) => s + p.value * p.weight, 0)) : null,
        fitParts,
        judgeScores,
        // Over the criteria scored so far, their shares renormalised.
        judgeTotal: judged.length
          ? round(
              judged.reduce((s, c) => s + judgeScores[c] * shares.get(c)!, 0) /
                judged.reduce((s, c) => s + shares.get(c)!, 0),
            )
          : null,
        judges: new Set(mine.map((s) => s.judge)).size,
      };
    });
    ranked.sort((a, b) => (b.judgeTotal ?? -1) - (a.judgeTotal ?? -1) || (b.fit ?? -1) - (a.fit ?? -1));
    return ranked.map((r, i) => ({ ...r, rank: i + 1 }));
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
    await this.proposals.score(id, actor.apiKeyId, scores);
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
    if (challenge.eligibleKinds.length > 0 && !challenge.eligibleKinds.includes(org.kind))
      throw new NotEligibleError(`organisations of kind ${challenge.eligibleKinds.join(', ')} only`);
    if (challenge.eligibleRegions.length > 0 && !challenge.eligibleRegions.some((r) => org.regionCode.startsWith(r)))
      throw new NotEligibleError(`organisations in regions ${challenge.eligibleRegions.join(', ')} only`);
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

function part(name: string, similarity: number, weight: number, zh: string, en: string): FitPart {
  const value = round(Math.max(0, similarity));
  return {
    name,
    value,
    weight: round(weight),
    why: { zh: `${zh}的语义相似度 ${value.toFixed(2)}`, en: `semantic similarity ${value.toFixed(2)} ${en}` },
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number) => Math.round(x * 1000) / 1000;

/** What leaves the service of a proposal (not its version). */
function publicOf(p: Proposal & { version?: string }): Proposal {
  const { version: _version, ...proposal } = p;
  return proposal;
}
