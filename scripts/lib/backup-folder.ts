/**
 * What `npm run backup` writes and `npm run restore` reads: the folder's layout, its manifest, and the PostgreSQL
 * client programs both run. Shared so that the two commands cannot disagree about a file name or a checksum.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { AppConfig } from '@app/config';
import { embeddedDatabaseUrl } from '@app/persistence';
import type { SnapshotState } from '@app/vector-index';

export const MANIFEST = 'manifest.json';
/** pg_dump's custom format: compressed, and pg_restore may restore it into any empty database. */
export const DATABASE_DUMP = 'database.dump';
/** One folder per kind of profile, holding that kind's index snapshot files as the service wrote them. */
export const INDEX_FOLDER = 'index';
export const MANIFEST_FORMAT = 1;

export interface BackupManifest {
  format: number;
  createdAt: string;
  /** The latest migration applied to the database, read in the snapshot pg_dump dumped. */
  schemaVersion: string;
  code: { version: string; commit: string | null; uncommittedChanges: boolean | null };
  model: { name: string; id: string; file: string; sha256: string };
  database: { name: string; serverVersion: string };
  /** Per kind, how far its snapshot had caught up (the index catches up from there, or rebuilds without it). */
  index: { kinds: Record<string, SnapshotState & { snapshotFolder: string }> } | null;
  /** The service keeps no uploaded files: imports are read into PostgreSQL as they arrive. */
  uploads: null;
  tools: Record<string, string>;
  /** Every file of the folder but this manifest, by path relative to the folder. */
  files: Record<string, { sha256: string; bytes: number }>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Files under `dir`, as paths relative to it, in a stable order. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? filesUnder(dir, path) : [path];
    });
}

/** A refusal: the command prints its message as one line and exits 1. */
export class Refusal extends Error {}

const run = promisify(execFile);

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/**
 * The newest `name` (pg_dump, pg_restore) on PATH or in Debian's /usr/lib/postgresql/<major>/bin. pg_dump refuses a
 * server newer than itself (the embedded server is PostgreSQL 18, Debian 12's client 15), so the caller says which
 * major it needs and gets a refusal naming what was found otherwise.
 */
export async function findPgTool(name: string, minMajor: number, why: string): Promise<PgTool> {
  const folders = [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  const found: PgTool[] = [];
  for (const path of new Set(folders.map((f) => join(f, name)))) {
    if (!existsSync(path)) continue;
    const { stdout } = await run(path, ['--version']).catch(() => ({ stdout: '' }));
    const match = /\(PostgreSQL\)\s+(\d+)(\.\S+)?/.exec(stdout);
    if (match) found.push({ path, major: Number(match[1]), version: `${match[1]}${match[2] ?? ''}` });
  }
  found.sort((a, b) => b.major - a.major);
  if (found[0] && found[0].major >= minMajor) return found[0];
  throw new Refusal(
    `${name} ${minMajor} or newer is needed (${why}) but ${
      found[0] ? `the newest found is ${found[0].version} (${found[0].path})` : 'none was found'
    }: install postgresql-client-${minMajor}`,
  );
}

/** Runs pg_dump or pg_restore against `url`; rejects with its error output when it fails. */
export function runPgTool(tool: PgTool, url: string, args: string[]): Promise<void> {
  // The password goes in the environment, not on a command line every local user can read.
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((done, fail) => {
    const child = spawn(tool.path, [...args, `--dbname=${target.toString()}`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${tool.path} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** The database's name, from its URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The database the service uses: DATABASE_URL, or the embedded server's when it is unset (the address
 * startEmbeddedPostgres gives it). Undefined for the embedded one when it does not answer.
 */
export async function serviceDatabase(config: AppConfig): Promise<{ url: string; embedded: boolean } | undefined> {
  if (config.database.url) return { url: config.database.url, embedded: false };
  const url = embeddedDatabaseUrl(config.database.embedded.port);
  return (await answers(url)) ? { url, embedded: true } : undefined;
}

/** Runs `work`, printing what it is doing, a line every few seconds while it lasts, and how long it took. */
export async function step<T>(label: string, work: () => Promise<T>, progress?: () => string): Promise<T> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${label}…`);
  const ticker = setInterval(
    () => console.log(`  ${label}: ${seconds()} s${progress ? `, ${progress()}` : ''}`),
    5_000,
  );
  try {
    const value = await work();
    console.log(`  done in ${seconds()} s`);
    return value;
  } finally {
    clearInterval(ticker);
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
