/**
 * Writes a backup of the service into one new folder: the database (pg_dump, custom format), the search index
 * snapshots as they are on disk, and a manifest.json with the sha256 of every file, the schema version, the code's
 * version, the model's checksum and the tool versions. `npm run restore` brings it back.
 *
 *   npm run backup -- --out /var/backups/techtransfer/2026-12-09
 *
 * It backs up DATABASE_URL, or the embedded PostgreSQL when DATABASE_URL is unset (which must then be running: the
 * service started it). Redis is not in it: its queues hold only work handed on from the outbox in PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { Client } from 'pg';
import { loadConfigOrExit, REPO_ROOT } from '@app/config';
import { resolveModel } from '@app/embedding';
import { MIGRATIONS_TABLE } from '@app/persistence';
import { currentSnapshot, KINDS, snapshotState } from '@app/vector-index';
import {
  DATABASE_DUMP,
  databaseName,
  filesUnder,
  findPgTool,
  INDEX_FOLDER,
  MANIFEST,
  MANIFEST_FORMAT,
  megabytes,
  Refusal,
  runPgTool,
  serviceDatabase,
  sha256File,
  step,
  type BackupManifest,
} from './lib/backup-folder';

const opts = new Command('backup')
  .description('write a consistent backup of the database and the search index snapshots into a new folder')
  .requiredOption('--out <folder>', 'folder to write (absent or empty)')
  .parse()
  .opts<{ out: string }>();

async function main(): Promise<void> {
  const started = Date.now();
  const out = resolve(opts.out);
  if ((await readdir(out).catch(() => [])).length > 0) throw new Refusal(`${out} is not empty: give a new folder`);
  const config = loadConfigOrExit();
  const database = await serviceDatabase(config);
  if (!database)
    throw new Refusal(
      `DATABASE_URL is unset and the embedded PostgreSQL (port ${config.database.embedded.port}, data in ` +
        `${config.database.embedded.dir}) is not running: start the service (npm start), or set DATABASE_URL`,
    );
  const model = await resolveModel(config.embedding.modelsDir, config.embedding.model);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const serverVersion = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
      .v;
    const pgDump = await findPgTool('pg_dump', parseInt(serverVersion, 10), `the server is ${serverVersion}`);
    await mkdir(out, { recursive: true });

    // The index first: a snapshot older than the database catches up from its position when the service starts,
    // but one newer than the dump would hold records the restored database never had.
    const index = config.index.snapshotDir
      ? await step('copying the search index snapshots', () => copyIndex(config.index.snapshotDir, out))
      : null;

    // One snapshot for the schema version and the dump: what the manifest says is what the dump holds.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id;
    const schemaVersion = await latestMigration(client);
    const dumpFile = join(out, DATABASE_DUMP);
    await step(
      `dumping database "${databaseName(database.url)}" (${database.embedded ? 'embedded' : 'DATABASE_URL'})`,
      () => runPgTool(pgDump, database.url, ['--format=custom', `--snapshot=${snapshot}`, `--file=${dumpFile}`]),
      () => `${megabytes(sizeOf(dumpFile))} written`,
    );
    await client.query('COMMIT');

    const files: BackupManifest['files'] = {};
    await step('computing checksums', async () => {
      for (const path of filesUnder(out)) {
        files[path] = { sha256: await sha256File(join(out, path)), bytes: (await stat(join(out, path))).size };
      }
    });
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt: new Date().toISOString(),
      schemaVersion,
      code: await codeVersion(),
      model: { name: model.name, id: model.id, file: model.file, sha256: model.sha256 },
      database: { name: databaseName(database.url), serverVersion },
      index,
      uploads: null,
      tools: { pg_dump: pgDump.version, postgresql: serverVersion, node: process.versions.node },
      files,
    };
    await writeFile(join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const bytes = Object.values(files).reduce((sum, f) => sum + f.bytes, 0);
    console.log(
      `backup written to ${out}: ${Object.keys(files).length} files, ${megabytes(bytes)}, schema ${schemaVersion}, ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await client.end();
  }
}

async function latestMigration(client: Client): Promise<string> {
  const exists = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1', [
    MIGRATIONS_TABLE,
  ]);
  const rows = exists.rowCount
    ? (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id DESC LIMIT 1`)).rows
    : [];
  if (rows.length === 0) throw new Refusal(`the database has no migrations applied: not a database of this service`);
  return rows[0].name;
}

/**
 * Copies each kind's current snapshot folder. The service switches `<dir>/<kind>` to a new folder when it writes
 * one and deletes the folder before last, so a copy overtaken by two snapshots fails; it is tried again.
 */
async function copyIndex(dir: string, out: string): Promise<BackupManifest['index']> {
  const kinds: NonNullable<BackupManifest['index']>['kinds'] = {};
  for (const kind of KINDS) {
    for (let attempt = 1; ; attempt++) {
      const folder = await currentSnapshot(dir, kind);
      if (!folder) break;
      const target = join(out, INDEX_FOLDER, kind);
      try {
        await cp(folder, target, { recursive: true, errorOnExist: true });
        const state = await snapshotState(target);
        if (!state) throw new Error(`snapshot ${folder} is incomplete`);
        kinds[kind] = { ...state, snapshotFolder: folder };
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        await rm(target, { recursive: true, force: true });
      }
    }
  }
  if (Object.keys(kinds).length === 0) {
    console.log(`  no snapshots in ${dir}: a restored service builds its index from PostgreSQL`);
    return null;
  }
  for (const [kind, k] of Object.entries(kinds))
    console.log(`  ${kind}: caught up to ${k.position ? `${k.position.changedAt} (${k.position.id})` : 'nothing'}`);
  return { kinds };
}

function sizeOf(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

async function codeVersion(): Promise<BackupManifest['code']> {
  const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const git = promisify(execFile);
  // A deployment from a tarball has no git: the package version is then all there is.
  const commit = await git('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT }).then(
    (r) => r.stdout.trim(),
    () => null,
  );
  const status = await git('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT }).then(
    (r) => r.stdout.trim().length > 0,
    () => null,
  );
  return { version, commit, uncommittedChanges: commit ? status : null };
}

main().catch((e: Error) => {
  console.error(e instanceof Refusal ? `backup refused: ${e.message}` : `backup failed: ${e.message}`);
  process.exit(1);
});
