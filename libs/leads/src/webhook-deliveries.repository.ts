import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';
import type { WebhookOutcome } from './webhook-call';

/** What a series of webhook calls announces: an offer to a broker, or a challenge invitation to an organisation. */
export type WebhookSubject = { offerId: string } | { invitationId: string };

export interface WebhookDelivery {
  id: string;
  event: 'lead.offered' | 'challenge.invited';
  /** The offer announced (lead.offered), else null. */
  offerId: string | null;
  /** The invitation announced (challenge.invited), else null. */
  invitationId: string | null;
  organisationId: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The receiver's HTTP status on the last call, when it answered. */
  lastStatusCode: number | null;
  /**
   * What became of the last call, null before the first: `delivered`; `refused`, the receiver answered other than 2xx
   * (see lastStatusCode; redirects are not followed); `timed_out`; `address_not_allowed`, the host is or resolved to
   * an internal address; `unreachable`, no connection or no such name. Never the socket's or resolver's own words.
   */
  lastOutcome: WebhookOutcome['outcome'] | null;
  deliveredAt: string | null;
  updatedAt: string;
}

type Row = Record<string, unknown>;

/** The subject's column and value: exactly one of offer_id and invitation_id is set on a row. */
function keyOf(subject: WebhookSubject): { column: 'offer_id' | 'invitation_id'; id: string } {
  return 'offerId' in subject
    ? { column: 'offer_id', id: subject.offerId }
    : { column: 'invitation_id', id: subject.invitationId };
}

/** The SQL of webhook calls: one record per subject, its attempts, its outcome. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly db: Db) {}

  /** The subject's delivery record, made on first use; returns its status. */
  async start(subject: WebhookSubject, organisationId: string, url: string): Promise<string> {
    const { column, id } = keyOf(subject);
    const [row] = await this.db.query<{ status: string }>(
      `INSERT INTO webhook_deliveries (${column}, organisation_id, url, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (${column}) DO UPDATE SET updated_at = now() RETURNING status`,
      [id, organisationId, url],
    );
    return row.status;
  }

  /** One call made: delivered on a 2xx, failed for good otherwise on the final attempt, pending otherwise. */
  async recordAttempt(subject: WebhookSubject, call: WebhookOutcome & { finalAttempt: boolean }): Promise<void> {
    const { column, id } = keyOf(subject);
    await this.db.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_status_code = $2, last_outcome = $3, updated_at = now(),
              status = CASE WHEN $3 = 'delivered' THEN 'delivered' WHEN $4 THEN 'failed' ELSE status END,
              delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
        WHERE ${column} = $1`,
      [id, call.statusCode, call.outcome, call.finalAttempt],
    );
  }

  /** Marks a delivery pending again (a replay); returns its attempts so far, undefined when there is none. */
  async reopen(tx: Queryable, subject: WebhookSubject): Promise<number | undefined> {
    const { column, id } = keyOf(subject);
    const { rows } = await tx.query<{ attempts: number }>(
      `UPDATE webhook_deliveries SET status = 'pending', updated_at = now() WHERE ${column} = $1 RETURNING attempts`,
      [id],
    );
    return rows[0] && Number(rows[0].attempts);
  }

  async list(status: WebhookDelivery['status'] | undefined, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM webhook_deliveries WHERE ($1::text IS NULL OR status = $1) ORDER BY updated_at DESC LIMIT $2`,
      [status ?? null, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      event: r.offer_id ? 'lead.offered' : 'challenge.invited',
      offerId: (r.offer_id as string | null) ?? null,
      invitationId: (r.invitation_id as string | null) ?? null,
      organisationId: String(r.organisation_id),
      url: String(r.url),
      status: r.status as WebhookDelivery['status'],
      attempts: Number(r.attempts),
      lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
      lastOutcome: (r.last_outcome as WebhookDelivery['lastOutcome']) ?? null,
      deliveredAt: r.delivered_at ? new Date(r.delivered_at as string).toISOString() : null,
      updatedAt: new Date(r.updated_at as string).toISOString(),
    }));
  }
}
