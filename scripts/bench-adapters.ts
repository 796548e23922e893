/**
 * NestJS on Express against NestJS on Fastify, on this service's own routes, in one run.
 *
 * One database with a synthetic catalogue (as bench:match stores it: `--size` achievements and 200 demands with
 * their vectors); then, for each round, each adapter in turn (the order alternating between rounds, so that neither
 * always runs on a warmer or busier machine) runs the API's module (scripts/lib/adapter-server.ts: same controllers,
 * guards, interceptors, pipes, filters and request logging) and answers three cells with closed-loop clients:
 *   health   GET /health/live, 8 clients (the stack alone);
 *   matches  GET /v1/demands/:id/matches, 8 clients (the route the service lives on);
 *   search   GET /v1/search?q=..., 4 clients, every text new (query embedding included).
 * Prints requests per second and p50/p95 per cell and adapter (the median over rounds), and Fastify's ratio.
 * Needs PostgreSQL (DATABASE_URL names a server it may create a database on) and Redis (REDIS_URL).
 *
 *   npm run bench:adapters -- [--size 10000] [--requests 1000] [--rounds 3] [--json]
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import pino from 'pino';
import { resolveModel } from '@app/embedding';
import { dropDatabase, runMigrations } from '@app/persistence';
import { readCsl } from './lib/csl';
import { ROOT } from './lib/builds';
import { DEMANDS, each, latency, load, storeCatalogue, type Latency } from './lib/http-load';
import { freePort, stopChild } from './lib/services';
import { clusteredVectors } from './lib/synthetic';

const opts = new Command()
  .option('--size <n>', 'achievements in the catalogue', '10000')
  .option('--requests <n>', 'requests per cell', '1000')
  .option('--rounds <n>', 'rounds (each adapter once per round)', '3')
  .option('--json', 'print one JSON object: {adapter: {cell: {perSecond, p50, p95, p99}}}')
  .option('--csl <dir>', 'CSL dev split (texts)', join(__dirname, '../../shared/eval-data/csl-dev'))
  .parse()
  .opts<{ size: string; requests: string; rounds: string; json?: boolean; csl: string }>();

const ADAPTERS = ['express', 'fastify'] as const;
const CELLS = ['health', 'matches', 'search'] as const;
type Adapter = (typeof ADAPTERS)[number];
type Cell = Latency & { perSecond: number };
const log = (line: string) => (opts.json ? console.error(line) : console.log(line));

async function startServer(
  adapter: Adapter,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/lib/adapter-server.ts'],
    { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), BENCH_ADAPTER: adapter }, stdio: 'pipe' },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const joined = output.slice(-100) + chunk.toString();
      if (joined.includes(`listening ${port}`)) resolve();
      output = joined.slice(-4000);
    });
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`${adapter} server exited with ${code}:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server this script may use');
  const [size, requests, rounds] = [Number(opts.size), Number(opts.requests), Number(opts.rounds)];
  const papers = readCsl(opts.csl);
  const model = await resolveModel(join(ROOT, 'models'), 'bge-small-zh-v1.5');
  const name = `bench_adapters_${process.pid}`;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  const results: Record<Adapter, Record<(typeof CELLS)[number], Cell[]>> = {
    express: { health: [], matches: [], search: [] },
    fastify: { health: [], matches: [], search: [] },
  };
  try {
    await runMigrations(url.toString(), pino({ level: 'warn' }));
    log(`storing ${size} achievements and ${DEMANDS} demands`);
    const { key, demandIds } = await storeCatalogue(
      url.toString(),
      clusteredVectors(size + DEMANDS, 512),
      papers,
      model.id,
    );
    const env = {
      DATABASE_URL: url.toString(),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      INDEX_SYNC_MS: '3600000',
      INDEX_SNAPSHOT_DIR: '',
      RUN_WORKER: 'false',
      API_PROCESSES: '1',
    };
    const matchPaths = Array.from({ length: requests }, (_, i) => `/v1/demands/${demandIds[i % DEMANDS]}/matches`);
    let searched = 0;
    const searchPath = () =>
      `/v1/search?collection=achievements&q=${encodeURIComponent(`${papers[searched % papers.length].title} ${searched++}`)}`;
    for (let round = 0; round < rounds; round++) {
      for (const adapter of round % 2 === 0 ? ADAPTERS : [...ADAPTERS].reverse()) {
        const server = await startServer(adapter, env);
        try {
          await load(server.url, key, each(matchPaths.slice(0, DEMANDS)), 8); // every demand once: warm caches
          const cell = async (paths: string[], clients: number): Promise<Cell> => {
            const run = await load(server.url, key, each(paths), clients);
            return { perSecond: Math.round(paths.length / run.seconds), ...latency(run.latencies) };
          };
          results[adapter].health.push(
            await cell(
              matchPaths.map(() => '/health/live'),
              8,
            ),
          );
          results[adapter].matches.push(await cell(matchPaths, 8));
          results[adapter].search.push(await cell(Array.from({ length: requests / 2 }, searchPath), 4));
          log(
            `round ${round + 1} ${adapter}: ` +
              CELLS.map((c) => `${c} ${results[adapter][c].at(-1)!.perSecond}/s`).join(', '),
          );
        } finally {
          await stopChild(server.child);
        }
      }
    }
  } finally {
    await dropDatabase(admin, name);
    await admin.end();
  }

  // The median round of each cell, by throughput.
  const median = (cells: Cell[]) => [...cells].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(cells.length / 2)];
  const summary = Object.fromEntries(
    ADAPTERS.map((a) => [a, Object.fromEntries(CELLS.map((c) => [c, median(results[a][c])]))]),
  ) as Record<Adapter, Record<(typeof CELLS)[number], Cell>>;
  if (opts.json) return console.log(JSON.stringify(summary));
  console.log(`\n${size} achievements, ${requests} requests a cell, median of ${rounds} rounds`);
  console.log('cell       express req/s  p50 / p95 ms     fastify req/s  p50 / p95 ms     fastify/express req/s');
  for (const c of CELLS) {
    const [e, f] = [summary.express[c], summary.fastify[c]];
    const row = (x: Cell) => `${String(x.perSecond).padStart(13)}  ${`${x.p50} / ${x.p95}`.padEnd(15)}`;
    console.log(`${c.padEnd(9)}${row(e)}  ${row(f)}  ${(f.perSecond / e.perSecond).toFixed(2)}x`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
