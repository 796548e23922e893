import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '@app/persistence';

export interface WebhookDelivery {
  offerId: string;
  organisationId: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  updatedAt: string;
}

export interface InboxItem {
  offerId: string;
  leadId: string;
  deliveredAt: string;
  state: string;
  dueAt: string;
  score: number;
  explanation: { zh: string; en: string };
  why: { zh: string; en: string };
}

type Row = Record<string, unknown>;

/** The SQL of delivery: brokers' inboxes and the record of each webhook call. */
@Injectable()
export class LeadDeliveryRepository {
  constructor(private readonly db: Db) {}

  /** Puts the offer in the broker's inbox; a second delivery only counts (the offer id is the key). */
  async putInInbox(offer: { id: string; brokerId: string; leadId: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO inbox_items (offer_id, broker_id, lead_id) VALUES ($1, $2, $3)
       ON CONFLICT (offer_id) DO UPDATE SET deliveries = inbox_items.deliveries + 1`,
      [offer.id, offer.brokerId, offer.leadId],
    );
  }

  /** The delivery record of an offer's webhook call, made on first use; returns its status. */
  async startWebhookDelivery(offerId: string, organisationId: string, url: string): Promise<string> {
    const [row] = await this.db.query<{ status: string }>(
      `INSERT INTO webhook_deliveries (offer_id, organisation_id, url, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (offer_id) DO UPDATE SET updated_at = now() RETURNING status`,
      [offerId, organisationId, url],
    );
    return row.status;
  }

  /** One call made: delivered without an error, failed for good on the final attempt, pending otherwise. */
  async recordWebhookAttempt(
    offerId: string,
    outcome: { statusCode: number | null; error: string | null; finalAttempt: boolean },
  ): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_status_code = $2, last_error = $3, updated_at = now(),
              status = CASE WHEN $3::text IS NULL THEN 'delivered' WHEN $4 THEN 'failed' ELSE status END,
              delivered_at = CASE WHEN $3::text IS NULL THEN now() ELSE delivered_at END
        WHERE offer_id = $1`,
      [offerId, outcome.statusCode, outcome.error, outcome.finalAttempt],
    );
  }

  /** Marks a delivery pending again (a replay); returns its attempts so far, undefined when there is none. */
  async reopenWebhookDelivery(tx: Queryable, offerId: string): Promise<number | undefined> {
    const { rows } = await tx.query<{ attempts: number }>(
      `UPDATE webhook_deliveries SET status = 'pending', updated_at = now() WHERE offer_id = $1 RETURNING attempts`,
      [offerId],
    );
    return rows[0] && Number(rows[0].attempts);
  }

  async webhookDeliveries(status: WebhookDelivery['status'] | undefined, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM webhook_deliveries WHERE ($1::text IS NULL OR status = $1) ORDER BY updated_at DESC LIMIT $2`,
      [status ?? null, limit],
    );
    return rows.map((r) => ({
      offerId: String(r.offer_id),
      organisationId: String(r.organisation_id),
      url: String(r.url),
      status: r.status as WebhookDelivery['status'],
      attempts: Number(r.attempts),
      lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
      lastError: (r.last_error as string | null) ?? null,
      deliveredAt: r.delivered_at ? new Date(r.delivered_at as string).toISOString() : null,
      updatedAt: new Date(r.updated_at as string).toISOString(),
    }));
  }

  async inbox(brokerId: string, limit: number): Promise<InboxItem[]> {
    const rows = await this.db.query<Row>(
      `SELECT i.offer_id, i.lead_id, i.delivered_at, l.state, o.due_at, l.score, l.match, o.reasons
         FROM inbox_items i JOIN leads l ON l.id = i.lead_id JOIN lead_offers o ON o.id = i.offer_id
        WHERE i.broker_id = $1 ORDER BY i.delivered_at DESC LIMIT $2`,
      [brokerId, limit],
    );
    return rows.map((r) => ({
      offerId: String(r.offer_id),
      leadId: String(r.lead_id),
      deliveredAt: new Date(r.delivered_at as string).toISOString(),
      state: String(r.state),
      dueAt: new Date(r.due_at as string).toISOString(),
      score: Number(r.score),
      explanation: (r.match as { explanation: InboxItem['explanation'] }).explanation,
      why: (r.reasons as { explanation: InboxItem['why'] }).explanation,
    }));
  }
}
