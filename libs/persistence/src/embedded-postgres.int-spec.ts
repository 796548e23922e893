import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../scripts/lib/services';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

/** Starts the embedded server in a process of its own (the package is an ES module Jest cannot load), asks it for
 * SELECT 1, stops it, and prints what it got. */
const SCRIPT = `
const pino = require('pino');
const { Client } = require('pg');
const { startEmbeddedPostgres } = require('./libs/persistence/src/embedded-postgres.launcher');
(async () => {
  const pg = await startEmbeddedPostgres(process.argv[1], Number(process.argv[2]), pino({ level: 'silent' }));
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  const { rows } = await client.query('SELECT 1 AS one');
  await client.end();
  await pg.stop();
  console.log(JSON.stringify(rows[0]));
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

describe('embedded PostgreSQL (a real server from the npm package)', () => {
  it('starts with its data in a folder only its owner may enter, as a checkout in /root is', async () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    mkdirSync(join(home, 'checkout/.data'), { recursive: true });
    chmodSync(home, 0o700);
    const dir = join(home, 'checkout/.data/postgres');
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        '-e',
        SCRIPT,
        dir,
        String(await freePort()),
      ],
      { cwd: ROOT, timeout: 120_000 },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ one: 1 });
  }, 130_000);
});
