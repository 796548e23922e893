import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { EmbeddingService } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { embeddingHash, embeddingText, OrganisationsService, ProfilesRepository, ProfilesService } from '@app/profiles';
import { SearchIndexService } from './search-index.service';
import { VectorIndexModule } from './vector-index.module';

const root = join(__dirname, '../../..');

/** One process's view: the index and what it needs, with its own snapshot folder (or none). */
async function start(snapshotDir: string): Promise<TestingModule> {
  process.env.INDEX_SNAPSHOT_DIR = snapshotDir;
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, VectorIndexModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SearchIndexService (real PostgreSQL, Redis and model)', () => {
  let writer: TestingModule;
  let organisationId: string;

  /** Writes an achievement and its real vector straight to the database, as the worker would. */
  const addAchievement = async (title: string) => {
    const repository = writer.get(ProfilesRepository);
    const values = { title, abstract: `${title}的技术方案与应用。`, readinessLevel: 5, regionCode: '330100' };
    const hash = embeddingHash('achievement', values);
    const created = await repository.insert('achievement', organisationId, values, hash, writer.get(Db).pool);
    const embedding = writer.get(EmbeddingService);
    await repository.storeEmbedding(writer.get(Db).pool, 'achievement', created.id, {
      expectedHash: hash,
      hash,
      modelId: embedding.modelId,
      vector: await embedding.embedOne(embeddingText('achievement', values)),
    });
    return created.id;
  };
  const query = (m: TestingModule, text: string) => m.get(EmbeddingService).embedOne(text, 'query');

  beforeAll(async () => {
    writer = await start('');
    organisationId = (
      await writer
        .get(OrganisationsService)
        .create('system', { kind: 'university', name: '索引测试大学', regionCode: '330100' })
    ).id;
  });
  afterAll(() => writer.close());

  it('restarts from its snapshot, catching up on what was written and withdrawn while it was down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-index-'));
    const kept = await addAchievement('海水淡化反渗透膜抗污染改性');
    const doomed = await addAchievement('稀土永磁材料晶界扩散');

    const first = await start(dir);
    const index = first.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    expect(index.dense('achievement', await query(first, '反渗透膜'), 1).hits[0].id).toBe(kept);
    await first.close(); // writes the snapshot

    // While no index runs: one new record, one withdrawn.
    const added = await addAchievement('钠离子电池正极材料');
    await writer
      .get(ProfilesService)
      .withdraw({ apiKeyId: 't', role: 'admin', organisationId: null, brokerId: null }, 'achievement', doomed);

    const second = await start(dir);
    const restarted = second.get(SearchIndexService);
    await until(() => (restarted.state === 'ready' ? true : undefined), 30_000);
    expect(restarted.dense('achievement', await query(second, '钠离子电池'), 1).hits[0].id).toBe(added);
    expect(restarted.vectorOf('achievement', doomed)).toBeUndefined();
    expect(restarted.vectorOf('achievement', kept)).toBeDefined();
    await second.close();
  });

  it('reaches the position of a write on demand (what generate-leads waits for), and says when it cannot', async () => {
    const reader = await start('');
    const index = reader.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    const id = await addAchievement('船舶压载水紫外消毒装置');
    const { at } = (await writer
      .get(Db)
      .one<{ at: string }>('SELECT changed_at::text AS at FROM achievements WHERE id = $1', [id]))!;
    expect(await index.reach('achievement', at)).toBe(true);
    expect(index.vectorOf('achievement', id)).toBeDefined();
    expect(await index.reach('achievement', '9999-01-01 00:00:00+00', 2)).toBe(false);
    await reader.close();
  });

  it('never moves past a write whose transaction commits after a later one (concurrent embedding jobs)', async () => {
    const reader = await start('');
    const index = reader.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    const slow = await addAchievement('垃圾焚烧飞灰重金属稳定化');
    const fast = await addAchievement('城市污泥低温干化');
    await index.sync('achievement');

    // The slow write is stamped first and commits last; the fast one commits in between, and a catch-up runs.
    const open = await writer.get(Db).pool.connect();
    try {
      await open.query('BEGIN');
      await open.query('UPDATE achievements SET readiness_level = 9 WHERE id = $1', [slow]);
      await writer.get(Db).pool.query('UPDATE achievements SET readiness_level = 7 WHERE id = $1', [fast]);
      await index.sync('achievement');
      // Held back while the slow transaction is open: neither the fast write nor its position is taken yet.
      expect(index.metaOf('achievement', fast)?.readiness).toBe(5);
      const { at } = (await writer
        .get(Db)
        .one<{ at: string }>('SELECT changed_at::text AS at FROM achievements WHERE id = $1', [fast]))!;
      expect(await index.reach('achievement', at, 100)).toBe(false);
      await open.query('COMMIT');
      expect(await index.reach('achievement', at)).toBe(true);
    } finally {
      open.release(true); // closed: a failed assertion must not leave the transaction open
    }
    expect(index.metaOf('achievement', slow)?.readiness).toBe(9);
    expect(index.metaOf('achievement', fast)?.readiness).toBe(7);
    await reader.close();
  });

  it('keeps the records it served, replaced by catch-up when they change and dropped when they are withdrawn', async () => {
    const reader = await start('');
    const index = reader.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    const id = await addAchievement('高效光伏组件清洗机器人');
    await index.sync('achievement');
    expect((await index.currentRecords('achievement', [id, '00000000-0000-0000-0000-000000000000'])).size).toBe(1);

    // Changed in the database by another process: once caught up, this copy serves the new record.
    const admin = { apiKeyId: 't', role: 'admin' as const, organisationId: null, brokerId: null };
    await writer.get(ProfilesService).update(admin, 'achievement', id, { readinessLevel: 8 });
    await index.sync('achievement');
    expect((await index.currentRecords('achievement', [id])).get(id)?.readinessLevel).toBe(8);

    await writer.get(ProfilesService).withdraw(admin, 'achievement', id);
    await index.sync('achievement');
    // No longer kept: read again from PostgreSQL, where it is withdrawn (and no longer a candidate anywhere).
    expect((await index.currentRecords('achievement', [id])).get(id)?.status).toBe('withdrawn');
    expect(index.metaOf('achievement', id)).toBeUndefined();
    await reader.close();
  });

  it('serves a change of confidentiality made through another copy at once, before it catches up', async () => {
    // Two copies of the service, each with its own index, pool and kept records, as two API processes have: the
    // reader keeps the demand it served; the writer marks its description and keywords confidential.
    const reader = await start('');
    const index = reader.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    const admin = { apiKeyId: 't', role: 'admin' as const, organisationId: null, brokerId: null };
    const enterprise = await writer
      .get(OrganisationsService)
      .create('system', { kind: 'enterprise', name: '保密测试企业', regionCode: '330100' });
    const demand = await writer.get(ProfilesService).create(admin, 'demand', {
      organisationId: enterprise.id,
      title: '寻求膜分离技术',
      description: '我们的印染废水含有特殊助剂配方',
      keywords: ['特殊助剂'],
      regionCode: '330100',
    });
    await index.sync('demand');
    expect((await index.currentRecords('demand', [demand.id])).get(demand.id)?.confidentialFields).toEqual([]);

    // The reader is not told (its catch-up timer and notices are too late by design): the very next read is current.
    await writer
      .get(ProfilesService)
      .update(admin, 'demand', demand.id, { confidentialFields: ['description', 'keywords'] });
    const served = (await index.currentRecords('demand', [demand.id])).get(demand.id);
    expect(served?.confidentialFields).toEqual(['description', 'keywords']);
    await reader.close();
  });

  it('converges with a write made by another process (a real worker) within 2 seconds of it', async () => {
    const reader = await start('');
    const index = reader.get(SearchIndexService);
    await until(() => (index.state === 'ready' ? true : undefined), 30_000);
    const worker: ChildProcess = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', INDEX_SNAPSHOT_DIR: '' }, stdio: 'ignore' },
    );
    try {
      const actor = { apiKeyId: 't', role: 'admin' as const, organisationId: null, brokerId: null };
      const created = await writer.get(ProfilesService).create(actor, 'achievement', {
        organisationId,
        title: '茶叶加工品质在线检测',
        abstract: '基于近红外光谱的茶叶品质在线检测技术。',
        readinessLevel: 6,
        regionCode: '330100',
      });
      // The worker process embeds it; from the moment the vector is stored, the reader must find it within 2 s.
      const repository = writer.get(ProfilesRepository);
      await until(
        async () =>
          (await repository.findById('achievement', created.id, writer.get(Db).pool))?.embedding.status === 'ready'
            ? true
            : undefined,
        60_000,
      );
      const storedAt = Date.now();
      await until(() => index.vectorOf('achievement', created.id), 2_000);
      expect(Date.now() - storedAt).toBeLessThan(2_000);
      expect(index.dense('achievement', await query(reader, '茶叶品质检测'), 1).hits[0].id).toBe(created.id);
    } finally {
      // Wait for it to be gone: a worker left running would take the jobs of the suites that follow.
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
      await reader.close();
    }
  });
});
