import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { LeadJobs } from '@app/jobs';
import { OUTBOX_TOPICS } from './leads.service';
import { OutboxRepository } from './outbox.repository';

const BATCH = 200;
/** A queue call that takes longer (Redis down) rolls the batch back; it is tried again at the next poll. */
const ENQUEUE_TIMEOUT_MS = 5_000;
/** How often the relay looks for offers whose delivery job was lost, and how old they must be. */
const LOST_CHECK_MS = 60_000;
const LOST_GRACE_S = 120;

/**
 * Moves outbox rows to the queues, in id order, and marks them relayed in the same transaction. Rows are claimed
 * with SKIP LOCKED, so several relays (one per worker) share the work. A crash between enqueuing and committing
 * enqueues a row again; the deterministic job ids of LeadJobs make that a no-op.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private lastError = '';
  private sincePrune = 0;
  private lastLostCheck = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly jobs: LeadJobs,
  ) {}

  start(): void {
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

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    return this.outbox.db.transaction(async (tx) => {
      const rows = await this.outbox.claim(tx, BATCH);
      for (const row of rows) await withTimeout(this.enqueue(row.topic, row.payload), ENQUEUE_TIMEOUT_MS);
      if (rows.length > 0)
        await this.outbox.markRelayed(
          tx,
          rows.map((r) => r.id),
        );
      return rows.length;
    });
  }

  /** Offers that reached no inbox long after they were relayed go to the queues again (same job ids). */
  async redeliverLost(): Promise<number> {
    const lost = await this.outbox.undelivered(LOST_GRACE_S, BATCH);
    for (const { offerId, dueAt } of lost) {
      await withTimeout(
        this.enqueue(OUTBOX_TOPICS.leadOffered, { offerId, dueAt: dueAt.toISOString() }),
        ENQUEUE_TIMEOUT_MS,
      );
    }
    if (lost.length > 0) this.logger.warn({ offers: lost.length }, 'offers without delivery queued again');
    return lost.length;
  }

  private async enqueue(topic: string, payload: Record<string, string>): Promise<void> {
    if (topic === OUTBOX_TOPICS.leadOffered) {
      await this.jobs.deliverLead(payload.offerId);
      await this.jobs.expireOffer(payload.offerId, new Date(payload.dueAt));
      return;
    }
    this.logger.error({ topic }, 'unknown outbox topic; row skipped');
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
      if (++this.sincePrune >= 1000) {
        this.sincePrune = 0;
        await this.outbox.prune(7);
      }
      if (Date.now() - this.lastLostCheck > LOST_CHECK_MS) {
        this.lastLostCheck = Date.now();
        await this.redeliverLost();
      }
    } catch (e) {
      const message = (e as Error).message;
      if (message !== this.lastError) this.logger.warn({ err: message }, 'outbox relay failed; retrying');
      this.lastError = message;
    }
    // A full batch means more is waiting: go on at once.
    this.schedule(
      moved === BATCH
        ? 0
        : this.lastError
          ? Math.max(1000, this.config.leads.outboxPollMs)
          : this.config.leads.outboxPollMs,
    );
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
