import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';

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

/** The SQL of brokers' inboxes. */
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
