import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';

/** Operators' funnel of the challenges opened in a period: from publication to the contracts signed on awards. */
export interface ChallengeFunnel {
  from: string;
  to: string;
  /** Opened (published) in the period, then where they stand now. */
  published: number;
  open: number;
  reviewing: number;
  awarded: number;
  closedWithoutAward: number;
  cancelled: number;
  invitationsSent: number;
  invitationsDeclined: number;
  /** Invited organisations that submitted a proposal. */
  invitationsAnswered: number;
  proposals: number;
  /** Proposals from organisations nobody invited: what publication alone brought. */
  proposalsUninvited: number;
  /** Prize money of the awarded challenges (CNY). */
  prizeAwarded: number;
  /** Contracts signed on the leads the awards made, and their amount (CNY). */
  contracts: number;
  contractAmount: number;
}

/** The SQL of the challenge funnel. */
@Injectable()
export class ChallengeReportsRepository {
  constructor(private readonly db: Db) {}

  async funnel(from: string, to: string): Promise<ChallengeFunnel> {
    const [r] = await this.db.query<Record<string, string>>(
      `WITH c AS (SELECT * FROM challenges WHERE opened_at >= $1::date AND opened_at < $2::date),
            i AS (SELECT i.* FROM challenge_invitations i JOIN c ON c.id = i.challenge_id),
            p AS (SELECT p.* FROM proposals p JOIN c ON c.id = p.challenge_id),
            l AS (SELECT l.* FROM leads l JOIN c ON c.id = l.challenge_id WHERE l.contract_signed_at IS NOT NULL)
       SELECT (SELECT count(*) FROM c) AS published,
              (SELECT count(*) FROM c WHERE state = 'open') AS open,
              (SELECT count(*) FROM c WHERE state = 'reviewing') AS reviewing,
              (SELECT count(*) FROM c WHERE state = 'awarded') AS awarded,
              (SELECT count(*) FROM c WHERE state = 'closed') AS closed_without_award,
              (SELECT count(*) FROM c WHERE state = 'cancelled') AS cancelled,
              (SELECT count(*) FROM i) AS invitations_sent,
              (SELECT count(*) FROM i WHERE declined_at IS NOT NULL) AS invitations_declined,
              (SELECT count(*) FROM i WHERE EXISTS (SELECT 1 FROM p WHERE p.challenge_id = i.challenge_id
                 AND p.organisation_id = i.organisation_id)) AS invitations_answered,
              (SELECT count(*) FROM p) AS proposals,
              (SELECT count(*) FROM p WHERE NOT EXISTS (SELECT 1 FROM i WHERE i.challenge_id = p.challenge_id
                 AND i.organisation_id = p.organisation_id)) AS proposals_uninvited,
              (SELECT COALESCE(sum(prize_amount), 0) FROM c WHERE state = 'awarded') AS prize_awarded,
              (SELECT count(*) FROM l) AS contracts,
              (SELECT COALESCE(sum(contract_amount), 0) FROM l) AS contract_amount`,
      [from, to],
    );
    return {
      from,
      to,
      published: Number(r.published),
      open: Number(r.open),
      reviewing: Number(r.reviewing),
      awarded: Number(r.awarded),
      closedWithoutAward: Number(r.closed_without_award),
      cancelled: Number(r.cancelled),
      invitationsSent: Number(r.invitations_sent),
      invitationsDeclined: Number(r.invitations_declined),
      invitationsAnswered: Number(r.invitations_answered),
      proposals: Number(r.proposals),
      proposalsUninvited: Number(r.proposals_uninvited),
      prizeAwarded: Number(r.prize_awarded),
      contracts: Number(r.contracts),
      contractAmount: Number(r.contract_amount),
    };
  }
}
