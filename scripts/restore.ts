/**
 * Brings a folder written by `npm run backup` back: into an empty database (DATABASE_URL, or the embedded
 * PostgreSQL when it is unset) and an empty or absent INDEX_SNAPSHOT_DIR, then applies the migrations this code has
 * that the backup had not, so an older backup comes up to date.
 *
 *   npm run restore -- --from /var/backups/techtransfer/2026-12-09
 *
 * Before touching anything it refuses, with one line and exit status 1: a file whose checksum is not the manifest's,
 * a backup whose schema is newer than this code's latest migration, a database that has tables, and an index
 * folder that has files.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfigOrExit, type AppConfig } from '@app/config';
import { resolveModel } from '@app/embedding';
import { migrationNames, runMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@app/persistence';
import { writeSnapshot } from '@app/vector-index';
import {
  DATABASE_DUMP,
  databaseName,
  filesUnder,
  findPgTool,
  INDEX_FOLDER,
  MANIFEST,
  MANIFEST_FORMAT,
  Refusal,
  runPgTool,
  serviceDatabase,
  sha256File,
  step,
  type BackupManifest,
  type PgTool,
} from './lib/backup-folder';

const opts = new Command('restore')
  .description('restore a backup folder into an empty database and index folder, then migrate it to this code')
  .requiredOption('--from <folder>', 'folder written by npm run backup')
  .parse()
  .opts<{ from: string }>();

const log = pino({ level: 'warn' });

async function main(): Promise<void> {
  const started = Date.now();
  const from = resolve(opts.from);
  const manifest = await readManifest(from);
  await step('verifying checksums', () => verifyFiles(from, manifest));
  checkSchema(manifest.schemaVersion);
  const config = loadConfigOrExit();
  await warnOfAnotherModel(config, manifest);
  const indexDir = config.index.snapshotDir;
  if (manifest.index && indexDir && (await readdir(indexDir).catch(() => [])).length > 0)
    throw new Refusal(
      `the index snapshot folder ${indexDir} is not empty: move it away, or set INDEX_SNAPSHOT_DIR to an empty folder`,
    );
  // A dump of a newer pg_dump has an archive version an older pg_restore cannot read.
  const pgRestore = await findPgTool(
    'pg_restore',
    parseInt(manifest.tools.pg_dump, 10),
    `the backup was written by pg_dump ${manifest.tools.pg_dump}`,
  );

  const { url, embedded } = await targetDatabase(config);
  try {
    await refuseUnlessEmpty(url);
    await step(`restoring database "${databaseName(url)}"`, () => pgRestoreFrom(pgRestore, url, from));
    if (manifest.index && indexDir) {
      await step(`restoring the search index snapshots into ${indexDir}`, async () => {
        await mkdir(indexDir, { recursive: true });
        // Written as the service writes its own (a folder each, linked), so it loads them and catches up from there.
        for (const kind of Object.keys(manifest.index!.kinds))
          await writeSnapshot(indexDir, kind, (folder) =>
            cp(join(from, INDEX_FOLDER, kind), folder, { recursive: true }),
          );
      });
    } else if (manifest.index) {
      console.log(
        'INDEX_SNAPSHOT_DIR is empty (snapshots off): the index builds from PostgreSQL when the service starts',
      );
    }
    const applied = await step('applying newer migrations', () => runMigrations(url, log));
    console.log(
      `restored ${from} (schema ${manifest.schemaVersion}${applied.length ? `, then ${applied.join(', ')}` : ''}) ` +
        `into "${databaseName(url)}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await embedded?.stop();
  }
}

async function readManifest(from: string): Promise<BackupManifest> {
  const text = await readFile(join(from, MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) throw new Refusal(`${from} has no ${MANIFEST}: not a backup folder`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new Refusal(`${join(from, MANIFEST)} is not JSON: the backup is damaged`);
  }
  if (manifest.format !== MANIFEST_FORMAT)
    throw new Refusal(`${MANIFEST} is of format ${manifest.format}; this code reads format ${MANIFEST_FORMAT}`);
  if (!manifest.files?.[DATABASE_DUMP]) throw new Refusal(`${MANIFEST} lists no ${DATABASE_DUMP}`);
  return manifest;
}

/** Every file listed has its checksum, and no file is there that the manifest does not list. */
async function verifyFiles(from: string, manifest: BackupManifest): Promise<void> {
  for (const [path, expected] of Object.entries(manifest.files)) {
    if (!existsSync(join(from, path))) throw new Refusal(`${path} is missing from the backup`);
    if ((await sha256File(join(from, path))) !== expected.sha256)
      throw new Refusal(`checksum mismatch: ${path} is not the file the backup wrote`);
  }
  const extra = filesUnder(from).find((path) => path !== MANIFEST && !manifest.files[path]);
  if (extra) throw new Refusal(`${extra} is in the backup folder but not in its ${MANIFEST}`);
}

function checkSchema(schemaVersion: string): void {
  const known = migrationNames();
  const latest = known[known.length - 1];
  if (schemaVersion > latest)
    throw new Refusal(
      `the backup's schema version ${schemaVersion} is newer than this code's latest migration ${latest}: ` +
        `restore it with the release that has ${schemaVersion}`,
    );
  if (!known.includes(schemaVersion))
    throw new Refusal(`the backup's schema version ${schemaVersion} is not a migration of this code`);
}

async function warnOfAnotherModel(config: AppConfig, manifest: BackupManifest): Promise<void> {
  const model = await resolveModel(config.embedding.modelsDir, config.embedding.model);
  if (model.id !== manifest.model.id)
    console.warn(
      `warning: the backup's vectors are of ${manifest.model.id} (sha256 ${manifest.model.sha256}); this service ` +
        `embeds with ${model.id}: its index ignores them until the records are embedded again`,
    );
}

/** DATABASE_URL; or the embedded server, started here (a fresh cluster when its data folder is absent) if it is not running. */
async function targetDatabase(config: AppConfig): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  const running = await serviceDatabase(config);
  if (running) return { url: running.url };
  const { dir, port } = config.database.embedded;
  const embedded = await startEmbeddedPostgres(dir, port, log);
  return { url: embedded.url, embedded };
}

async function refuseUnlessEmpty(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%'`,
    );
    const name = databaseName(url);
    if (rows[0].n > 0)
      throw new Refusal(
        `database "${name}" is not empty (${rows[0].n} tables, views or sequences): restore into a new one, e.g. ` +
          `createdb "${name}_restored" and set DATABASE_URL to it, or DROP DATABASE "${name}" and create it again`,
      );
  } finally {
    await client.end();
  }
}

/**
 * One transaction: a restore that fails leaves the database as empty as it was. Objects are owned by the restoring
 * role and grants are left out: the roles of the server backed up need not exist on this one.
 */
function pgRestoreFrom(pgRestore: PgTool, url: string, from: string): Promise<void> {
  return runPgTool(pgRestore, url, [
    '--single-transaction',
    '--exit-on-error',
    '--no-owner',
    '--no-privileges',
    join(from, DATABASE_DUMP),
  ]);
}

main().catch((e: Error) => {
  console.error(e instanceof Refusal ? `restore refused: ${e.message}` : `restore failed: ${e.message}`);
  process.exit(1);
});
