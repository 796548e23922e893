import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { JobRelay } from './job-relay';
import { Jobs } from './jobs';
import { JobsModule } from './jobs.module';
import { QUEUES } from './job-definitions';

describe.each(['redis', 'postgres'])('JobRelay onto the %s backend (real PostgreSQL and Redis)', (backend) => {
  let moduleRef: TestingModule;
  let relay: JobRelay;
  let queue: Queue | undefined;
  /** Whether the backend holds a job of this id (the relay ran no worker: it stays queued). */
  const queued = async (jobId: string): Promise<boolean> =>
    queue
      ? (await queue.getJob(jobId)) !== undefined
      : (await moduleRef.get(Db).query('SELECT 1 FROM queued_jobs WHERE job_id = $1', [jobId])).length === 1;

  beforeAll(async () => {
    // A poll a minute apart: only the notification of a commit can relay a row within seconds.
    process.env.OUTBOX_POLL_MS = '60000';
    process.env.JOBS_BACKEND = backend;
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule],
    }).compile();
    await moduleRef.init();
    relay = moduleRef.get(JobRelay);
    if (backend === 'redis')
      queue = new Queue(QUEUES.profiles, { connection: { url: moduleRef.get<AppConfig>(APP_CONFIG).redis.url } });
  });
  afterAll(async () => {
    await relay.stop();
    await queue?.close();
    await moduleRef.close();
    delete process.env.OUTBOX_POLL_MS;
    delete process.env.JOBS_BACKEND;
  });

  it('relays a committed job at once, woken by the commit (LISTEN outbox), not at its next poll', async () => {
    const db = moduleRef.get(Db);
    relay.start();
    // The first batch at start, then a poll a minute later.
    for (let i = 0; i < 50 && (await relay.backlog()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    const id = randomUUID();
    const started = Date.now();
    await db.transaction((tx) =>
      moduleRef.get(Jobs).add(tx, 'embed-profile', { kind: 'expert', id, contentHash: 'h' }),
    );
    const jobId = `embed.expert.${id}.h`;
    while (!(await queued(jobId)) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(await queued(jobId)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('relays nothing that was rolled back', async () => {
    const db = moduleRef.get(Db);
    const id = randomUUID();
    await db
      .transaction(async (tx) => {
        await moduleRef.get(Jobs).add(tx, 'embed-profile', { kind: 'expert', id, contentHash: 'h' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(await queued(`embed.expert.${id}.h`)).toBe(false);
  });
});
