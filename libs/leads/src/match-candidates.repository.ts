import { Injectable } from '@nestjs/common';
import type { Queryable } from '@app/persistence';
import type { DeclineReason, LeadState } from './lead-lifecycle';
import type { LeadMatch, PartnerKind } from './leads.types';

type Row = Record<string, unknown>;

/** One candidate lead generation scored, and what it did with it. */
export interface ScoredCandidate {
  demandId: string;
  partnerKind: PartnerKind;
  partnerId: string;
  match: LeadMatch;
  threshold: number;
  rank: number;
  decision: 'lead' | 'exploration' | 'below';
  propensity: number;
  leadId: string | null;
}

/** A lead made by matching whose outcome is known, with what it was scored with. */
export interface LeadOutcomeRow {
  leadId: string;
  state: LeadState;
  declineReason: DeclineReason | null;
  escalated: boolean;
  parts: Record<string, number>;
  /** The parts whose weight counted scaled (a short need's keywords), by that factor. */
  confidence: Record<string, number>;
  propensity: number;
  createdAt: string;
}

/** The log of scored candidates (match_candidates), and the lead outcomes the learner reads from it. */
@Injectable()
export class MatchCandidatesRepository {
  async log(tx: Queryable, candidates: readonly ScoredCandidate[]): Promise<void> {
    if (candidates.length === 0) return;
    await tx.query(
      `INSERT INTO match_candidates (demand_id, partner_kind, partner_id, parts, confidence, total, probability,
                                     weights_version, threshold, rank, decision, propensity, lead_id)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(demand_id uuid, partner_kind partner_kind, partner_id uuid,
              parts jsonb, confidence jsonb, total float8, probability float8, weights_version integer, threshold float8,
              rank integer, decision text, propensity float8, lead_id uuid)`,
      [
        JSON.stringify(
          candidates.map((c) => ({
            demand_id: c.demandId,
            partner_kind: c.partnerKind,
            partner_id: c.partnerId,
            parts: Object.fromEntries(c.match.parts.map((p) => [p.name, p.value])),
            confidence: Object.fromEntries(
              c.match.parts.flatMap((p) => (p.confidence === undefined ? [] : [[p.name, p.confidence]])),
            ),
            total: c.match.total,
            probability: c.match.probability ?? null,
            weights_version: c.match.weightsVersion ?? null,
            threshold: c.threshold,
            rank: c.rank,
            decision: c.decision,
            propensity: c.propensity,
            lead_id: c.leadId,
          })),
        ),
      ],
    );
  }

  /**
   * Leads made by matching that were answered (accepted and beyond, or declined) or lapsed (every offer expired),
   * oldest first, each with the parts it was scored with and the chance it had of being made (from the log; 1 for
   * leads made before the log existed).
   */
  async outcomes(tx: Queryable, limit: number): Promise<LeadOutcomeRow[]> {
    const { rows } = await tx.query<Row>(
      `SELECT l.id, l.state, l.decline_reason, l.escalated_at IS NOT NULL AS escalated, l.match, l.created_at,
              COALESCE(c.propensity, 1) AS propensity
         FROM leads l
         LEFT JOIN LATERAL (SELECT propensity FROM match_candidates
                             WHERE lead_id = l.id ORDER BY id DESC LIMIT 1) c ON true
        WHERE l.origin = 'matching'
          AND (l.state NOT IN ('offered', 'unassigned') OR l.escalated_at IS NOT NULL)
        ORDER BY l.created_at DESC LIMIT $1`,
      [limit],
    );
    return rows.reverse().map((r) => ({
      leadId: String(r.id),
      state: r.state as LeadState,
      declineReason: (r.decline_reason as DeclineReason | null) ?? null,
      escalated: r.escalated === true,
      parts: Object.fromEntries(((r.match as LeadMatch).parts ?? []).map((p) => [p.name, p.value])),
      confidence: Object.fromEntries(
        ((r.match as LeadMatch).parts ?? []).flatMap((p) =>
          p.confidence === undefined ? [] : [[p.name, p.confidence]],
        ),
      ),
      propensity: Number(r.propensity),
      createdAt: (r.created_at as Date).toISOString(),
    }));
  }
}
