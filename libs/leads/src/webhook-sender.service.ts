import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Queryable } from '@app/persistence';
import type { WebhookTarget } from '@app/profiles';
import { WebhookAddressGuard } from './webhook-address-guard';
import { callWebhook, type WebhookOutcome } from './webhook-call';
import {
  WebhookDeliveriesRepository,
  type WebhookDelivery,
  type WebhookSubject,
} from './webhook-deliveries.repository';
import { signWebhook } from './webhook-signature';

export type { WebhookSubject };

/**
 * The one way anything is announced on an organisation's webhook: a signed POST with the subject's id as
 * idempotency key, recorded per subject. A subject already delivered is not called again (unless replayed); a failed
 * call throws so its job retries with backoff, and after the final attempt the record says failed, for operators to
 * list and replay. Each call goes only where WebhookAddressGuard lets it, judged on the address connected to.
 */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly guard: WebhookAddressGuard,
  ) {}

  /** 'none' when the organisation has no webhook; 'skipped' when delivered before and this is no replay. */
  async send(
    subject: WebhookSubject,
    target: WebhookTarget | undefined,
    message: { event: WebhookDelivery['event'] } & Record<string, unknown>,
    opts: { finalAttempt: boolean; replay: boolean },
  ): Promise<'delivered' | 'skipped' | 'none'> {
    if (!target?.url || !target.secret) return 'none';
    const status = await this.deliveries.start(subject, target.organisationId, target.url);
    if (status === 'delivered' && !opts.replay) return 'skipped';
    const body = JSON.stringify(message);
    const url = new URL(target.url); // stored only after WebhookDto and the guard accepted it
    const result = await callWebhook({
      url,
      route: this.guard.route(url),
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'offerId' in subject ? subject.offerId : subject.invitationId,
        'x-signature': signWebhook(target.secret, body),
      },
      body,
      timeoutMs: this.config.leads.webhook.timeoutMs,
    });
    await this.deliveries.recordAttempt(subject, { ...result, finalAttempt: opts.finalAttempt });
    if (result.outcome !== 'delivered') throw new WebhookCallError(target.url, result, opts.finalAttempt);
    return 'delivered';
  }

  /** Before a replay's job is written (in its transaction): the record pending again; undefined when none exists. */
  reopen(tx: Queryable, subject: WebhookSubject): Promise<number | undefined> {
    return this.deliveries.reopen(tx, subject);
  }
}

/**
 * A webhook call that failed; `final` when no attempt follows. It says the outcome class only, for its message is
 * kept as the job's failure reason.
 */
export class WebhookCallError extends Error {
  constructor(
    url: string,
    readonly result: WebhookOutcome,
    readonly final: boolean,
  ) {
    super(`webhook ${url}: ${result.outcome}${result.statusCode === null ? '' : ` (HTTP ${result.statusCode})`}`);
  }
}
