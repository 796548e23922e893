import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { dropDatabase } from './drop-database';
import { MIGRATIONS_DIR, migrationNames, runMigrations } from './migrations';

const baseUrl = process.env.DATABASE_URL!;
const silent = pino({ level: 'silent' });
/** The first migration of this release: the previous release's schema is every migration before it. */
const RELEASE = '20261207000000';

/** A folder of migrations: copies of the named ones of migrations/, and files of the test's own. */
function migrationsFolder(names: string[], own: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const name of names) copyFileSync(join(MIGRATIONS_DIR, `${name}.sql`), join(dir, `${name}.sql`));
  for (const [name, sql] of Object.entries(own)) writeFileSync(join(dir, `${name}.sql`), sql);
  return dir;
}

/** A scratch database for one test, dropped after it. */
function scratchDatabase(label: string) {
  const name = `techtransfer_test_${label}_${process.pid}`;
  const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
  const admin = new Client({ connectionString: baseUrl });
  const db = new Client({ connectionString: url });
  beforeAll(async () => {
    await admin.connect();
    await dropDatabase(admin, name);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await db.end().catch(() => undefined);
    admin.on('error', () => undefined);
    await dropDatabase(admin, name);
    await admin.end();
  });
  return { url, db };
}

describe('migrations (real PostgreSQL)', () => {
  describe('from the previous release, with its data', () => {
    const { url, db } = scratchDatabase('upgrade');
    const older = migrationNames().filter((n) => n < RELEASE);
    const ids: Record<string, string> = {};
    const insert = async (sql: string, params: unknown[]) =>
      (await db.query<{ id: string }>(`${sql} RETURNING id`, params)).rows[0].id;

    beforeAll(async () => {
      const dir = migrationsFolder(older);
      try {
        await runMigrations(url, silent, 120, dir);
      } finally {
        rmSync(dir, { recursive: true });
      }
      await db.connect();
      // Rows as the previous release wrote them: no key expiry, scores and challenge events by API key only.
      const org = (kind: string, name: string) =>
        insert('INSERT INTO organisations (kind, name, region_code) VALUES ($1, $2, $3)', [kind, name, '330106']);
      ids.enterprise = await org('enterprise', '升级测试企业');
      ids.university = await org('university', '升级测试大学');
      ids.office = await org('transfer_organisation', '升级测试技术转移中心');
      const key = (role: string, organisationId: string | null, hash: string, brokerId: string | null = null) =>
        insert(
          `INSERT INTO api_keys (secret_hash, prefix, role, organisation_id, broker_id)
           VALUES (sha256($1::bytea), 'up', $2, $3, $4)`,
          [hash, role, organisationId, brokerId],
        );
      ids.adminKey = await key('admin', null, 'admin');
      ids.enterpriseKey = await key('enterprise', ids.enterprise, 'enterprise');
      ids.achievement = await insert(
        `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, region_code, content_hash)
         VALUES ($1, '湿法回收工艺', '退役动力电池正极材料回收', 6, '330106', 'a1')`,
        [ids.university],
      );
      ids.demand = await insert(
        `INSERT INTO demands (organisation_id, title, description, region_code, content_hash)
         VALUES ($1, '电池回收需求', '每年两千吨退役电池', '330502', 'd1')`,
        [ids.enterprise],
      );
      ids.broker = await insert(
        `INSERT INTO brokers (organisation_id, name, expertise, content_hash) VALUES ($1, '李经纪', '新能源', 'b1')`,
        [ids.office],
      );
      ids.brokerKey = await key('broker', ids.office, 'broker', ids.broker);
      ids.lead = await insert(
        `INSERT INTO leads (demand_id, partner_kind, partner_id, origin, score, match, state, broker_id)
         VALUES ($1, 'achievement', $2, 'matching', 0.8, '{}', 'offered', $3)`,
        [ids.demand, ids.achievement, ids.broker],
      );
      ids.challenge = await insert(
        `INSERT INTO challenges (demand_id, organisation_id, title, statement, terms, prize_amount, prize_for, deadline,
           criteria, region_code, state)
         VALUES ($1, $2, '揭榜：电池回收', '征集方案', '仅用于评审', 100000, '中试方案', now() + interval '30 days',
           '[{"name": "可行性", "weight": 1}]', '330502', 'open')`,
        [ids.demand, ids.enterprise],
      );
      await db.query(
        `INSERT INTO challenge_events (challenge_id, from_state, to_state, actor)
         VALUES ($1, NULL, 'draft', $2), ($1, 'draft', 'open', $3), ($1, 'open', 'open', 'system')`,
        [ids.challenge, ids.enterpriseKey, ids.adminKey],
      );
      ids.proposal = await insert(
        `INSERT INTO proposals (challenge_id, organisation_id, summary, approach, team, timeline)
         VALUES ($1, $2, '湿法回收', '中试线', '五人', '六个月')`,
        [ids.challenge, ids.university],
      );
      await db.query(
        `INSERT INTO proposal_scores (proposal_id, api_key_id, criterion, score) VALUES ($1, $2, '可行性', 8)`,
        [ids.proposal, ids.enterpriseKey],
      );
      await runMigrations(url, silent);
    });

    it('applies every newer migration, and keeps every row of the previous release', async () => {
      const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(migrationNames());
      const counts = await db.query<Record<string, number>>(
        `SELECT (SELECT count(*) FROM organisations)::int AS organisations,
                (SELECT count(*) FROM api_keys)::int AS api_keys,
                (SELECT count(*) FROM achievements WHERE id = $1)::int AS achievement,
                (SELECT count(*) FROM demands WHERE id = $2)::int AS demand,
                (SELECT count(*) FROM leads WHERE id = $3 AND state = 'offered')::int AS lead,
                (SELECT count(*) FROM challenge_events)::int AS challenge_events,
                (SELECT count(*) FROM proposal_scores)::int AS proposal_scores`,
        [ids.achievement, ids.demand, ids.lead],
      );
      expect(counts.rows[0]).toEqual({
        organisations: 3,
        api_keys: 3,
        achievement: 1,
        demand: 1,
        lead: 1,
        challenge_events: 3,
        proposal_scores: 1,
      });
    });

    it('gives the older keys a year before they expire, and no last use', async () => {
      const { rows } = await db.query<{ days: number; last_used_at: Date | null }>(
        `SELECT round(extract(epoch FROM expires_at - now()) / 86400)::int AS days, last_used_at FROM api_keys`,
      );
      expect(rows).toEqual(Array(3).fill({ days: 365, last_used_at: null }));
    });

    it('names who moved each challenge and whose organisation judged, from the keys that did', async () => {
      const events = await db.query<{ actor: string; actor_kind: string; actor_organisation_id: string | null }>(
        'SELECT actor, actor_kind, actor_organisation_id FROM challenge_events ORDER BY id',
      );
      expect(events.rows).toEqual([
        { actor: ids.enterpriseKey, actor_kind: 'organisation', actor_organisation_id: ids.enterprise },
        { actor: ids.adminKey, actor_kind: 'operator', actor_organisation_id: null },
        { actor: 'system', actor_kind: 'system', actor_organisation_id: null },
      ]);
      const scores = await db.query('SELECT judge_organisation_id, score FROM proposal_scores');
      expect(scores.rows).toEqual([{ judge_organisation_id: ids.enterprise, score: 8 }]);
    });

    it('brings the credit rule in force', async () => {
      const { rows } = await db.query('SELECT id, retired_at FROM credit_rules');
      expect(rows).toEqual([{ id: 'credit-v1', retired_at: null }]);
    });
  });

  describe('a migration that fails', () => {
    const { url, db } = scratchDatabase('failing_migration');
    const all = migrationNames();
    const good = { '29991230000000_good_probe': 'CREATE TABLE good_probe (id int);' };
    // Changes the schema and the data before it fails: each must be undone with it.
    const broken = {
      '29991231000000_broken_probe': `-- Up Migration
        ALTER TABLE organisations ADD COLUMN broken_probe int;
        CREATE TABLE broken_probe (id int);
        INSERT INTO broken_probe VALUES (1);
        INSERT INTO no_such_table VALUES (1);`,
    };
    const schema = () => {
      const dump = spawnSync('pg_dump', ['--schema-only', `--dbname=${url}`], { encoding: 'utf8' });
      if (dump.status !== 0) throw new Error(dump.stderr);
      // PostgreSQL 15.14 and later wrap a plain dump in \restrict with a random key.
      return dump.stdout.replace(/^\\(un)?restrict .*$/gm, '');
    };
    const applied = async () => (await db.query('SELECT id, name, run_on FROM schema_migrations ORDER BY id')).rows;

    it('is undone whole, and leaves the schema and the applied migrations as the one before it left them', async () => {
      const before = migrationsFolder(all, good);
      const withBroken = migrationsFolder(all, { ...good, ...broken });
      try {
        await runMigrations(url, silent, 120, before);
        await db.connect();
        await db.query(`INSERT INTO organisations (kind, name, region_code) VALUES ('enterprise', '探针', '330106')`);
        const [schemaBefore, appliedBefore] = [schema(), await applied()];
        expect(appliedBefore.map((r) => r.name)).toContain('29991230000000_good_probe');

        await expect(runMigrations(url, silent, 120, withBroken)).rejects.toThrow(/no_such_table/);

        expect(schema()).toBe(schemaBefore);
        expect(await applied()).toEqual(appliedBefore);
        expect((await db.query('SELECT name FROM organisations')).rows).toEqual([{ name: '探针' }]);
        // And the lock is free again: the next run finds only the broken migration to apply, and fails on it alone.
        await expect(runMigrations(url, silent, 1, withBroken)).rejects.toThrow(/no_such_table/);
      } finally {
        rmSync(before, { recursive: true });
        rmSync(withBroken, { recursive: true });
      }
    });
  });
});
