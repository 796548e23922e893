import { Injectable } from '@nestjs/common';
import { vectorFromBytes } from '@app/embedding';
import type { Queryable } from '@app/persistence';
import type { BrokerCandidate } from './broker-assignment';
import type { LeadOffer } from './leads.types';
import { iso, OPEN } from './row-values';

type Row = Record<string, unknown>;

/**
 * The SQL of offers (`lead_offers`) and of what assignment weighs: the brokers' candidacy and the assignment lock.
 * Every method runs on the caller's transaction (or the pool, passed explicitly).
 */
@Injectable()
export class LeadOffersRepository {
  async addOffer(
    tx: Queryable,
    offer: Pick<LeadOffer, 'leadId' | 'brokerId' | 'attempt' | 'reasons'> & { dueAt: Date },
  ): Promise<LeadOffer> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO lead_offers (lead_id, broker_id, attempt, reasons, due_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [offer.leadId, offer.brokerId, offer.attempt, JSON.stringify(offer.reasons), offer.dueAt],
    );
    return toOffer(rows[0]);
  }

  async offer(id: string, tx: Queryable): Promise<LeadOffer | undefined> {
    const { rows } = await tx.query<Row>('SELECT * FROM lead_offers WHERE id = $1', [id]);
    return rows[0] && toOffer(rows[0]);
  }

  async offers(leadId: string, tx: Queryable): Promise<LeadOffer[]> {
    const { rows } = await tx.query<Row>('SELECT * FROM lead_offers WHERE lead_id = $1 ORDER BY attempt', [leadId]);
    return rows.map(toOffer);
  }

  /** Closes the lead's open offer, if any, with how it ended. */
  async closeOffer(tx: Queryable, leadId: string, outcome: NonNullable<LeadOffer['outcome']>): Promise<void> {
    await tx.query('UPDATE lead_offers SET outcome = $2, responded_at = now() WHERE lead_id = $1 AND outcome IS NULL', [
      leadId,
      outcome,
    ]);
  }

  /**
   * Active brokers with what assignment weighs: open leads, answered and accepted offers, median response time (their
   * credit score is libs/credit's to give). Called under the assignment lock, so that two assignments cannot both
   * take a broker's last free place.
   */
  async brokerCandidates(tx: Queryable, modelId: string): Promise<Omit<BrokerCandidate, 'creditScore'>[]> {
    const { rows } = await tx.query<Row>(
      `SELECT b.id, b.name, b.industry_codes, b.region_codes, b.capacity,
              CASE WHEN b.embedding_model = $1 THEN b.embedding END AS embedding,
              (SELECT count(*) FROM leads l WHERE l.broker_id = b.id AND l.state IN (${OPEN}))::int AS open_leads,
              s.accepted, s.answered, s.median_hours, s.last_offered_at
         FROM brokers b
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE o.outcome = 'accepted')::int AS accepted,
                  count(*) FILTER (WHERE o.outcome IN ('accepted', 'declined', 'expired'))::int AS answered,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at) / 3600)
                    FILTER (WHERE o.outcome = 'accepted') AS median_hours,
                  max(o.offered_at) AS last_offered_at
             FROM lead_offers o WHERE o.broker_id = b.id) s ON true
        WHERE b.active`,
      [modelId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      industryCodes: r.industry_codes as string[],
      regionCodes: r.region_codes as string[],
      capacity: Number(r.capacity),
      openLeads: Number(r.open_leads),
      vector: r.embedding ? vectorFromBytes(r.embedding as Buffer) : null,
      accepted: Number(r.accepted ?? 0),
      answered: Number(r.answered ?? 0),
      medianResponseHours: r.median_hours === null || r.median_hours === undefined ? null : Number(r.median_hours),
      lastOfferedAt: r.last_offered_at ? new Date(r.last_offered_at as string) : null,
    }));
  }

  /** Serialises broker assignment across processes for the rest of the transaction. */
  async lockAssignment(tx: Queryable): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('lead-assignment'))");
  }

  /**
   * Offers made more than `graceSeconds` ago that are in no inbox yet: their jobs were lost (a Redis that lost its
   * data, say).
   */
  async undelivered(tx: Queryable, graceSeconds: number, limit: number): Promise<{ offerId: string; dueAt: string }[]> {
    const { rows } = await tx.query<{ id: string; due_at: Date }>(
      `SELECT o.id, o.due_at FROM lead_offers o
         LEFT JOIN inbox_items i ON i.offer_id = o.id
        WHERE i.offer_id IS NULL AND o.offered_at < now() - $1 * interval '1 second'
        ORDER BY o.offered_at LIMIT $2`,
      [graceSeconds, limit],
    );
    return rows.map((r) => ({ offerId: r.id, dueAt: new Date(r.due_at).toISOString() }));
  }
}

function toOffer(r: Row): LeadOffer {
  return {
    id: String(r.id),
    leadId: String(r.lead_id),
    brokerId: String(r.broker_id),
    attempt: Number(r.attempt),
    reasons: r.reasons as LeadOffer['reasons'],
    offeredAt: iso(r.offered_at)!,
    dueAt: iso(r.due_at)!,
    outcome: (r.outcome as LeadOffer['outcome']) ?? null,
    respondedAt: iso(r.responded_at),
  };
}
