import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ConfigModule } from '@app/config';
import { JobsModule, QUEUES } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import type { TestingModule } from '@nestjs/testing';
import { embeddingHash } from './embedding-text';
import { OrganisationsService } from './organisations.service';
import { ProfileEmbeddingService } from './profile-embedding.service';
import { ProfilesModule } from './profiles.module';
import { ProfilesRepository } from './profiles.repository';

describe('ProfileEmbeddingService (real model, PostgreSQL and Redis)', () => {
  let moduleRef: TestingModule;
  let sut: ProfileEmbeddingService;
  let repository: ProfilesRepository;
  let db: Db;
  let queue: Queue;
  let organisationId: string;

  const expertise = '锂离子电池材料回收与再生，湿法冶金';
  const newExpert = async () => {
    const values = { name: '王教授', expertise, disciplineCodes: ['450'] };
    const hash = embeddingHash('expert', values);
    return repository.insert('expert', organisationId, values, hash);
  };

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, ProfilesModule],
    }).compile();
    await moduleRef.init();
    sut = moduleRef.get(ProfileEmbeddingService);
    repository = moduleRef.get(ProfilesRepository);
    db = moduleRef.get(Db);
    queue = moduleRef.get(getQueueToken(QUEUES.profiles));
    organisationId = (
      await moduleRef.get(OrganisationsService).create('system', {
        kind: 'university',
        name: '测试大学',
        regionCode: '330106',
      })
    ).id;
  });
  afterAll(() => moduleRef.close());

  it('embeds a profile once: running the same job again changes nothing', async () => {
    const expert = await newExpert();
    const job = { kind: 'expert' as const, id: expert.id, contentHash: expert.embedding.contentHash };
    expect(await sut.embedProfile(job)).toBe('embedded');
    const first = await db.one<{ embedding: Buffer; embedded_at: Date }>(
      'SELECT embedding, embedded_at FROM experts WHERE id = $1',
      [expert.id],
    );
    expect(first!.embedding.length).toBe(512 * 4);
    expect(await sut.embedProfile(job)).toBe('unchanged');
    const second = await db.one<{ embedded_at: Date }>('SELECT embedded_at FROM experts WHERE id = $1', [expert.id]);
    expect(second!.embedded_at).toEqual(first!.embedded_at);
  });

  it('skips a job for text that has changed since (a newer job exists)', async () => {
    const expert = await newExpert();
    const oldHash = expert.embedding.contentHash;
    const newValues = { expertise: '钠离子电池正极材料' };
    await db.transaction((tx) =>
      repository.update('expert', expert.id, newValues, embeddingHash('expert', { ...expert, ...newValues }), tx),
    );
    expect(await sut.embedProfile({ kind: 'expert', id: expert.id, contentHash: oldHash })).toBe('stale');
    expect((await repository.findById('expert', expert.id)).embedding.status).toBe('pending');
  });

  it('re-queues records whose job was lost and records embedded by another model', async () => {
    const lost = await newExpert();
    const otherModel = await newExpert();
    await sut.embedProfile({ kind: 'expert', id: otherModel.id, contentHash: otherModel.embedding.contentHash });
    await db.query("UPDATE experts SET embedding_model = 'some-old-model' WHERE id = $1", [otherModel.id]);
    await db.query("UPDATE experts SET updated_at = now() - interval '10 minutes' WHERE id = $1", [lost.id]);

    await sut.reconcile(60, 100_000);
    const ids = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.id);
    expect(ids).toContain(`embed.expert.${lost.id}.${lost.embedding.contentHash}`);
    expect(ids).toContain(`embed.expert.${otherModel.id}.${otherModel.embedding.contentHash}`);
    expect(
      await sut.embedProfile({ kind: 'expert', id: otherModel.id, contentHash: otherModel.embedding.contentHash }),
    ).toBe('embedded');
  });
});
