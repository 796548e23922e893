// Global setup runs outside Jest's module mapper: resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import pino from 'pino';
import { runMigrations } from '@app/persistence';
import { DEFAULT_TEST_REDIS_URL, emptyTestQueues, testDatabaseUrl } from './test-database';

/** Before the integration and end-to-end suites: point every test at the test database and bring its schema up. */
export default async function globalSetup(): Promise<void> {
  const url = testDatabaseUrl();
  process.env.DATABASE_URL = url;
  process.env.REDIS_URL ??= DEFAULT_TEST_REDIS_URL;
  process.env.LOG_LEVEL ??= 'warn';
  // Webhook host names resolve through a test's own DNS server on loopback; elsewhere they fail at once (nothing
  // answers on this port), so no test sends a name to the machine's resolver, which may sit off the machine.
  process.env.WEBHOOK_DNS_SERVERS ??= '127.0.0.1:1';
  // Every run starts from an empty catalogue; search indexes are rebuilt from it, not loaded from a snapshot.
  process.env.INDEX_SNAPSHOT_DIR = '';
  await runMigrations(url, pino({ level: 'warn' }));
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(
    'TRUNCATE outbox, idempotency_keys, api_keys, achievements, demands, experts, brokers, organisations CASCADE',
  );
  await db.end();
  await emptyTestQueues();
}
