import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './fixtures';

const root = join(__dirname, '..');

/** API_PROCESSES=2 as `npm start` runs it: a primary and two API processes sharing one port, on the test database. */
export interface ApiProcesses {
  primary: ChildProcess;
  /** Everything the processes have logged so far. */
  output(): string;
  /** SIGTERM to the primary, which stops both processes; resolves when it exited. */
  stop(): Promise<void>;
}

export async function startApiProcesses(port: number, env: NodeJS.ProcessEnv = {}): Promise<ApiProcesses> {
  let output = '';
  const primary = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        API_PROCESSES: '2',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        RUN_WORKER: 'false',
        INDEX_SNAPSHOT_DIR: mkdtempSync(join(tmpdir(), 'api-processes-')),
        RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '100000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  primary.stdout.on('data', (c: Buffer) => (output += c.toString()));
  primary.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await eventually(() => Promise.resolve(output.includes('"msg":"API processes ready"') || undefined), 120_000);
  return {
    primary,
    output: () => output,
    stop: async () => {
      if (primary.exitCode !== null) return;
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGTERM');
      await exited;
    },
  };
}
