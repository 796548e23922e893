import { Injectable } from '@nestjs/common';
import { isFinalAttempt, Jobs, QUEUES, QueueProcessor, type JobHandlers } from '@app/jobs';
import {
  LeadDeliveryService,
  LeadGenerationService,
  LeadLearningService,
  LeadLifecycleService,
  LeadOffersService,
} from '@app/leads';

/** The `leads` queue: finding leads for a new vector, delivering and expiring offers, the sweeps, and learning. */
@Injectable()
export class LeadsProcessor extends QueueProcessor<'leads'> {
  constructor(
    private readonly generation: LeadGenerationService,
    private readonly offers: LeadOffersService,
    private readonly lifecycle: LeadLifecycleService,
    private readonly delivery: LeadDeliveryService,
    private readonly learning: LeadLearningService,
    jobs: Jobs,
  ) {
    super(QUEUES.leads, jobs, 4);
  }

  protected handlers(): JobHandlers<'leads'> {
    return {
      'generate-leads': (payload) => this.generation.generateFor(payload),
      'deliver-lead': (payload, job) =>
        this.delivery.deliver(payload.offerId, {
          finalAttempt: isFinalAttempt(job),
          replay: payload.replay !== undefined,
        }),
      'expire-offer': (payload) => this.offers.expireOffer(payload.offerId),
      'assign-waiting-leads': () => this.offers.assignWaiting(),
      'close-withdrawn-leads': () => this.lifecycle.closeWithdrawn(),
      'redeliver-lost-offers': () => this.delivery.redeliverLost(),
      'learn-weights': async () => (await this.learning.learn())?.id ?? null,
    };
  }
}
