import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';

type Row = Record<string, unknown>;

const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** An invitation to answer a challenge, as its organisation's inbox shows it. */
export interface ChallengeInvitation {
  id: string;
  challengeId: string;
  challengeTitle: string;
  prizeAmount: number;
  deadline: string;
  organisationId: string;
  partnerKind: 'achievement' | 'expert';
  partnerId: string;
  score: number;
  /** Why this organisation was invited: the match of its achievement or expert with the challenge's demand. */
  explanation: { zh: string; en: string };
  deliveredAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
}

export interface NewInvitation {
  organisationId: string;
  partnerKind: 'achievement' | 'expert';
  partnerId: string;
  score: number;
  match: { explanation: { zh: string; en: string } } & Record<string, unknown>;
}

const SELECT = `
  SELECT i.*, c.title AS challenge_title, c.prize_amount, c.deadline
    FROM challenge_invitations i JOIN challenges c ON c.id = i.challenge_id`;

function toInvitation(r: Row): ChallengeInvitation {
  return {
    id: r.id as string,
    challengeId: r.challenge_id as string,
    challengeTitle: r.challenge_title as string,
    prizeAmount: Number(r.prize_amount),
    deadline: iso(r.deadline)!,
    organisationId: r.organisation_id as string,
    partnerKind: r.partner_kind as ChallengeInvitation['partnerKind'],
    partnerId: r.partner_id as string,
    score: Number(r.score),
    explanation: (r.match as NewInvitation['match']).explanation,
    deliveredAt: iso(r.delivered_at),
    declinedAt: iso(r.declined_at),
    declineReason: (r.decline_reason as string | null) ?? null,
  };
}

/** The SQL of challenge invitations. */
@Injectable()
export class ChallengeInvitationsRepository {
  constructor(private readonly db: Db) {}

  /** The ids of the invitations made; an organisation already invited to the challenge is left as it is. */
  async insert(tx: Queryable, challengeId: string, invitations: readonly NewInvitation[]): Promise<string[]> {
    const ids: string[] = [];
    for (const i of invitations) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO challenge_invitations (challenge_id, organisation_id, partner_kind, partner_id, score, match)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (challenge_id, organisation_id) DO NOTHING RETURNING id`,
        [challengeId, i.organisationId, i.partnerKind, i.partnerId, i.score, JSON.stringify(i.match)],
      );
      if (rows[0]) ids.push(rows[0].id);
    }
    return ids;
  }

  /** In the organisation's inbox: set once, however often delivery runs. */
  async markDelivered(id: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE challenge_invitations SET delivered_at = COALESCE(delivered_at, now()) WHERE id = $1 RETURNING id',
      [id],
    );
    return rows.length > 0;
  }

  /** The organisation's delivered invitations, newest first. */
  async inbox(organisationId: string, limit: number): Promise<ChallengeInvitation[]> {
    const rows = await this.db.query<Row>(
      `${SELECT} WHERE i.organisation_id = $1 AND i.delivered_at IS NOT NULL ORDER BY i.delivered_at DESC, i.id LIMIT $2`,
      [organisationId, limit],
    );
    return rows.map(toInvitation);
  }

  async find(id: string): Promise<ChallengeInvitation | undefined> {
    const row = await this.db.one<Row>(`${SELECT} WHERE i.id = $1`, [id]);
    return row && toInvitation(row);
  }

  async decline(id: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE challenge_invitations SET declined_at = COALESCE(declined_at, now()),
              decline_reason = COALESCE(decline_reason, $2) WHERE id = $1`,
      [id, reason],
    );
  }
}
