import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Queryable } from '@app/persistence';
import {
  JOB_DEFINITIONS,
  type JobName,
  type JobRequest,
  type OutboxJob,
  type PayloadOf,
  type QueueName,
} from './job-definitions';
import { JobBackend, type QueuedJob } from './job-backend';
import { JobOutboxRepository } from './job-outbox.repository';

export class InvalidJobError extends Error {
  constructor(name: string, problem: string) {
    super(`job ${name}: ${problem}`);
    this.name = 'InvalidJobError';
  }
}

/**
 * The one way a stage hands work on: `add(tx, name, payload)` writes the job to the outbox in the caller's
 * transaction, so the job exists exactly when the change that causes it does (a crash after the commit loses
 * nothing; a rollback leaves no job behind). The relay moves rows to the backend (BullMQ or PostgreSQL).
 */
@Injectable()
export class Jobs {
  constructor(
    private readonly outbox: JobOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backend: JobBackend,
  ) {}

  async add<N extends OutboxJob>(tx: Queryable, name: N, payload: PayloadOf<N>): Promise<void> {
    await this.addMany(tx, [{ name, payload }]);
  }

  /** Many jobs in one statement (an import batch). Payloads are checked here, so a bad one fails its writer. */
  async addMany(tx: Queryable, jobs: readonly JobRequest[]): Promise<void> {
    const checked = jobs.map((j) => ({ name: j.name, payload: parsePayload(j.name, j.payload) }));
    await this.outbox.insert(tx, checked);
  }

  /** A job as the backend queues it: its deterministic id, attempts, backoff and delay (JOB_DEFINITIONS). */
  queued<N extends JobName>(name: N, payload: PayloadOf<N>): QueuedJob {
    const d = JOB_DEFINITIONS[name] as {
      queue: QueueName;
      jobId?: (p: PayloadOf<N>) => string;
      options?: (c: AppConfig, p: PayloadOf<N>) => JobsOptions;
    };
    const o = d.options?.(this.config, payload) ?? {};
    const backoff = typeof o.backoff === 'object' ? (o.backoff.delay ?? 0) : (o.backoff ?? 0);
    return {
      queue: d.queue,
      name,
      payload,
      ...(d.jobId ? { jobId: d.jobId(payload) } : {}),
      attempts: o.attempts ?? 1,
      backoffMs: backoff,
      delayMs: o.delay ?? 0,
    };
  }

  /** Jobs by state in every queue, for the queue-depth metric. */
  counts(): Promise<Record<QueueName, Record<string, number>>> {
    return this.backend.counts();
  }

  /** Puts the queue's scheduled jobs (`everyMs`) on the backend's schedule; any number of processes may ask. */
  async schedule(queue: QueueName): Promise<void> {
    const scheduled = Object.entries(JOB_DEFINITIONS).flatMap(([name, d]) => {
      if (d.queue !== queue || !('everyMs' in d) || d.everyMs === undefined) return [];
      return [{ name: name as JobName, everyMs: typeof d.everyMs === 'function' ? d.everyMs(this.config) : d.everyMs }];
    });
    await this.backend.schedule(queue, scheduled);
  }
}

/** The payload as its schema reads it, or an InvalidJobError naming what is wrong. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): PayloadOf<N> {
  const definition = JOB_DEFINITIONS[name] as (typeof JOB_DEFINITIONS)[JobName] | undefined;
  if (!definition) throw new InvalidJobError(name, 'no such job');
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success)
    throw new InvalidJobError(name, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data as PayloadOf<N>;
}
