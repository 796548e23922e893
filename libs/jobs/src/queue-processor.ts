import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { jobsOf, type JobOf, type PayloadOf, type QueueName } from './job-definitions';
import { InvalidJobError, parsePayload, type Jobs } from './jobs';
import type { RedisOutage } from './redis-outage';

/** What a queue's processor is: for each of its jobs, one call with the checked payload. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobOf<Q>]: (payload: PayloadOf<N>, job: Job) => Promise<unknown>;
};

/**
 * The common half of every processor: its handler table is checked at boot against JOB_DEFINITIONS (a job of the
 * queue without a handler, or a handler for a job of another queue, stops the process), each payload is checked
 * against its schema before the handler runs (a bad one fails at once, no retries), the queue's scheduled jobs are
 * put on its scheduler, and connection errors go to RedisOutage.
 */
export abstract class QueueProcessor<Q extends QueueName>
  extends WorkerHost
  implements OnModuleInit, OnApplicationBootstrap
{
  protected readonly logger: Logger;
  private table?: Record<string, (payload: unknown, job: Job) => Promise<unknown>>;

  protected constructor(
    private readonly queueName: Q,
    private readonly jobs: Jobs,
    private readonly outage: RedisOutage,
  ) {
    super();
    this.logger = new Logger(`${queueName}-processor`);
  }

  protected abstract handlers(): JobHandlers<Q>;

  onModuleInit(): void {
    const table = this.handlers() as Record<string, (payload: unknown, job: Job) => Promise<unknown>>;
    const expected = jobsOf(this.queueName);
    const missing = expected.filter((n) => typeof table[n] !== 'function');
    const foreign = Object.keys(table).filter((n) => !expected.includes(n as never));
    if (missing.length > 0 || foreign.length > 0)
      throw new Error(
        `processor of queue ${this.queueName}: ` +
          [
            missing.length ? `no handler for ${missing.join(', ')}` : '',
            foreign.length ? `handlers for jobs of other queues: ${foreign.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
      );
    this.table = table;
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down the command waits for it, and the process must start (and answer) meanwhile.
    void this.jobs
      .schedule(this.queueName)
      .catch((e: Error) => this.logger.warn(`scheduled jobs of ${this.queueName} not scheduled: ${e.message}`));
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.table?.[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    let payload: unknown;
    try {
      payload = parsePayload(job.name as never, job.data);
    } catch (e) {
      if (e instanceof InvalidJobError) throw new UnrecoverableError(e.message);
      throw e;
    }
    return handler(payload, job);
  }

  /** Connection errors of this worker: one warning per outage (RedisOutage), not a stack trace per retry. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage.failed(error);
  }
}

/** Is this the last attempt BullMQ will make of the job? */
export function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
