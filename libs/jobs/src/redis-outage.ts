import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@app/observability';

/**
 * One account of Redis outages for every connection of the process (the queues', the workers', the notices'): the
 * first error of an outage is one warning, the rest are quiet until a connection is ready again, which is one line.
 * Without it BullMQ prints a stack trace per connection per retry.
 */
@Injectable()
export class RedisOutage {
  private down = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  failed(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ err: error.message }, 'redis unreachable; queues wait and retry until it is back');
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info('redis reachable again');
  }

  /** Routes an emitter's errors (a Queue, a Worker, a client) here. */
  watch(emitter: { on(event: 'error', listener: (e: Error) => void): unknown }): void {
    emitter.on('error', (e: Error) => this.failed(e));
  }
}
