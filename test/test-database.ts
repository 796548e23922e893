import { Redis } from 'ioredis';

/**
 * The database and Redis the integration and end-to-end tests use. Refuses any database whose name does not say it
 * is for tests, so a mistaken DATABASE_URL can never let a test truncate real data.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://techtransfer:techtransfer@127.0.0.1:5432/techtransfer_test';
/** A Redis database of its own (15), so that tests never touch the queues of a server running on the same Redis. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379/15';

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
  return url;
}

/** Empties the test Redis database: every queue and every job in it. */
export async function emptyTestQueues(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? DEFAULT_TEST_REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
}
