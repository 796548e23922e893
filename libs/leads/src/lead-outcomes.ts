import type { Outcome } from '@app/learning';
import type { DeclineReason } from './lead-lifecycle';
import type { LeadOutcomeRow } from './match-candidates.repository';

/**
 * The parts a decline's reason says were wrong; absent: the whole score. "Already in contact" says nothing about
 * the match and is not an outcome.
 */
const BLAMED: Partial<Record<DeclineReason, readonly string[]>> = {
  wrong_field: ['semantic', 'keywords', 'industry'],
  price_mismatch: ['price'],
  too_early_stage: ['readiness'],
};

/** A lead's outcome for the learner: accepted (and anything after), declined, or lapsed at every broker. */
export function outcomeOf(row: LeadOutcomeRow): Outcome | null {
  if (Object.keys(row.parts).length === 0) return null;
  const base = { parts: row.parts, confidence: row.confidence, propensity: row.propensity, at: row.createdAt };
  if (row.state === 'declined') {
    if (row.declineReason === 'already_in_contact') return null;
    const blamed = row.declineReason ? BLAMED[row.declineReason] : undefined;
    return { ...base, accepted: false, ...(blamed ? { blamed } : {}) };
  }
  if (row.state === 'unassigned' || row.state === 'offered') return row.escalated ? { ...base, accepted: false } : null;
  return { ...base, accepted: true };
}

/** What lead generation does with a candidate: the bar it is held to, and whether it becomes a lead. */
export interface Decision {
  decision: 'lead' | 'exploration' | 'below';
  threshold: number;
  propensity: number;
}

/**
 * Above the bar (the predicted probability once a fitted version is active, else the score) a match is a lead;
 * within `margin` below it, a `share` of them are sent anyway as exploratory leads, while the record has room for
 * more leads. `draw` is a number in [0, 1) fixed for the pair, so that a retried job decides the same way.
 */
export function decide(
  match: { total: number; probability?: number | null },
  bars: { minScore: number; minProbability: number; share: number; margin: number },
  draw: number,
  room: boolean,
): Decision {
  const byProbability = match.probability !== null && match.probability !== undefined;
  const value = byProbability ? match.probability! : match.total;
  const threshold = byProbability ? bars.minProbability : bars.minScore;
  if (value >= threshold)
    return room ? { decision: 'lead', threshold, propensity: 1 } : { decision: 'below', threshold, propensity: 0 };
  if (value < threshold - bars.margin || bars.share === 0) return { decision: 'below', threshold, propensity: 0 };
  return {
    decision: draw < bars.share && room ? 'exploration' : 'below',
    threshold,
    propensity: room ? bars.share : 0,
  };
}
