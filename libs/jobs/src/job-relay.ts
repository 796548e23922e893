import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Db } from '@app/persistence';
import { JOB_DEFINITIONS, isJobName } from './job-definitions';
import { JobOutboxRepository, type OutboxRow } from './job-outbox.repository';
import { Jobs, parsePayload } from './jobs';

const BATCH = 200;
/** A queue call that takes longer (Redis down) rolls the batch back; it is tried again at the next poll. */
const ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Moves outbox rows to the queues, in id order, and marks them relayed in the same transaction. Rows are claimed
 * with SKIP LOCKED, so several relays (one per worker) share the work. A crash between enqueuing and committing
 * enqueues a row again; deterministic job ids (JOB_DEFINITIONS) make that a no-op. Started by the composition
 * that runs the processors (the worker, or the API in single-machine mode).
 */
@Injectable()
export class JobRelay {
  private readonly logger = new Logger(JobRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private lastError = '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly outbox: JobOutboxRepository,
    private readonly jobs: Jobs,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Outbox rows waiting for the relay (for /metrics). */
  backlog(): Promise<number> {
    return this.outbox.backlog();
  }

  /** Deletes rows relayed more than `days` ago; returns how many. */
  prune(days: number): Promise<number> {
    return this.outbox.prune(days);
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await this.outbox.claim(tx, BATCH);
      for (const row of rows) await withTimeout(this.enqueue(row), ENQUEUE_TIMEOUT_MS);
      if (rows.length > 0)
        await this.outbox.markRelayed(
          tx,
          rows.map((r) => r.id),
        );
      return rows.length;
    });
  }

  private async enqueue(row: OutboxRow): Promise<void> {
    // A row this version cannot read (written by a newer one, or damaged) is skipped loudly, not retried forever.
    if (!isJobName(row.job)) return this.logger.error({ outboxId: row.id, job: row.job }, 'unknown job; row skipped');
    let payload;
    try {
      payload = parsePayload(row.job, row.payload);
    } catch (e) {
      return this.logger.error({ outboxId: row.id, err: (e as Error).message }, 'bad job payload; row skipped');
    }
    const queue = this.jobs.queue(JOB_DEFINITIONS[row.job].queue);
    await queue.add(row.job, payload, this.jobs.optionsOf(row.job, payload));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let moved = 0;
    try {
      moved = await this.relayOnce();
      if (this.lastError) this.logger.log('outbox relay recovered');
      this.lastError = '';
    } catch (e) {
      const message = (e as Error).message;
      if (message !== this.lastError) this.logger.warn({ err: message }, 'outbox relay failed; retrying');
      this.lastError = message;
    }
    const poll = this.config.jobs.outboxPollMs;
    // A full batch means more is waiting: go on at once.
    this.schedule(moved === BATCH ? 0 : this.lastError ? Math.max(1000, poll) : poll);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
