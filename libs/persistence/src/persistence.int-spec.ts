import { readdirSync } from 'node:fs';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { Db } from './db';
import { dropDatabase } from './drop-database';
import { MIGRATIONS_DIR, runMigrations } from './migrations';

const baseUrl = process.env.DATABASE_URL!;
const silent = pino({ level: 'silent' });

describe('persistence (real PostgreSQL)', () => {
  describe('migrations', () => {
    const name = `techtransfer_test_migrations_${process.pid}`;
    const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
    const admin = new Client({ connectionString: baseUrl });

    beforeAll(async () => {
      await admin.connect();
      await dropDatabase(admin, name);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    afterAll(async () => {
      admin.on('error', () => undefined);
      await dropDatabase(admin, name);
      await admin.end();
    });

    it('applies each migration once when two processes start at the same time', async () => {
      const [a, b] = await Promise.all([runMigrations(url, silent), runMigrations(url, silent)]);
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
      expect([...a, ...b].sort()).toEqual(files.map((f) => f.replace(/\.sql$/, '')).sort());
      expect(await runMigrations(url, silent)).toEqual([]);
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      await client.end();
      expect(Number(rows[0].n)).toBe(files.length);
    });
  });

  describe('Db.transaction', () => {
    const db = new Db(new Pool({ connectionString: baseUrl, max: 2 }));
    afterAll(() => db.pool.end());

    it('rolls back everything when the work throws, and releases the client', async () => {
      await db.query('CREATE TABLE IF NOT EXISTS tx_probe (id int PRIMARY KEY)');
      await db.query('DELETE FROM tx_probe');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES (1)');
          await tx.query('INSERT INTO tx_probe VALUES (1)'); // duplicate key
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await db.query('SELECT * FROM tx_probe')).toEqual([]);
      // Both pool clients are free again: a leaked client would make this wait forever.
      await Promise.all([db.query('SELECT 1'), db.query('SELECT 1'), db.query('SELECT 1')]);
      await db.query('DROP TABLE tx_probe');
    });

    it('commits when the work succeeds', async () => {
      const value = await db.transaction(async (tx) => (await tx.query<{ v: number }>('SELECT 7 AS v')).rows[0].v);
      expect(value).toBe(7);
    });

    it('fails the work, not the process, when its connection is cut while the work waits, and drops that client', async () => {
      await expect(
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // As a database restart would: the server ends this connection while the work awaits something else.
          await db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
          await new Promise((r) => setTimeout(r, 300));
          await tx.query('SELECT 1');
        }),
      ).rejects.toThrow();
      // The broken client did not go back to the pool: both clients answer.
      await Promise.all([db.query('SELECT 1'), db.query('SELECT 1'), db.query('SELECT 1')]);
    });
  });
});
