import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';
import { REPO_ROOT } from '@app/config';

export const MIGRATIONS_DIR = join(REPO_ROOT, 'migrations');
/** Where node-pg-migrate records the migrations applied (one row each, `name` without `.sql`). */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** The migrations of a folder by name, in the order they apply (their UTC timestamp prefixes sort as text). */
export function migrationNames(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
}

/**
 * Applies the forward-only SQL migrations in migrations/ that the database has not seen, in file-name order (UTC
 * timestamp prefix), each in its own transaction, under PostgreSQL's advisory lock so that two processes starting
 * at once never apply one twice. Returns the names applied. `dir` is another folder of migrations, for tests that
 * bring a database to an older release's schema or add a migration of their own.
 */
export async function runMigrations(
  databaseUrl: string,
  log: Logger,
  waitSeconds = 120,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  // node-pg-migrate takes the lock with pg_try_advisory_lock and gives up at once when another process holds it
  // (an API and a worker starting together): wait for that process to finish, then find nothing left to apply.
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      return await applyPending(databaseUrl, log, dir);
    } catch (e) {
      if (!(e instanceof Error && /another migration is already running/i.test(e.message)) || Date.now() > deadline)
        throw e;
      log.info('another process is migrating the database; waiting');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function applyPending(databaseUrl: string, log: Logger, dir: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
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
