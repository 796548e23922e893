import { Injectable } from '@nestjs/common';
import { vectorFromBytes, vectorToBytes } from '@app/embedding';
import { Db, type Queryable } from '@app/persistence';
import type { JudgeScore, NewProposal, Proposal } from './proposals.types';

type Row = Record<string, unknown>;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** `version`: updated_at as PostgreSQL prints it, what an embedding job carries (present when selected). */
function toProposal(r: Row): Proposal & { version: string } {
  return {
    id: r.id as string,
    challengeId: r.challenge_id as string,
    organisationId: r.organisation_id as string,
    summary: r.summary as string,
    approach: r.approach as string,
    team: r.team as string,
    price: r.price === null ? null : Number(r.price),
    timeline: r.timeline as string,
    achievementIds: r.achievement_ids as string[],
    expertIds: r.expert_ids as string[],
    outcome: (r.outcome as Proposal['outcome']) ?? null,
    outcomeReason: (r.outcome_reason as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    version: r.version as string,
  };
}

/** The SQL of proposals and their judges' scores. */
@Injectable()
export class ProposalsRepository {
  constructor(private readonly db: Db) {}

  /** The new proposal, or undefined when the organisation has one for the challenge already. */
  async insert(
    tx: Queryable,
    challengeId: string,
    organisationId: string,
    p: NewProposal,
  ): Promise<(Proposal & { version: string }) | undefined> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO proposals (challenge_id, organisation_id, summary, approach, team, price, timeline, achievement_ids,
         expert_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (challenge_id, organisation_id) DO NOTHING RETURNING *, updated_at::text AS version`,
      [challengeId, organisationId, p.summary, p.approach, p.team, p.price, p.timeline, p.achievementIds, p.expertIds],
    );
    return rows[0] && toProposal(rows[0]);
  }

  /** The proposal's new text; its vector is dropped until the worker embeds the new one. */
  async update(tx: Queryable, id: string, p: NewProposal): Promise<Proposal & { version: string }> {
    const { rows } = await tx.query<Row>(
      `UPDATE proposals SET summary = $2, approach = $3, team = $4, price = $5, timeline = $6, achievement_ids = $7,
              expert_ids = $8, embedding = NULL, embedding_model = NULL, updated_at = clock_timestamp()
        WHERE id = $1 RETURNING *, updated_at::text AS version`,
      [id, p.summary, p.approach, p.team, p.price, p.timeline, p.achievementIds, p.expertIds],
    );
    return toProposal(rows[0]);
  }

  /** The text to embed for a version of the proposal (undefined when it has changed since). */
  async textAt(id: string, version: string): Promise<string | undefined> {
    const row = await this.db.one<{ summary: string; approach: string }>(
      'SELECT summary, approach FROM proposals WHERE id = $1 AND updated_at = $2::timestamptz',
      [id, version],
    );
    return row && `${row.summary}\n${row.approach}`;
  }

  /** Stores the vector of a version; false when the proposal changed meanwhile (its own job embeds the new text). */
  async storeEmbedding(id: string, version: string, vector: Float32Array, modelId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE proposals SET embedding = $3, embedding_model = $4 WHERE id = $1 AND updated_at = $2::timestamptz
       RETURNING id`,
      [id, version, vectorToBytes(vector), modelId],
    );
    return rows.length > 0;
  }

  async find(id: string, tx: Queryable = this.db.pool): Promise<(Proposal & { version: string }) | undefined> {
    const {
      rows: [row],
    } = await tx.query<Row>('SELECT *, updated_at::text AS version FROM proposals WHERE id = $1 FOR UPDATE', [id]);
    return row && toProposal(row);
  }

  async findOf(challengeId: string, organisationId: string): Promise<Proposal | undefined> {
    const row = await this.db.one<Row>(
      'SELECT *, updated_at::text AS version FROM proposals WHERE challenge_id = $1 AND organisation_id = $2',
      [challengeId, organisationId],
    );
    return row && toProposal(row);
  }

  /** Every proposal of a challenge with its vector (null when of another model), oldest first. */
  async ofChallenge(
    challengeId: string,
    modelId: string,
  ): Promise<{ proposal: Proposal; vector: Float32Array | null }[]> {
    const rows = await this.db.query<Row>('SELECT * FROM proposals WHERE challenge_id = $1 ORDER BY created_at, id', [
      challengeId,
    ]);
    return rows.map((r) => ({
      proposal: toProposal(r),
      vector: r.embedding && r.embedding_model === modelId ? vectorFromBytes(r.embedding as Buffer) : null,
    }));
  }

  /**
   * A judge's scores of one proposal, replacing its earlier ones for the same criteria. The judge is its organisation
   * (the owner's, or a judging expert's): all its keys score as one judge; the key is kept for the record.
   */
  async score(
    proposalId: string,
    judge: { organisationId: string; apiKeyId: string },
    scores: Record<string, number>,
  ): Promise<void> {
    const entries = Object.entries(scores);
    await this.db.query(
      `INSERT INTO proposal_scores (proposal_id, judge_organisation_id, api_key_id, criterion, score)
       SELECT $1, $2, $3, c, s FROM unnest($4::text[], $5::smallint[]) AS u(c, s)
       ON CONFLICT (proposal_id, judge_organisation_id, criterion)
       DO UPDATE SET score = EXCLUDED.score, api_key_id = EXCLUDED.api_key_id, scored_at = now()`,
      [proposalId, judge.organisationId, judge.apiKeyId, entries.map(([c]) => c), entries.map(([, s]) => s)],
    );
  }

  async scoresOf(challengeId: string): Promise<JudgeScore[]> {
    const rows = await this.db.query<Row>(
      `SELECT s.* FROM proposal_scores s JOIN proposals p ON p.id = s.proposal_id WHERE p.challenge_id = $1`,
      [challengeId],
    );
    return rows.map((r) => ({
      proposalId: r.proposal_id as string,
      judge: r.judge_organisation_id as string,
      criterion: r.criterion as string,
      score: Number(r.score),
    }));
  }

  /** After the award: the winner won, every other proposal was not awarded, with the owner's reason. */
  async settle(tx: Queryable, challengeId: string, winnerId: string | null, reason: string): Promise<void> {
    await tx.query(
      `UPDATE proposals SET outcome = CASE WHEN id = $2 THEN 'won' ELSE 'not_awarded' END,
              outcome_reason = CASE WHEN id = $2 THEN NULL ELSE $3 END, updated_at = now()
        WHERE challenge_id = $1`,
      [challengeId, winnerId, reason],
    );
  }
}
