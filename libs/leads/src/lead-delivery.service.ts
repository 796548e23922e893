import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, mayOperate, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { leadDeliveries } from '@app/observability';
import { Jobs } from '@app/jobs';
import { Db } from '@app/persistence';
import { ProfileNotFoundError } from '@app/profiles';
import { LeadsRepository } from './leads.repository';
import { signWebhook } from './webhook-signature';

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

/**
 * `deliver-lead`: puts an offer in the broker's inbox (once: the offer id is the inbox key) and calls the broker
 * organisation's webhook, signed, with the offer id as idempotency key. A failed call throws so the job retries with
 * backoff; after the last attempt the delivery is marked failed, listed for operators and can be replayed.
 */
@Injectable()
export class LeadDeliveryService {
  private readonly logger = new Logger(LeadDeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly jobs: Jobs,
  ) {}

  async deliver(
    offerId: string,
    opts: { finalAttempt: boolean; replay: boolean },
  ): Promise<'delivered' | 'inbox-only'> {
    const offer = await this.leads.offer(offerId);
    if (!offer) throw new ProfileNotFoundError('offer', offerId);
    const lead = (await this.leads.find(offer.leadId))!;
    await this.db.query(
      `INSERT INTO inbox_items (offer_id, broker_id, lead_id) VALUES ($1, $2, $3)
       ON CONFLICT (offer_id) DO UPDATE SET deliveries = inbox_items.deliveries + 1`,
      [offer.id, offer.brokerId, offer.leadId],
    );
    const target = await this.db.one<{
      organisation_id: string;
      webhook_url: string | null;
      webhook_secret: string | null;
    }>(
      `SELECT o.id AS organisation_id, o.webhook_url, o.webhook_secret
         FROM brokers b JOIN organisations o ON o.id = b.organisation_id WHERE b.id = $1`,
      [offer.brokerId],
    );
    leadDeliveries.inc({ channel: 'inbox', outcome: 'delivered' });
    if (!target?.webhook_url || !target.webhook_secret) return 'inbox-only';
    const delivery = await this.db.one<{ status: string }>(
      `INSERT INTO webhook_deliveries (offer_id, organisation_id, url, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (offer_id) DO UPDATE SET updated_at = now() RETURNING status`,
      [offer.id, target.organisation_id, target.webhook_url],
    );
    if (delivery?.status === 'delivered' && !opts.replay) return 'delivered';
    // No confidential text leaves: ids, the score, the explanation (computed on the demand's public form), the due time.
    const body = JSON.stringify({
      event: 'lead.offered',
      offerId: offer.id,
      leadId: lead.id,
      brokerId: offer.brokerId,
      attempt: offer.attempt,
      dueAt: offer.dueAt,
      demandId: lead.demandId,
      partnerKind: lead.partnerKind,
      partnerId: lead.partnerId,
      score: lead.score,
      explanation: lead.match.explanation,
      why: offer.reasons.explanation,
    });
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(target.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': offer.id,
          'x-signature': signWebhook(target.webhook_secret, body),
        },
        body,
        signal: AbortSignal.timeout(this.config.leads.webhook.timeoutMs),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    await this.db.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_status_code = $2, last_error = $3, updated_at = now(),
              status = CASE WHEN $3::text IS NULL THEN 'delivered' WHEN $4 THEN 'failed' ELSE status END,
              delivered_at = CASE WHEN $3::text IS NULL THEN now() ELSE delivered_at END
        WHERE offer_id = $1`,
      [offer.id, statusCode, error, opts.finalAttempt],
    );
    leadDeliveries.inc({ channel: 'webhook', outcome: error ? (opts.finalAttempt ? 'failed' : 'retry') : 'delivered' });
    if (error) throw new Error(`webhook ${target.webhook_url}: ${error}`);
    return 'delivered';
  }

  /** Sets (or replaces) an organisation's webhook; the signing secret is returned once. */
  async setWebhook(actor: Actor, organisationId: string, url: string): Promise<{ url: string; secret: string }> {
    if (!mayOperate(actor)) throw new ForbiddenError("configure an organisation's webhook");
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const row = await this.db.one(
      'UPDATE organisations SET webhook_url = $2, webhook_secret = $3 WHERE id = $1 RETURNING id',
      [organisationId, url, secret],
    );
    if (!row) throw new ProfileNotFoundError('organisation', organisationId);
    return { url, secret };
  }

  async removeWebhook(actor: Actor, organisationId: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError("configure an organisation's webhook");
    const row = await this.db.one(
      'UPDATE organisations SET webhook_url = NULL, webhook_secret = NULL WHERE id = $1 RETURNING id',
      [organisationId],
    );
    if (!row) throw new ProfileNotFoundError('organisation', organisationId);
  }

  async webhookDeliveries(actor: Actor, status?: WebhookDelivery['status'], limit = 50): Promise<WebhookDelivery[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('list webhook deliveries');
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

  /** Queues a failed delivery again, with a fresh series of attempts. */
  async replay(actor: Actor, offerId: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError('replay webhook deliveries');
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ attempts: number }>(
        `UPDATE webhook_deliveries SET status = 'pending', updated_at = now() WHERE offer_id = $1 RETURNING attempts`,
        [offerId],
      );
      if (!rows[0]) throw new ProfileNotFoundError('webhook delivery', offerId);
      await this.jobs.add(tx, 'deliver-lead', { offerId, replay: Number(rows[0].attempts) });
    });
    this.logger.log({ offerId }, 'webhook delivery replayed');
  }

  /**
   * `redeliver-lost-offers`: offers that reached no inbox long after they were made get their jobs written again
   * (the same job ids: harmless when the jobs were only slow).
   */
  async redeliverLost(graceSeconds = 120, limit = 200): Promise<number> {
    const lost = await this.db.transaction(async (tx) => {
      const offers = await this.leads.undelivered(tx, graceSeconds, limit);
      for (const { offerId, dueAt } of offers) {
        await this.jobs.add(tx, 'deliver-lead', { offerId });
        await this.jobs.add(tx, 'expire-offer', { offerId, dueAt });
      }
      return offers.length;
    });
    if (lost > 0) this.logger.warn({ offers: lost }, 'offers without delivery queued again');
    return lost;
  }

  /** A broker's inbox: the offers delivered to it, newest first, with why it got each. */
  async inbox(actor: Actor, limit = 50): Promise<InboxItem[]> {
    if (actor.role !== 'broker' || !actor.brokerId) throw new ForbiddenError('read a broker inbox');
    const rows = await this.db.query<Row>(
      `SELECT i.offer_id, i.lead_id, i.delivered_at, l.state, o.due_at, l.score, l.match, o.reasons
         FROM inbox_items i JOIN leads l ON l.id = i.lead_id JOIN lead_offers o ON o.id = i.offer_id
        WHERE i.broker_id = $1 ORDER BY i.delivered_at DESC LIMIT $2`,
      [actor.brokerId, limit],
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
