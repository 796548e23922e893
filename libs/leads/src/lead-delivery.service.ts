import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, mayOperate, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { leadDeliveries } from '@app/observability';
import { Jobs } from '@app/jobs';
import { Db } from '@app/persistence';
import { OrganisationsService } from '@app/profiles';
import { LeadDeliveryRepository, type InboxItem } from './lead-delivery.repository';
import { OfferNotFoundError, WebhookDeliveryNotFoundError } from './leads.errors';
import { LeadOffersRepository } from './lead-offers.repository';
import { LeadsRepository } from './leads.repository';
import { WebhookAddressGuard } from './webhook-address-guard';
import { WebhookDeliveriesRepository, type WebhookDelivery } from './webhook-deliveries.repository';
import { WebhookCallError, WebhookSender } from './webhook-sender.service';

export type { InboxItem, WebhookDelivery };

/**
 * `deliver-lead`: puts an offer in the broker's inbox (once: the offer id is the inbox key) and announces it on the
 * broker organisation's webhook (WebhookSender: signed, the offer id as idempotency key, retried, replayable).
 */
@Injectable()
export class LeadDeliveryService {
  private readonly logger = new Logger(LeadDeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly offerRecords: LeadOffersRepository,
    private readonly deliveries: LeadDeliveryRepository,
    private readonly webhooks: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly addressGuard: WebhookAddressGuard,
    private readonly organisations: OrganisationsService,
    private readonly jobs: Jobs,
  ) {}

  async deliver(
    offerId: string,
    opts: { finalAttempt: boolean; replay: boolean },
  ): Promise<'delivered' | 'inbox-only'> {
    const offer = await this.offerRecords.offer(offerId, this.db.pool);
    if (!offer) throw new OfferNotFoundError(offerId);
    const lead = (await this.leads.find(offer.leadId, this.db.pool))!;
    await this.deliveries.putInInbox(offer);
    leadDeliveries.inc({ channel: 'inbox', outcome: 'delivered' });
    const target = await this.organisations.webhookOfBroker(offer.brokerId);
    // No confidential text leaves: ids, the score, the explanation (computed on the demand's public form), the due time.
    const message = {
      event: 'lead.offered' as const,
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
    };
    try {
      const sent = await this.sender.send({ offerId: offer.id }, target, message, opts);
      if (sent === 'none') return 'inbox-only';
      if (sent === 'delivered') leadDeliveries.inc({ channel: 'webhook', outcome: 'delivered' });
    } catch (e) {
      if (e instanceof WebhookCallError)
        leadDeliveries.inc({ channel: 'webhook', outcome: e.final ? 'failed' : 'retry' });
      throw e;
    }
    return 'delivered';
  }

  /**
   * Sets (or replaces) an organisation's webhook; the signing secret is returned once. A URL whose host is or resolves
   * to an internal address is refused before anything is stored (every call checks again, on the address it uses).
   */
  async setWebhook(actor: Actor, organisationId: string, url: string): Promise<{ url: string; secret: string }> {
    if (!mayOperate(actor)) throw new ForbiddenError("configure an organisation's webhook");
    await this.addressGuard.checkRegistration(url);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    await this.organisations.setWebhook(organisationId, { url, secret });
    return { url, secret };
  }

  async removeWebhook(actor: Actor, organisationId: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError("configure an organisation's webhook");
    await this.organisations.setWebhook(organisationId, null);
  }

  async webhookDeliveries(actor: Actor, status?: WebhookDelivery['status'], limit = 50): Promise<WebhookDelivery[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('list webhook deliveries');
    return this.webhooks.list(status, limit);
  }

  /** Queues a failed delivery again, with a fresh series of attempts. */
  async replay(actor: Actor, offerId: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError('replay webhook deliveries');
    await this.db.transaction(async (tx) => {
      const attempts = await this.webhooks.reopen(tx, { offerId });
      if (attempts === undefined) throw new WebhookDeliveryNotFoundError(offerId);
      await this.jobs.add(tx, 'deliver-lead', { offerId, replay: attempts });
    });
    this.logger.log({ offerId }, 'webhook delivery replayed');
  }

  /**
   * `redeliver-lost-offers`: offers that reached no inbox long after they were made get their jobs written again
   * (the same job ids: harmless when the jobs were only slow).
   */
  async redeliverLost(graceSeconds = 120, limit = 200): Promise<number> {
    const lost = await this.db.transaction(async (tx) => {
      const offers = await this.offerRecords.undelivered(tx, graceSeconds, limit);
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
    return this.deliveries.inbox(actor.brokerId, limit);
  }
}
