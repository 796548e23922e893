import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { JobRelay, JobsModule, QUEUES } from '@app/jobs';
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
    return repository.insert('expert', organisationId, values, hash, db.pool);
  };

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, ProfilesModule],
    }).compile();
    await moduleRef.init();
    sut = moduleRef.get(ProfileEmbeddingService);
    repository = moduleRef.get(ProfilesRepository);
    db = moduleRef.get(Db);
    queue = new Queue(QUEUES.profiles, { connection: { url: moduleRef.get<AppConfig>(APP_CONFIG).redis.url } });
    organisationId = (
      await moduleRef.get(OrganisationsService).create('system', {
        kind: 'university',
        name: '测试大学',
        regionCode: '330106',
      })
    ).id;
  });
  afterAll(async () => {
    await queue.close();
    await moduleRef.close();
  });

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
    expect((await repository.findById('expert', expert.id, db.pool)).embedding.status).toBe('pending');
  });

  it('commits generate-leads with the vector of an achievement, at the position the index must reach', async () => {
    const values = { title: '退役电池湿法回收', abstract: '正极材料再生', readinessLevel: 6, regionCode: '330106' };
    const hash = embeddingHash('achievement', values);
    const achievement = await repository.insert('achievement', organisationId, values, hash, db.pool);
    expect(await sut.embedProfile({ kind: 'achievement', id: achievement.id, contentHash: hash })).toBe('embedded');
    const rows = await db.query<{ payload: Record<string, string> }>(
      `SELECT payload FROM outbox WHERE job = 'generate-leads' AND payload->>'id' = $1`,
      [achievement.id],
    );
    const changed = await db.one<{ at: string }>('SELECT changed_at::text AS at FROM achievements WHERE id = $1', [
      achievement.id,
    ]);
    expect(rows.map((r) => r.payload)).toEqual([
      { kind: 'achievement', id: achievement.id, contentHash: hash, changedAt: changed!.at },
    ]);
  });

  it('re-queues, through the outbox, records embedded by another model and only those', async () => {
    const waiting = await newExpert();
    const otherModel = await newExpert();
    await sut.embedProfile({ kind: 'expert', id: otherModel.id, contentHash: otherModel.embedding.contentHash });
    await db.query("UPDATE experts SET embedding_model = 'some-old-model' WHERE id = $1", [otherModel.id]);
    await db.query("UPDATE experts SET updated_at = now() - interval '10 minutes' WHERE id = $1", [waiting.id]);

    await sut.reconcile(100_000);
    const written = await db.query<{ id: string }>(
      `SELECT payload->>'id' AS id FROM outbox WHERE job = 'embed-profile' AND relayed_at IS NULL`,
    );
    expect(written.map((r) => r.id)).toContain(otherModel.id);
    expect(written.map((r) => r.id)).not.toContain(waiting.id);
    const relay = moduleRef.get(JobRelay);
    while ((await relay.relayOnce()) > 0);
    const ids = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.id);
    expect(ids).toContain(`embed.expert.${otherModel.id}.${otherModel.embedding.contentHash}`);
    expect(
      await sut.embedProfile({ kind: 'expert', id: otherModel.id, contentHash: otherModel.embedding.contentHash }),
    ).toBe('embedded');
  });
});
