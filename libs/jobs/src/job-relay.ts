import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Db } from '@app/persistence';
import { isJobName } from './job-definitions';
import { JobBackend, type QueuedJob } from './job-backend';
import { JobOutboxRepository, type OutboxRow } from './job-outbox.repository';
import { Jobs, parsePayload } from './jobs';

const BATCH = 200;
/** A queue call that takes longer (Redis down) rolls the batch back; it is tried again at the next poll. */
const ENQUEUE_TIMEOUT_MS = 5_000;
/** How long a notification waits for more commits before the relay runs. */
const WAKE_MS = 10;

/**
 * Moves outbox rows to the job backend, in id order, and marks them relayed in the same transaction. Rows are claimed
 * with SKIP LOCKED, so several relays (one per worker) share the work. With PostgreSQL the jobs are queued in that
 * transaction; with Redis a crash between enqueuing and committing enqueues a row again, which deterministic job ids
 * (JOB_DEFINITIONS) make a no-op. Started by the composition
 * that runs the processors (the worker, or the API in single-machine mode).
 */
@Injectable()
export class JobRelay {
  private readonly logger = new Logger(JobRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private lastError = '';
  /** Stops LISTENing on `outbox`: committed rows wake the relay at once (migration 20261204000000_outbox_notify). */
  private unlisten?: () => Promise<void>;
  private woken = false;
  private wakeScheduled = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly outbox: JobOutboxRepository,
    private readonly jobs: Jobs,
    private readonly backend: JobBackend,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
    this.unlisten = this.db.listen('outbox', () => this.wake());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.running;
  }

  /**
   * Relays within WAKE_MS, or right after the batch that is running: commits that come in a burst (a bulk import's
   * embeddings) go in one batch rather than one transaction each.
   */
  private wake(): void {
    if (this.stopped) return;
    if (this.running) this.woken = true;
    else if (!this.wakeScheduled) {
      this.wakeScheduled = true;
      clearTimeout(this.timer);
      this.schedule(WAKE_MS);
    }
  }

  /** Outbox rows waiting for the relay (for /metrics). */
  backlog(): Promise<number> {
    return this.outbox.backlog();
  }

  /** Deletes rows relayed more than `days` ago, and the backend's jobs finished as long ago; returns how many. */
  async prune(days: number): Promise<number> {
    return (await this.outbox.prune(days)) + (await this.backend.prune(days));
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await this.outbox.claim(tx, BATCH);
      await withTimeout(this.backend.enqueue(tx, this.readable(rows)), ENQUEUE_TIMEOUT_MS);
      if (rows.length > 0)
        await this.outbox.markRelayed(
          tx,
          rows.map((r) => r.id),
        );
      return rows.length;
    });
  }

  /** The rows' jobs, in outbox order; a row this version cannot read is skipped loudly, not retried forever. */
  private readable(rows: readonly OutboxRow[]): QueuedJob[] {
    return rows.flatMap((row) => {
      // Written by a newer version, or damaged.
      if (!isJobName(row.job)) {
        this.logger.error({ outboxId: row.id, job: row.job }, 'unknown job; row skipped');
        return [];
      }
      try {
        return [this.jobs.queued(row.job, parsePayload(row.job, row.payload))];
      } catch (e) {
        this.logger.error({ outboxId: row.id, err: (e as Error).message }, 'bad job payload; row skipped');
        return [];
      }
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.wakeScheduled = false;
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
    // A full batch, or rows committed while this one ran, mean more is waiting: go on at once.
    const more = moved === BATCH || this.woken;
    this.woken = false;
    this.schedule(more && !this.lastError ? 0 : this.lastError ? Math.max(1000, poll) : poll);
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
