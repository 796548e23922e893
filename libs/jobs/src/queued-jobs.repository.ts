import type { Db, Queryable } from '@app/persistence';
import type { JobName, QueueName } from './job-definitions';
import type { QueuedJob, ScheduledJob } from './job-backend';

/** A job a worker claimed: its lease is what lets it record the outcome. */
export interface ClaimedJob {
  id: string;
  jobId: string;
  name: JobName;
  payload: unknown;
  /** Attempts started, this one included. */
  attemptsMade: number;
  attempts: number;
  lease: string;
}

/** The SQL of `queued_jobs` (JOBS_BACKEND=postgres). */
export class QueuedJobsRepository {
  constructor(private readonly db: Db) {}

  /** Queues jobs in the caller's transaction; a job id already queued (kept until pruned) is left as it is. */
  async insert(tx: Queryable, jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await tx.query(
      `INSERT INTO queued_jobs (queue, name, job_id, payload, attempts, backoff_ms, run_at)
       SELECT q, n, coalesce(j, 'job.' || gen_random_uuid()), p, a, b, now() + make_interval(secs => d / 1000.0)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[], $6::int[], $7::float8[])
              AS u(q, n, j, p, a, b, d)
       ON CONFLICT (job_id) DO NOTHING`,
      [
        jobs.map((j) => j.queue),
        jobs.map((j) => j.name),
        jobs.map((j) => j.jobId ?? null),
        jobs.map((j) => JSON.stringify(j.payload)),
        jobs.map((j) => j.attempts),
        jobs.map((j) => j.backoffMs),
        jobs.map((j) => j.delayMs),
      ],
    );
  }

  /** A scheduled job is one row that waits `everyMs` again after each run; a changed period takes effect. */
  async schedule(queue: QueueName, jobs: readonly ScheduledJob[]): Promise<void> {
    for (const j of jobs)
      await this.db.query(
        `INSERT INTO queued_jobs (queue, name, job_id, payload, attempts, every_ms)
         VALUES ($1, $2, $3, '{}', 1, $4)
         ON CONFLICT (job_id) DO UPDATE SET every_ms = EXCLUDED.every_ms`,
        [queue, j.name, `every.${j.name}`, j.everyMs],
      );
  }

  /** Up to `limit` due jobs of a queue, or ones whose claim lapsed, claimed under a new lease. */
  async claim(queue: QueueName, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    const rows = await this.db.query<{
      id: string;
      job_id: string;
      name: JobName;
      payload: unknown;
      attempts_made: number;
      attempts: number;
      lease: string;
    }>(
      `UPDATE queued_jobs j
          SET state = 'active', lease = gen_random_uuid(), attempts_made = j.attempts_made + 1,
              locked_until = now() + make_interval(secs => $3 / 1000.0)
        WHERE j.id IN (SELECT id FROM queued_jobs
                        WHERE queue = $1
                          AND ((state = 'waiting' AND run_at <= now()) OR (state = 'active' AND locked_until < now()))
                        ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.job_id, j.name, j.payload, j.attempts_made, j.attempts, j.lease`,
      [queue, limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      name: r.name,
      payload: r.payload,
      attemptsMade: r.attempts_made,
      attempts: r.attempts,
      lease: r.lease,
    }));
  }

  /** Keeps the claims of jobs still running. */
  async extend(leases: readonly string[], leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE queued_jobs SET locked_until = now() + make_interval(secs => $2 / 1000.0)
        WHERE lease = ANY ($1::uuid[]) AND state = 'active'`,
      [leases, leaseMs],
    );
  }

  /** Done: completed, or (a scheduled job) waiting for its next run. Only the holder of the lease records it. */
  async complete(job: ClaimedJob): Promise<void> {
    await this.db.query(
      `UPDATE queued_jobs
          SET state = CASE WHEN every_ms IS NULL THEN 'completed'::queued_job_state ELSE 'waiting' END,
              run_at = CASE WHEN every_ms IS NULL THEN run_at ELSE now() + make_interval(secs => every_ms / 1000.0) END,
              attempts_made = CASE WHEN every_ms IS NULL THEN attempts_made ELSE 0 END,
              finished_at = CASE WHEN every_ms IS NULL THEN now() END,
              lease = NULL, locked_until = NULL, last_error = NULL
        WHERE id = $1 AND lease = $2`,
      [job.id, job.lease],
    );
  }

  /** Failed: tried again after its backoff, or (final) kept as failed; a scheduled job waits for its next run. */
  async fail(job: ClaimedJob, error: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE queued_jobs
          SET state = CASE WHEN every_ms IS NOT NULL OR NOT $3 THEN 'waiting'::queued_job_state ELSE 'failed' END,
              run_at = CASE WHEN every_ms IS NOT NULL THEN now() + make_interval(secs => every_ms / 1000.0)
                            WHEN $3 THEN run_at
                            ELSE now() + make_interval(secs => backoff_ms * 2 ^ (attempts_made - 1) / 1000.0) END,
              attempts_made = CASE WHEN every_ms IS NOT NULL THEN 0 ELSE attempts_made END,
              finished_at = CASE WHEN every_ms IS NULL AND $3 THEN now() END,
              lease = NULL, locked_until = NULL, last_error = left($4, 2000)
        WHERE id = $1 AND lease = $2`,
      [job.id, job.lease, final, error],
    );
  }

  async counts(queues: readonly QueueName[]): Promise<Record<QueueName, Record<string, number>>> {
    const rows = await this.db.query<{ queue: QueueName; state: string; n: number }>(
      `SELECT queue,
              CASE WHEN state = 'waiting' AND run_at > now() THEN 'delayed' ELSE state::text END AS state,
              count(*)::int AS n
         FROM queued_jobs WHERE state <> 'completed' GROUP BY 1, 2`,
    );
    const empty = (): Record<string, number> => ({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    const counts = Object.fromEntries(queues.map((q) => [q, empty()])) as Record<QueueName, Record<string, number>>;
    for (const r of rows) if (counts[r.queue]) counts[r.queue][r.state] = r.n;
    return counts;
  }

  /** Completed jobs finished more than `days` ago, and failed ones more than 30 days ago, are deleted. */
  async prune(days: number): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM queued_jobs
        WHERE (state = 'completed' AND finished_at < now() - make_interval(days => $1))
           OR (state = 'failed' AND finished_at < now() - interval '30 days')
       RETURNING id`,
      [days],
    );
    return rows.length;
  }
}
