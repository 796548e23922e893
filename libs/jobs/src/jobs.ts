import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Queryable } from '@app/persistence';
import {
  JOB_DEFINITIONS,
  QUEUES,
  type JobName,
  type JobRequest,
  type OutboxJob,
  type PayloadOf,
  type QueueName,
} from './job-definitions';
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
 * nothing; a rollback leaves no job behind). The relay moves rows to the queues.
 */
@Injectable()
export class Jobs {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    private readonly outbox: JobOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.profiles) profiles: Queue,
    @InjectQueue(QUEUES.leads) leads: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.challenges) challenges: Queue,
  ) {
    this.queues = { profiles, leads, maintenance, challenges };
  }

  async add<N extends OutboxJob>(tx: Queryable, name: N, payload: PayloadOf<N>): Promise<void> {
    await this.addMany(tx, [{ name, payload }]);
  }

  /** Many jobs in one statement (an import batch). Payloads are checked here, so a bad one fails its writer. */
  async addMany(tx: Queryable, jobs: readonly JobRequest[]): Promise<void> {
    const checked = jobs.map((j) => ({ name: j.name, payload: parsePayload(j.name, j.payload) }));
    await this.outbox.insert(tx, checked);
  }

  /** The BullMQ options of one job: its deterministic id, attempts, backoff and delay. */
  optionsOf<N extends JobName>(name: N, payload: PayloadOf<N>) {
    const d = JOB_DEFINITIONS[name] as {
      jobId?: (p: PayloadOf<N>) => string;
      options?: (c: AppConfig, p: PayloadOf<N>) => object;
    };
    return { ...d.options?.(this.config, payload), ...(d.jobId ? { jobId: d.jobId(payload) } : {}) };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** Jobs by state in every queue, for the queue-depth metric. */
  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const names = Object.values(QUEUES);
    const counts = await Promise.all(
      names.map((q) => this.queue(q).getJobCounts('waiting', 'active', 'delayed', 'failed')),
    );
    return Object.fromEntries(names.map((q, i) => [q, counts[i]])) as Record<QueueName, Record<string, number>>;
  }

  /** Puts the queue's scheduled jobs (`everyMs`) on its scheduler; any number of processes may ask. */
  async schedule(queue: QueueName): Promise<void> {
    for (const [name, d] of Object.entries(JOB_DEFINITIONS)) {
      if (d.queue !== queue || !('everyMs' in d)) continue;
      await this.queue(queue).upsertJobScheduler(
        name,
        { every: typeof d.everyMs === 'function' ? d.everyMs(this.config) : d.everyMs },
        { name, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    }
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
