import type { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import type { Db, Queryable } from '@app/persistence';
import { QUEUES, type QueueName } from './job-definitions';
import {
  isUnrecoverable,
  JobBackend,
  type JobContext,
  type QueuedJob,
  type QueueWork,
  type ScheduledJob,
} from './job-backend';
import { QueuedJobsRepository, type ClaimedJob } from './queued-jobs.repository';

/** A claim holds this long without a heartbeat: a worker that died lets its jobs be taken up again after it. */
const LEASE_MS = 60_000;
const HEARTBEAT_MS = LEASE_MS / 3;

/**
 * Jobs in PostgreSQL alone (JOBS_BACKEND=postgres, the default without REDIS_URL): the relay queues each job in the
 * transaction that marks its outbox row relayed (exactly once), and each queue's loop claims due jobs with SKIP
 * LOCKED under a lease, runs them on its handlers and records the outcome only while its lease holds. Waking: the
 * `queued_jobs` notification at commit, and a poll (OUTBOX_POLL_MS) for delayed jobs and lapsed claims.
 */
export class PostgresBackend extends JobBackend {
  readonly kind = 'postgres';
  private readonly repository: QueuedJobsRepository;
  private readonly loops: QueueLoop[] = [];
  private unlisten?: () => Promise<void>;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly db: Db,
    private readonly logger: Logger,
  ) {
    super();
    this.repository = new QueuedJobsRepository(db);
  }

  enqueue(tx: Queryable, jobs: readonly QueuedJob[]): Promise<void> {
    return this.repository.insert(tx, jobs);
  }

  schedule(queue: QueueName, jobs: readonly ScheduledJob[]): Promise<void> {
    return this.repository.schedule(queue, jobs);
  }

  counts(): Promise<Record<QueueName, Record<string, number>>> {
    return this.repository.counts(Object.values(QUEUES));
  }

  work(queues: readonly QueueWork[]): void {
    for (const w of queues)
      this.loops.push(new QueueLoop(w, this.repository, this.logger, this.config.jobs.outboxPollMs));
    this.unlisten = this.db.listen('queued_jobs', () => this.loops.forEach((l) => l.wake()));
    this.heartbeat = setInterval(() => {
      const leases = this.loops.flatMap((l) => l.leases());
      if (leases.length > 0)
        this.repository
          .extend(leases, LEASE_MS)
          .catch((e: Error) => this.logger.warn({ err: e.message }, 'job leases not extended'));
    }, HEARTBEAT_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.unlisten?.();
    await Promise.all(this.loops.map((l) => l.stop()));
  }

  prune(days: number): Promise<number> {
    return this.repository.prune(days);
  }
}

/** One queue's claiming loop: at most `concurrency` jobs in flight, claimed in batches as slots free up. */
class QueueLoop {
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  private stopped = false;
  private lastError = '';

  constructor(
    private readonly work: QueueWork,
    private readonly repository: QueuedJobsRepository,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {
    this.schedule(0);
  }

  wake(): void {
    if (!this.stopped && !this.claiming) this.schedule(0);
  }

  leases(): string[] {
    return [...this.running.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    await Promise.all(this.running.values());
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.claiming ??= this.claim().finally(() => (this.claiming = undefined));
    }, ms);
  }

  private async claim(): Promise<void> {
    const free = this.work.concurrency - this.running.size;
    let claimed: ClaimedJob[] = [];
    if (free > 0) {
      try {
        claimed = await this.repository.claim(this.work.queue, free, LEASE_MS);
        if (this.lastError) this.logger.log(`job queue ${this.work.queue} recovered`);
        this.lastError = '';
      } catch (e) {
        const message = (e as Error).message;
        if (message !== this.lastError)
          this.logger.warn({ err: message }, `job queue ${this.work.queue}: claim failed`);
        this.lastError = message;
      }
    }
    for (const job of claimed) {
      const lease = job.lease;
      this.running.set(
        lease,
        this.run(job).finally(() => {
          this.running.delete(lease);
          this.wake();
        }),
      );
    }
    // A full batch may mean more is due; otherwise the next poll (or a notification) brings the next.
    this.schedule(claimed.length > 0 && claimed.length === free ? 0 : this.lastError ? 1_000 : this.pollMs);
  }

  private async run(job: ClaimedJob): Promise<void> {
    const context: JobContext = {
      id: job.jobId,
      name: job.name,
      data: job.payload,
      attemptsMade: job.attemptsMade - 1,
      opts: { attempts: job.attempts },
    };
    try {
      await this.work.run(context);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const final = isUnrecoverable(error) || job.attemptsMade >= job.attempts;
      await this.repository
        .fail(job, error.message, final)
        .catch((err: Error) => this.logger.warn({ err: err.message, jobId: job.jobId }, 'job outcome not recorded'));
      await this.work.failed(context, error, final).catch(() => undefined);
      return;
    }
    // Not recorded (the database went away): the lease lapses and the job runs again, as any job may.
    await this.repository
      .complete(job)
      .catch((err: Error) => this.logger.warn({ err: err.message, jobId: job.jobId }, 'job outcome not recorded'));
  }
}
