/**
 * Throwaway services for scripts that must own (and may kill) their PostgreSQL and Redis: a spare port, and a
 * redis-server with its append-only file on, as BullMQ asks of production, so a stop loses no queued job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { redisAnswers } from '@app/jobs';
import { dropDatabase } from '@app/persistence';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export class RedisServer {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', ''],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await redisAnswers(this.port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('redis-server did not start (is it installed? apt-get install redis-server)');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Runs one of the service's apps from source as its own process, as in production. Its output goes to `logFile`
 * when given, and is dropped otherwise.
 */
export function spawnApp(name: 'api' | 'worker', env: Record<string, string>, logFile?: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${name}/src/main.ts`],
    {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, ...env },
      stdio: logFile ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    },
  );
  if (logFile) {
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
  }
  return child;
}

/** Signals a child (SIGTERM: a graceful stop that writes the index snapshot) and waits until it has exited. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Runs `work` on a database of its own (`<prefix>_<pid>`) on the server of DATABASE_URL, dropped afterwards. */
export async function withOwnDatabase<T>(prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server this script may use');
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const name = `${prefix}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    // A pool's end() resolves before its sessions are gone; the drop would end them mid-goodbye, and pg throws
    // that on a client nobody listens to any more (seen at the end of bench:credit). Let them go first.
    for (let i = 0; i < 50; i++) {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await dropDatabase(admin, name);
    await admin.end();
  }
}
