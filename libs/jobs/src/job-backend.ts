import type { Queryable } from '@app/persistence';
import type { JobName, QueueName } from './job-definitions';

/** A job as the relay hands it to the backend: checked payload, deterministic id, retry policy, delay. */
export interface QueuedJob {
  queue: QueueName;
  name: JobName;
  payload: unknown;
  jobId?: string;
  attempts: number;
  backoffMs: number;
  delayMs: number;
}

/** A job as a handler sees it, whichever backend runs it (BullMQ's Job has these fields). */
export interface JobContext {
  id?: string;
  name: string;
  data: unknown;
  /** Attempts made before this one. */
  attemptsMade: number;
  opts: { attempts?: number };
}

/** What a processor offers a backend: how many of its queue's jobs at once, how to run one, what to do on failure. */
export interface QueueWork {
  queue: QueueName;
  concurrency: number;
  run(job: JobContext): Promise<unknown>;
  /** After every failed attempt; `final` when no attempt follows. */
  failed(job: JobContext, error: Error, final: boolean): Promise<void>;
}

/** A scheduled job of a queue (`everyMs` in JOB_DEFINITIONS): one run at a time, however many workers ask. */
export interface ScheduledJob {
  name: JobName;
  everyMs: number;
}

/**
 * Where jobs wait and run: BullMQ on Redis, or PostgreSQL alone. The outbox and its relay are the same for both; the
 * backend takes the relayed jobs (in the relay's transaction, which PostgreSQL uses to queue each exactly once) and
 * runs them on the processors' handlers.
 */
export abstract class JobBackend {
  abstract readonly kind: 'redis' | 'postgres';
  /** Queues jobs; with PostgreSQL in `tx`, with Redis before `tx` commits (deterministic ids make a repeat a no-op). */
  abstract enqueue(tx: Queryable, jobs: readonly QueuedJob[]): Promise<void>;
  abstract schedule(queue: QueueName, jobs: readonly ScheduledJob[]): Promise<void>;
  /** Jobs by state in every queue, for the queue-depth metric. */
  abstract counts(): Promise<Record<QueueName, Record<string, number>>>;
  /** Starts running the queues' jobs on their handlers. */
  abstract work(queues: readonly QueueWork[]): void;
  /** Stops taking jobs and waits for the running ones (bounded by the process's shutdown deadline). */
  abstract stop(): Promise<void>;
  /** Forgets finished jobs older than `days` (the PostgreSQL table; BullMQ removes its own); returns how many. */
  abstract prune(days: number): Promise<number>;
}

/** Thrown for input no retry can mend: the job fails at once (BullMQ's UnrecoverableError is one too). */
export function isUnrecoverable(error: Error): boolean {
  return error.name === 'UnrecoverableError';
}
