import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';
import { REPO_ROOT } from '@app/config';

export const MIGRATIONS_DIR = join(REPO_ROOT, 'migrations');

/**
 * Applies the forward-only SQL migrations in migrations/ that the database has not seen, in file-name order (UTC
 * timestamp prefix), each in its own transaction, under PostgreSQL's advisory lock so that two processes starting
 * at once never apply one twice. Returns the names applied.
 */
export async function runMigrations(databaseUrl: string, log: Logger, waitSeconds = 120): Promise<string[]> {
  // node-pg-migrate takes the lock with pg_try_advisory_lock and gives up at once when another process holds it
  // (an API and a worker starting together): wait for that process to finish, then find nothing left to apply.
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      return await applyPending(databaseUrl, log);
    } catch (e) {
      if (!(e instanceof Error && /another migration is already running/i.test(e.message)) || Date.now() > deadline)
        throw e;
      log.info('another process is migrating the database; waiting');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function applyPending(databaseUrl: string, log: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    checkOrder: true,
    singleTransaction: false,
    logger: {
      debug: (m: string) => log.debug({ migrations: m }, 'migrations'),
      info: (m: string) => log.debug({ migrations: m }, 'migrations'),
      warn: (m: string) => log.warn({ migrations: m }, 'migrations'),
      // node-pg-migrate reads 13- or 17-digit prefixes as times; ours (YYYYMMDDHHmmss) it orders by number, which is
      // the same order, after saying so at error level.
      error: (m: string) =>
        m.startsWith("Can't determine timestamp")
          ? log.debug({ migrations: m }, 'migrations')
          : log.error({ migrations: m }, 'migrations'),
    },
  });
  if (applied.length > 0) log.info({ applied: applied.map((m) => m.name) }, 'migrations applied');
  return applied.map((m) => m.name);
}
