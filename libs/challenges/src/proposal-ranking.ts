import { dot } from '@app/embedding';
import { criterionShares, type Criterion } from './challenge-lifecycle';
import type { JudgeScore, Proposal } from './proposals.types';

// How the proposals of a challenge are ranked for its owner and judges: pure, over vectors already computed.

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
export const STATEMENT_SHARE = 0.5;

export interface RankingInput {
  criteria: readonly Criterion[];
  /** The statement and each criterion (in `criteria`'s order), embedded as queries. */
  statementVector: Float32Array;
  criterionVectors: readonly Float32Array[];
  /** Each proposal with its passage vector, null while it is being embedded. */
  entries: readonly { proposal: Proposal; vector: Float32Array | null }[];
  scores: readonly JudgeScore[];
}

/**
 * Judged proposals first, by the judges' weighted total (over the criteria scored so far, their shares
 * renormalised); then, and among equal totals, by the machine's fit; proposals not yet embedded last.
 */
export function rankProposals(input: RankingInput): RankedProposal[] {
  const shares = criterionShares(input.criteria);
  const ranked = input.entries.map(({ proposal, vector }): Omit<RankedProposal, 'rank'> => {
    const fitParts: FitPart[] = vector
      ? [
          part(
            'statement',
            dot(input.statementVector, vector),
            STATEMENT_SHARE,
            '与榜单问题',
            'to the problem statement',
          ),
          ...input.criteria.map((c, i) =>
            part(
              c.name,
              dot(input.criterionVectors[i], vector),
              (1 - STATEMENT_SHARE) * shares.get(c.name)!,
              `与"${c.name}"`,
              `to "${c.name}"`,
            ),
          ),
        ]
      : [];
    const mine = input.scores.filter((s) => s.proposalId === proposal.id);
    const judgeScores = Object.fromEntries(
      input.criteria
        .map((c) => [c.name, mean(mine.filter((s) => s.criterion === c.name).map((s) => s.score))] as const)
        .filter(([, m]) => m !== null),
    ) as Record<string, number>;
    const judged = Object.keys(judgeScores);
    return {
      ...proposal,
      fit: vector ? round(fitParts.reduce((s, p) => s + p.value * p.weight, 0)) : null,
      fitParts,
      judgeScores,
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
