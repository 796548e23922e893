import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { AppConfig } from '@app/config';
import { freePort } from '../../../scripts/lib/services';
import { RedisUnavailableError, startEmbeddedRedisIfNeeded } from './embedded-redis';

/** The part of the configuration the embedded default reads. */
const configFor = (url: string, dir: string | null) =>
  ({ redis: { url, embedded: dir ? { dir } : null } }) as AppConfig;

describe('embedded Redis (a real redis-server)', () => {
  it('starts a local redis-server with its append-only file when REDIS_URL is unset and nothing answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const child = await startEmbeddedRedisIfNeeded(configFor(url, dir));
    expect(child).toBeDefined();
    try {
      const client = new Redis(url);
      expect(await client.ping()).toBe('PONG');
      await client.set('k', 'v');
      client.disconnect();
      expect(existsSync(join(dir, 'appendonlydir'))).toBe(true);
      // A second process finds it answering and starts nothing.
      expect(await startEmbeddedRedisIfNeeded(configFor(url, dir))).toBeUndefined();
    } finally {
      const exited = new Promise((r) => child!.once('exit', r));
      child!.kill('SIGTERM');
      await exited;
    }
  });

  it('starts nothing when REDIS_URL is set, and says what to install when redis-server is missing', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await startEmbeddedRedisIfNeeded(configFor(url, null))).toBeUndefined();
    const missing = 'redis-server-that-is-not-installed';
    await expect(startEmbeddedRedisIfNeeded(configFor(url, tmpdir()), missing)).rejects.toThrow(RedisUnavailableError);
    await expect(startEmbeddedRedisIfNeeded(configFor(url, tmpdir()), missing)).rejects.toThrow(
      /apt-get install redis-server/,
    );
  });
});
