import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { emptyTestQueues } from '../../../test/test-database';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
/** The command `npm run cli --` runs, started as a user starts it: a process of its own, on a real file. */
const CLI = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts'];

async function cli(args: string[], tty: boolean): Promise<{ stdout: string; code: number }> {
  const options = { cwd: ROOT, env: { ...process.env, CI: '' }, timeout: 60_000 };
  const [file, argv] = tty
    ? // script(1) gives the command a pseudo-terminal, as an operator's shell would (the progress bar draws then).
      ['script', ['-qec', [process.execPath, ...CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null']]
    : [process.execPath, [...CLI, ...args]];
  try {
    const { stdout } = await run(file, argv, options);
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number; killed?: boolean };
    if (err.killed) throw new Error(`the command did not return within 60 s: ${args.join(' ')}`);
    return { stdout: err.stdout ?? '', code: err.code ?? -1 };
  }
}

describe('npm run cli -- import (a child process on a real file)', () => {
  let db: Client;
  let organisationId: string;
  const dir = mkdtempSync(join(tmpdir(), 'cli-import-'));
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return path;
  };
  const row = (i: number) =>
    JSON.stringify({
      title: `命令行导入的成果 ${i}`,
      abstract: `第 ${i} 项成果的摘要`,
      readinessLevel: 5,
      regionCode: '330100',
    });
  const stored = async () =>
    Number(
      (await db.query('SELECT count(*) AS n FROM achievements WHERE organisation_id = $1', [organisationId])).rows[0].n,
    );

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const created = await cli(
      ['org', 'create', '--kind', 'university', '--name', '命令行测试大学', '--region', '330100'],
      false,
    );
    organisationId = (JSON.parse(created.stdout) as { id: string }).id;
  }, 90_000);

  afterAll(async () => {
    await db.query('DELETE FROM achievements WHERE organisation_id = $1', [organisationId]);
    await db.end();
    await emptyTestQueues();
  });

  it.each([false, true])(
    'imports a file of 10 rows and returns (terminal: %s)',
    async (tty) => {
      const before = await stored();
      const path = file(
        `ten-${tty}.jsonl`,
        Array.from({ length: 10 }, (_, i) => row(i)),
      );
      const result = await cli(
        ['import', '--kind', 'achievement', '--file', path, '--organisation', organisationId],
        tty,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('accepted 10 (0 updated by externalId), rejected 0');
      if (tty) expect(result.stdout).toContain('100%');
      expect((await stored()) - before).toBe(10);
    },
    90_000,
  );

  it('prints the rejected lines, and where a broken CSV stopped, with a non-zero exit', async () => {
    const path = file('broken.csv', [
      'title,abstract,readinessLevel,regionCode',
      '好的成果,摘要,5,330100',
      '坏的成熟度,摘要,0x10,330100',
      '"未闭合,摘要,5,330100',
    ]);
    const result = await cli(
      ['import', '--kind', 'achievement', '--file', path, '--organisation', organisationId],
      false,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('accepted 1 (0 updated by externalId), rejected 1');
    expect(result.stdout).toContain('rejected lines: 3');
    expect(result.stdout).toContain('stopped at line 4: a quote opened and never closed');
  }, 90_000);
});
