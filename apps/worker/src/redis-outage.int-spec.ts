import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, RedisServer, spawnApp, stopChild } from '../../../scripts/lib/services';

const until = async (check: () => boolean, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a Redis outage in the logs of a real worker process', () => {
  it('is one warning when Redis goes away and one line when it is back, never a stack trace per retry', async () => {
    const redis = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'outage-redis-')));
    await redis.start();
    const logFile = join(mkdtempSync(join(tmpdir(), 'outage-log-')), 'worker.log');
    const worker = spawnApp('worker', { REDIS_URL: redis.url, INDEX_SNAPSHOT_DIR: '', LOG_LEVEL: 'info' }, logFile);
    let output = '';
    worker.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await until(() => output.includes('worker started'), 60_000, 'worker start');
      await redis.stop();
      await new Promise((r) => setTimeout(r, 4_000)); // ioredis retries several times meanwhile, on every connection
      await redis.start();
      await until(() => output.includes('redis reachable again'), 20_000, 'recovery line');
      const lines = output.split('\n');
      expect(lines.filter((l) => l.includes('redis unreachable'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('redis reachable again'))).toHaveLength(1);
      expect(lines.filter((l) => /^\s+at /.test(l) || /^Error: connect/.test(l))).toEqual([]);
    } finally {
      await stopChild(worker);
      await redis.stop();
    }
  }, 120_000);
});
