import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { ConfigModule } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { JobRelay } from './job-relay';
import { Jobs } from './jobs';
import { JobsModule } from './jobs.module';
import { QUEUES } from './job-definitions';

describe('JobRelay (real PostgreSQL and Redis)', () => {
  let moduleRef: TestingModule;
  let relay: JobRelay;

  beforeAll(async () => {
    // A poll a minute apart: only the notification of a commit can relay a row within seconds.
    process.env.OUTBOX_POLL_MS = '60000';
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule],
    }).compile();
    await moduleRef.init();
    relay = moduleRef.get(JobRelay);
  });
  afterAll(async () => {
    await relay.stop();
    await moduleRef.close();
    delete process.env.OUTBOX_POLL_MS;
  });

  it('relays a committed job at once, woken by the commit (LISTEN outbox), not at its next poll', async () => {
    const db = moduleRef.get(Db);
    const queue = moduleRef.get<Queue>(getQueueToken(QUEUES.profiles));
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
    while (!(await queue.getJob(jobId)) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(await queue.getJob(jobId)).toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    await (await queue.getJob(jobId))!.remove();
  });

  it('relays nothing that was rolled back', async () => {
    const db = moduleRef.get(Db);
    const queue = moduleRef.get<Queue>(getQueueToken(QUEUES.profiles));
    const id = randomUUID();
    await db
      .transaction(async (tx) => {
        await moduleRef.get(Jobs).add(tx, 'embed-profile', { kind: 'expert', id, contentHash: 'h' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(await queue.getJob(`embed.expert.${id}.h`)).toBeUndefined();
  });
});
