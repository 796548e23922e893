import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';
import { exitIfShutdownHangs, loadConfigOrExit, type AppConfig } from '@app/config';

export class RedisUnavailableError extends Error {}

/**
 * Redis for `npm start` on a fresh machine, as PostgreSQL is: when REDIS_URL is unset and nothing answers on the
 * default address, a local redis-server is started there (append-only file on, as BullMQ asks; data under
 * EMBEDDED_REDIS_DIR) and stopped when this process exits. Without `server` (redis-server) on the machine this throws
 * a RedisUnavailableError that says what to install or set. Returns the server it started, if any.
 */
export async function startEmbeddedRedisIfNeeded(
  config: AppConfig,
  server = 'redis-server',
): Promise<ChildProcess | undefined> {
  const url = new URL(config.redis.url);
  const port = Number(url.port || 6379);
  if (!config.redis.embedded || (await redisAnswers(port, url.hostname))) return undefined;
  if (spawnSync(server, ['--version'], { stdio: 'ignore' }).error) {
    throw new RedisUnavailableError(
      `Redis does not answer on ${url.host} and redis-server is not installed: install it ` +
        '(apt-get install redis-server) or set REDIS_URL to a running Redis.',
    );
  }
  mkdirSync(config.redis.embedded.dir, { recursive: true });
  const child = spawn(
    server,
    ['--port', String(port), '--bind', url.hostname, '--dir', config.redis.embedded.dir, '--appendonly', 'yes'],
    { stdio: 'ignore' },
  );
  process.once('exit', () => child.kill('SIGTERM'));
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(port, url.hostname)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server did not start on ${url.host} (is the port taken by something else?)`);
}

/** Whether a Redis answers PING on this address (an error asking for a password counts: something is there). */
export function redisAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
    s.connect(port, host, () => s.write('PING\r\n'));
    s.once(
      'data',
      (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH'))),
    );
  });
}

/**
 * What the API and the worker do before anything starts: the configuration (or a message naming each bad variable),
 * Redis when it is the embedded default (or the one line saying what to install), and a bound on a stuck shutdown.
 */
export async function prepareProcess(): Promise<AppConfig> {
  const config = loadConfigOrExit();
  await startEmbeddedRedisIfNeeded(config).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
  exitIfShutdownHangs();
  return config;
}
