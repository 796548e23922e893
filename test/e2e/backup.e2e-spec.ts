import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { ApiKeysService } from '@app/access';
import { dropDatabase, MIGRATIONS_DIR, migrationNames, runMigrations } from '@app/persistence';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { batteryDemand, eventually, makeAdminKey, makeOrganisation, makeParty, type Party } from '../fixtures';
import { emptyTestQueues } from '../test-database';

const ROOT = join(__dirname, '../..');
const silent = pino({ level: 'silent' });
const catalogue = [
  {
    title: '废旧锂离子电池正极材料湿法回收技术',
    abstract: '本成果提出一种退役动力电池正极材料的湿法冶金回收工艺，锂、钴、镍回收率均超过95%，已完成千吨级中试。',
    keywords: ['动力电池', '回收', '湿法冶金'],
    industryCode: '42',
    readinessLevel: 6,
    askingPrice: 800000,
    cooperationModes: ['transfer', 'licence'],
    regionCode: '330106',
  },
  {
    title: '光伏组件自动清洗机器人',
    abstract: '适用于大型地面光伏电站的自主导航清洗机器人，无水清洁组件表面积灰，发电量提升约8%。',
    industryCode: '35',
    readinessLevel: 7,
    regionCode: '330106',
  },
  {
    title: '一种治疗2型糖尿病的中药组合物',
    abstract: '由黄芪、葛根等组成的中药复方，可改善胰岛素抵抗，已获发明专利授权。',
    industryCode: '27',
    readinessLevel: 4,
    regionCode: '330106',
  },
  {
    title: '基於深度學習的印刷電路板缺陷視覺檢測系統',
    abstract: '利用卷積神經網絡自動識別電路板焊點虛焊、短路與線路缺陷，檢出率達99.5%。',
    industryCode: '39',
    readinessLevel: 8,
    regionCode: '330106',
  },
];
const demands = {
  battery: batteryDemand,
  pcb: {
    title: '电路板产线需要自动检测焊点和线路缺陷',
    description: '我们的SMT产线依靠人工目检，漏检率高，希望引入机器视觉自动检测方案。',
    industryCode: '39',
    regionCode: '330502',
  },
};

/** Runs `npm run backup` or `npm run restore` as an operator would, against `databaseUrl`. */
function command(script: 'backup' | 'restore', args: string[], databaseUrl: string, indexDir: string) {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `scripts/${script}.ts`, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl, INDEX_SNAPSHOT_DIR: indexDir, LOG_LEVEL: 'warn' },
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.trim(), ms: Date.now() - started };
}

/** Every table of the public schema: its row count and a hash of its rows; and every sequence's position. */
async function contents(url: string): Promise<Record<string, string>> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const out: Record<string, string> = {};
    const tables = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    for (const { name } of tables.rows) {
      const { rows } = await db.query<{ n: number; hash: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM "${name}" t`,
      );
      out[name] = `${rows[0].n} rows, ${rows[0].hash}`;
    }
    const sequences = await db.query<{ name: string }>(
      "SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    );
    for (const { name } of sequences.rows) {
      const { rows } = await db.query<{ v: string }>(`SELECT last_value::text || is_called::text AS v FROM "${name}"`);
      out[`sequence ${name}`] = rows[0].v;
    }
    return out;
  } finally {
    await db.end();
  }
}

/** Starts the API on another database and index folder than the suite's (the config is read when it starts). */
async function startApiOn(databaseUrl: string, indexDir: string): Promise<NestExpressApplication> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, INDEX_SNAPSHOT_DIR: process.env.INDEX_SNAPSHOT_DIR };
  Object.assign(process.env, { DATABASE_URL: databaseUrl, INDEX_SNAPSHOT_DIR: indexDir });
  try {
    const app = await startApi();
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined), 60_000);
    return app;
  } finally {
    Object.assign(process.env, saved);
  }
}

describe('backup and restore (e2e: real model, index snapshots, pg_dump and pg_restore)', () => {
  const work = mkdtempSync(join(tmpdir(), 'backup-e2e-'));
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  const made: string[] = [];
  /** A new empty scratch database on the test server. */
  const scratch = async (label: string) => {
    const name = `techtransfer_test_backup_${label}_${process.pid}`;
    await dropDatabase(admin, name);
    await admin.query(`CREATE DATABASE ${name}`);
    made.push(name);
    return Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${name}` }).toString();
  };
  const dir = (name: string) => join(work, name);
  let source: string;
  let enterprise: Party;
  const demandIds: Record<string, string> = {};
  let servedBefore: Record<string, { id: string; total: number }[]>;
  let backup: ReturnType<typeof command>;

  const served = async (app: NestExpressApplication) => {
    const out: Record<string, { id: string; total: number }[]> = {};
    for (const [name, id] of Object.entries(demandIds)) {
      const r = await request(app.getHttpServer())
        .get(`/v1/demands/${id}/matches`)
        .set('X-Api-Key', enterprise.key)
        .expect(200);
      out[name] = r.body.map((m: { id: string; total: number }) => ({ id: m.id, total: m.total }));
    }
    return out;
  };

  beforeAll(async () => {
    await admin.connect();
    source = await scratch('source');
    await runMigrations(source, silent);
    await emptyTestQueues();
    const app = await startApiOn(source, dir('index-source'));
    const http = () => request(app.getHttpServer());
    try {
      const adminKey = await makeAdminKey(app);
      const institution = await makeParty(app, 'university', 'institution', '330106');
      enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
      const office = await makeOrganisation(app, 'transfer_organisation', '330500');
      const broker = await http()
        .post('/v1/brokers')
        .set('X-Api-Key', adminKey)
        .send({
          organisationId: office.organisationId,
          name: '陈经纪',
          expertise: '新能源电池回收与循环利用、电子制造检测领域技术转移',
          industryCodes: ['42', '39'],
          regionCodes: ['330000'],
        })
        .expect(201);
      await app
        .get(ApiKeysService)
        .create('system', { role: 'broker', organisationId: office.organisationId, brokerId: broker.body.id });
      for (const a of catalogue)
        await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(a).expect(201);
      for (const [name, d] of Object.entries(demands))
        demandIds[name] = (
          await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(d).expect(201)
        ).body.id;
      await eventually(async () => {
        for (const path of ['achievements', 'demands', 'brokers']) {
          const r = await http().get(`/v1/${path}`).query({ embeddingStatus: 'pending' }).set('X-Api-Key', adminKey);
          if (r.body.items.length > 0) return undefined;
        }
        return true;
      }, 90_000);
      // Leads and their offers in the backup too: the battery demand's best match offered to the broker.
      await eventually(async () => {
        const r = await http().get('/v1/leads').query({ demandId: demandIds.battery }).set('X-Api-Key', adminKey);
        return r.body.items.some((l: { state: string }) => l.state === 'offered') ? true : undefined;
      }, 60_000);
      await app.get(SearchIndexService).syncAll();
      servedBefore = await served(app);
    } finally {
      // Closing writes the index snapshot, as a service stopping does.
      await app.close();
    }
    await emptyTestQueues();
    backup = command('backup', ['--out', dir('backup')], source, dir('index-source'));
  }, 240_000);

  afterAll(async () => {
    for (const name of made) await dropDatabase(admin, name);
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes the dump, the index snapshots and a manifest of their checksums, schema, code and model', () => {
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir('backup'), 'manifest.json'), 'utf8'));
    const names = migrationNames();
    expect(manifest.schemaVersion).toBe(names[names.length - 1]);
    expect(manifest.code.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(manifest.model.sha256).toBe(
      JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8'))[manifest.model.name].sha256,
    );
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['database.dump', 'index/achievement/header.json', 'index/demand/vectors.bin']),
    );
    expect(manifest.index.kinds.achievement.position.changedAt).toEqual(expect.any(String));
    console.log(`backup: ${backup.ms} ms (${backup.stdout.trim().split('\n').pop()})`);
  });

  it('restores into an empty database every row of every table, and the API serves the same matches', async () => {
    const target = await scratch('restored');
    const restore = command('restore', ['--from', dir('backup')], target, dir('index-restored'));
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    console.log(`restore: ${restore.ms} ms (${restore.stdout.trim().split('\n').pop()})`);
    const [before, after] = [await contents(source), await contents(target)];
    expect(Object.keys(before)).toContain('leads');
    expect(before.lead_offers).not.toMatch(/^0 rows/);
    expect(after).toEqual(before);
    // The restored index snapshots are loaded, as the service's own would be.
    expect(readdirSync(dir('index-restored'))).toEqual(expect.arrayContaining(['achievement', 'demand']));

    await emptyTestQueues();
    const app = await startApiOn(target, dir('index-restored'));
    try {
      const servedAfter = await served(app);
      expect(servedBefore.battery.length).toBeGreaterThan(1);
      expect(servedAfter).toEqual(servedBefore);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('refuses a backup with a changed file, naming the file', async () => {
    cpSync(dir('backup'), dir('tampered'), { recursive: true });
    const dump = join(dir('tampered'), 'database.dump');
    const bytes = readFileSync(dump);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(dump, bytes);
    const restore = command('restore', ['--from', dir('tampered')], await scratch('tampered'), dir('index-tampered'));
    expect(restore.status).toBe(1);
    expect(restore.stderr).toBe('restore refused: checksum mismatch: database.dump is not the file the backup wrote');
    expect(existsSync(dir('index-tampered'))).toBe(false);
  }, 60_000);

  it("refuses a backup whose schema is newer than this code's latest migration, naming both", async () => {
    cpSync(dir('backup'), dir('future'), { recursive: true });
    const manifestFile = join(dir('future'), 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, schemaVersion: '29990101000000_from_the_future' }));
    const restore = command('restore', ['--from', dir('future')], await scratch('future'), dir('index-future'));
    const names = migrationNames();
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/^restore refused: .*29990101000000_from_the_future.*$/);
    expect(restore.stderr).toContain(names[names.length - 1]);
  }, 60_000);

  it('refuses a database that has tables, naming it and saying how to make an empty one', () => {
    const restore = command('restore', ['--from', dir('backup')], source, dir('index-other'));
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/^restore refused: database "techtransfer_test_backup_source_\d+" is not empty/);
    expect(restore.stderr).toContain('createdb');
  }, 60_000);

  it("brings a backup of the previous release's schema up to this code's", async () => {
    const older = mkdtempSync(join(tmpdir(), 'migrations-'));
    for (const name of migrationNames().filter((n) => n < '20261207000000'))
      cpSync(join(MIGRATIONS_DIR, `${name}.sql`), join(older, `${name}.sql`));
    const old = await scratch('old');
    await runMigrations(old, silent, 120, older);
    rmSync(older, { recursive: true });
    expect(command('backup', ['--out', dir('old-backup')], old, '').status).toBe(0);
    const target = await scratch('old_restored');
    const restore = command('restore', ['--from', dir('old-backup')], target, '');
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain('then 20261207000000_credit_records');
    const db = new Client({ connectionString: target });
    await db.connect();
    const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
    await db.end();
    expect(rows.map((r) => r.name)).toEqual(migrationNames());
  }, 90_000);
});
