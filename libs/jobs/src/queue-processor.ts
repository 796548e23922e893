import { Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { jobsOf, type JobOf, type PayloadOf, type QueueName } from './job-definitions';
import type { JobContext, QueueWork } from './job-backend';
import { InvalidJobError, parsePayload, type Jobs } from './jobs';

/** What a queue's processor is: for each of its jobs, one call with the checked payload. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobOf<Q>]: (payload: PayloadOf<N>, job: JobContext) => Promise<unknown>;
};

/**
 * The common half of every processor, whichever backend runs its jobs: its handler table is checked at boot against
 * JOB_DEFINITIONS (a job of the queue without a handler, or a handler for a job of another queue, stops the
 * process), each payload is checked against its schema before the handler runs (a bad one fails at once, no
 * retries), and the queue's scheduled jobs are put on the backend's schedule. `work()` is what the backend runs.
 */
export abstract class QueueProcessor<Q extends QueueName> implements OnModuleInit, OnApplicationBootstrap {
  protected readonly logger: Logger;
  private table?: Record<string, (payload: unknown, job: JobContext) => Promise<unknown>>;

  protected constructor(
    private readonly queueName: Q,
    private readonly jobs: Jobs,
    /** Jobs of this queue one process runs at once. */
    protected concurrency: number,
  ) {
    this.logger = new Logger(`${queueName}-processor`);
  }

  protected abstract handlers(): JobHandlers<Q>;

  /** After each failed attempt of one of this queue's jobs; `final` when none follows. Nothing by default. */
  protected onFailed(_job: JobContext, _error: Error, _final: boolean): Promise<void> {
    return Promise.resolve();
  }

  onModuleInit(): void {
    const table = this.handlers() as Record<string, (payload: unknown, job: JobContext) => Promise<unknown>>;
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
    // Not awaited: with its store down the call waits for it, and the process must start (and answer) meanwhile.
    void this.jobs
      .schedule(this.queueName)
      .catch((e: Error) => this.logger.warn(`scheduled jobs of ${this.queueName} not scheduled: ${e.message}`));
  }

  /** This queue as a backend runs it. */
  work(): QueueWork {
    return {
      queue: this.queueName,
      concurrency: this.concurrency,
      run: (job) => this.process(job),
      failed: (job, error, final) => this.onFailed(job, error, final),
    };
  }

  async process(job: JobContext): Promise<unknown> {
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
}

/** Is this the last attempt the backend will make of the job? */
export function isFinalAttempt(job: JobContext): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
