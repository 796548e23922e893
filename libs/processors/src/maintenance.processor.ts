import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { JobRelay, Jobs, QUEUES, QueueProcessor, type JobHandlers } from '@app/jobs';
import { IdempotencyRepository } from '@app/persistence';

/** The `maintenance` queue: housekeeping of the service's own tables. */
@Injectable()
export class MaintenanceProcessor extends QueueProcessor<'maintenance'> {
  constructor(
    private readonly idempotency: IdempotencyRepository,
    private readonly relay: JobRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: Jobs,
  ) {
    super(QUEUES.maintenance, jobs, 1);
  }

  protected handlers(): JobHandlers<'maintenance'> {
    return {
      'expire-idempotency-keys': () => this.idempotency.expire(this.config.http.idempotencyTtlHours),
      'prune-outbox': () => this.relay.prune(7),
    };
  }
}
