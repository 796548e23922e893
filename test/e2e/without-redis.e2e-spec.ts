import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessModule, ApiKeysService } from '@app/access';
import { ConfigModule } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesModule } from '@app/profiles';
import { batteryDemand, emptyMarket, eventually } from '../fixtures';

// The single-machine default on a machine without Redis: REDIS_URL unset, so jobs, rate limits and index notices
// live in PostgreSQL; the API runs the worker too, as `npm start` does.
const root = join(__dirname, '../..');
const port = 43000 + (process.pid % 1000);
const url = `http://127.0.0.1:${port}`;

describe('one machine without Redis (e2e)', () => {
  let api: ChildProcess;
  let output = '';
  let setup: TestingModule;
  const keys: Record<'enterprise' | 'institution', string> = { enterprise: '', institution: '' };

  beforeAll(async () => {
    await emptyMarket();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_PROCESSES: '1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      INDEX_SNAPSHOT_DIR: mkdtempSync(join(tmpdir(), 'without-redis-')),
    };
    delete env.REDIS_URL;
    delete env.JOBS_BACKEND;
    api = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    api.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    api.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    // Keys and organisations straight through the services (no jobs run here: no processors, no relay).
    setup = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, AccessModule, ProfilesModule],
    }).compile();
    for (const [role, kind, regionCode] of [
      ['enterprise', 'enterprise', '330502'],
      ['institution', 'university', '330106'],
    ] as const) {
      const org = await setup
        .get(OrganisationsService)
        .create('system', { kind, name: `无 Redis ${role}`, regionCode });
      keys[role] = (await setup.get(ApiKeysService).create('system', { role, organisationId: org.id })).secret;
    }
    await eventually(() => Promise.resolve(output.includes('"msg":"api listening"') || undefined), 120_000);
  }, 150_000);

  afterAll(async () => {
    await setup?.close();
    if (api.exitCode === null) {
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
  });

  const call = async (path: string, key: string, body?: object) => {
    const res = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
  };

  it('says once that jobs run on PostgreSQL, and is ready without asking any Redis', async () => {
    expect(output).toContain('jobs on PostgreSQL');
    // It listens while its index builds, answering "not ready" until then.
    const body = await eventually(async () => {
      const ready = await fetch(`${url}/health/ready`);
      return ready.status === 200 ? ((await ready.json()) as { details: Record<string, unknown> }) : undefined;
    }, 60_000);
    expect(Object.keys(body.details).sort()).toEqual(['index', 'model', 'postgres']);
  }, 90_000);

  it('embeds a new demand and serves its matches within seconds', async () => {
    const achievement = await call('/v1/achievements', keys.institution, {
      title: '退役动力电池正极材料湿法回收工艺',
      abstract: '选择性浸出与萃取分离回收镍钴锰锂，回收率98%，已完成中试。',
      readinessLevel: 6,
      regionCode: '330106',
      industryCode: '42',
    });
    expect(achievement.status).toBe(201);
    const demand = await call('/v1/demands', keys.enterprise, batteryDemand);
    expect(demand.status).toBe(201);
    const started = Date.now();
    const matches = await eventually(async () => {
      const r = await call(`/v1/demands/${demand.body.id as string}/matches`, keys.enterprise);
      return r.status === 200 && r.body.length > 0 ? r.body : undefined;
    }, 30_000);
    expect((matches[0] as { id: string }).id).toBe(achievement.body.id);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
