import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@app/config';
import type { Queryable } from '@app/persistence';
import { QUEUES, type QueueName } from './job-definitions';
import { JobBackend, type QueuedJob, type QueueWork, type ScheduledJob } from './job-backend';
import type { RedisOutage } from './redis-outage';

/** How long finished jobs stay in Redis, for inspection and so that a repeated job id stays a no-op meanwhile. */
const KEEP = { removeOnComplete: { age: 24 * 3600, count: 50_000 }, removeOnFail: { age: 30 * 24 * 3600 } };

/** BullMQ on Redis (JOBS_BACKEND=redis): the design card's queues, for sites that run many workers. */
export class BullmqBackend extends JobBackend {
  readonly kind = 'redis';
  private readonly queues: Record<QueueName, Queue>;
  private readonly workers: Worker[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly outage: RedisOutage,
  ) {
    super();
    const connection = { url: config.redis.url, maxRetriesPerRequest: null };
    this.queues = Object.fromEntries(
      Object.values(QUEUES).map((name) => {
        const queue = new Queue(name, { connection });
        outage.watch(queue);
        return [name, queue];
      }),
    ) as Record<QueueName, Queue>;
  }

  async enqueue(_tx: Queryable, jobs: readonly QueuedJob[]): Promise<void> {
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const j of jobs) {
      byQueue.set(j.queue, [
        ...(byQueue.get(j.queue) ?? []),
        {
          name: j.name,
          data: j.payload,
          opts: {
            ...KEEP,
            ...(j.jobId ? { jobId: j.jobId } : {}),
            attempts: j.attempts,
            ...(j.backoffMs > 0 ? { backoff: { type: 'exponential', delay: j.backoffMs } } : {}),
            ...(j.delayMs > 0 ? { delay: j.delayMs } : {}),
          },
        },
      ]);
    }
    for (const [queue, bulk] of byQueue) await this.queues[queue].addBulk(bulk);
  }

  async schedule(queue: QueueName, jobs: readonly ScheduledJob[]): Promise<void> {
    for (const j of jobs)
      await this.queues[queue].upsertJobScheduler(
        j.name,
        { every: j.everyMs },
        { name: j.name, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
  }

  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const names = Object.values(QUEUES);
    const counts = await Promise.all(
      names.map((q) => this.queues[q].getJobCounts('waiting', 'active', 'delayed', 'failed')),
    );
    return Object.fromEntries(names.map((q, i) => [q, counts[i]])) as Record<QueueName, Record<string, number>>;
  }

  work(queues: readonly QueueWork[]): void {
    for (const w of queues) {
      const worker = new Worker(w.queue, (job: Job) => w.run(job), {
        connection: { url: this.config.redis.url, maxRetriesPerRequest: null },
        concurrency: w.concurrency,
      });
      // Connection errors: one warning per outage (RedisOutage), not a stack trace per retry.
      this.outage.watch(worker);
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        void w.failed(job, error, final);
      });
      this.workers.push(worker);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }

  prune(): Promise<number> {
    return Promise.resolve(0);
  }
}
