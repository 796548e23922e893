// Global setup runs outside Jest's module mapper: resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import pino from 'pino';
import { runMigrations } from '@app/persistence';
import { testDatabaseUrl } from './test-database';

/** Before the integration and end-to-end suites: point every test at the test database and bring its schema up. */
export default async function globalSetup(): Promise<void> {
  const url = testDatabaseUrl();
  process.env.DATABASE_URL = url;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.LOG_LEVEL ??= 'warn';
  await runMigrations(url, pino({ level: 'warn' }));
}
