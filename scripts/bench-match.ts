/**
 * Matching at scale through the HTTP API, the current code next to a baseline git ref in the same run.
 *
 * For each size (synthetic clustered 512-d vectors for `size` achievements and 200 demands, stored in PostgreSQL
 * like real ones) and each build (this checkout, and `--baseline <ref>` built in a temporary worktree), on a
 * database of its own: API start with the index built from PostgreSQL, restart from the snapshot it wrote, resident
 * memory of the API processes against the raw vector bytes, recall@10 of the matches served (against the same build
 * scanning exactly), and latency p50/p95/p99 of
 *   (1) matches of a stored demand, 8 clients (and the matches served per second);
 *   (2) free-text search, query embedding included, 4 clients (every query text new to the process);
 *   (3) matches, 8 clients, while 4 clients search at the same time;
 *   (4) the demand assistant on a new draft (a paper's title and abstract), 4 clients: one query embedding, the
 *       nearest labelled records, keywords, possible duplicates and a preview of three matches;
 * and two floors: GET /health/live through the same stack and clients, and one query embedding alone (the model on
 * this process's thread, no cache). Every build runs as its `npm start` does, with RUN_WORKER=false (the worker is
 * another process in production). Needs PostgreSQL (DATABASE_URL names a server it may create databases on) and
 * Redis (REDIS_URL).
 *
 *   npm run bench:match -- [--baseline 684692d] [--sizes 10000,100000] [--requests 400] [--json]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import { Embedder, normaliseText, resolveModel } from '@app/embedding';
import { dropDatabase } from '@app/persistence';
import { readCsl, type CslPaper } from './lib/csl';
import { baselineBuild, currentBuild, envList, ROOT, type Build } from './lib/builds';
import { residentBytes, treeOf } from './lib/proc';
import { freePort, stopChild } from './lib/services';
import { DEMANDS, each, latency, load, storeCatalogue, type Latency } from './lib/http-load';
import { clusteredVectors } from './lib/synthetic';

const program = new Command()
  .option('--baseline <ref>', 'git ref to build in a temporary worktree and measure in the same run')
  .option('--sizes <list>', 'catalogue sizes', '10000,100000')
  .option('--requests <n>', 'requests per latency cell', '400')
  .option('--match-clients <n>', 'concurrent clients asking for matches', '8')
  .option('--search-clients <n>', 'concurrent clients searching', '4')
  .option('--env <list>', 'extra environment for the current build, e.g. EMBEDDING_QUERY_WORKERS=2,API_PROCESSES=1')
  .option('--profile <dir>', "write CPU profiles of the current build's API processes to this folder")
  .option('--json', 'print one JSON object: {size: {build: cells}}')
  .option('--csl <dir>', 'CSL dev split (texts)', join(__dirname, '../../shared/eval-data/csl-dev'))
  .parse();
const opts = program.opts<{
  baseline?: string;
  sizes: string;
  requests: string;
  matchClients: string;
  searchClients: string;
  env?: string;
  profile?: string;
  json?: boolean;
  csl: string;
}>();

const DIMENSION = 512;
const log = (line: string) => (opts.json ? console.error(line) : console.log(line));

interface Cells {
  recall10: number;
  matchesPerSecond: number;
  matches: Latency;
  firstVisits: Latency;
  search: Latency;
  matchesDuringSearch: Latency;
  /** Null for a build without POST /v1/demands/assist. */
  assist: Latency | null;
  health: Latency;
  embedding: Latency;
  startSeconds: number;
  restartFromSnapshotSeconds: number;
  /** Resident memory of all the API's processes, and of the largest one. */
  rssBytes: number;
  largestProcessRssBytes: number;
  vectorBytes: number;
}

/** Resident memory of the API's processes (all of them, and the largest one). */
function apiMemory(pid: number): { total: number; largest: number } {
  const bytes = treeOf(pid).map((p) => residentBytes(p.pid));
  return { total: bytes.reduce((a, b) => a + b, 0), largest: Math.max(0, ...bytes) };
}

/** Starts a build's API and waits until it is ready; returns the process, its URL and how long that took. */
async function startApi(build: Build, env: Record<string, string>) {
  const port = await freePort();
  const started = Date.now();
  let output = '';
  // Of several API processes, the first is ready first; the run starts when all are.
  let processesReady = Number(env.API_PROCESSES ?? 1) <= 1;
  const profile = opts.profile && build.name === 'current' ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
  const child = build.spawn(
    'api',
    { ...env, PORT: String(port), HOST: '127.0.0.1' },
    (chunk) => {
      const joined = output.slice(-200) + chunk.toString();
      if (joined.includes('"msg":"API processes ready"')) processesReady = true;
      output = (output + chunk.toString()).slice(-4000);
    },
    profile,
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready && processesReady) return { child, url, seconds: (Date.now() - started) / 1000 };
    if (child.exitCode !== null) throw new Error(`${build.name} API exited with ${child.exitCode}:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A database of its own for a build and size, its schema made by the build's own migrations (an API start). */
async function prepareDatabase(build: Build, name: string, env: Record<string, string>): Promise<string> {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await dropDatabase(admin, name);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const api = await startApi(build, { ...env, DATABASE_URL: url.toString() });
  await stopChild(api.child);
  return url.toString();
}

async function dropScratchDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await dropDatabase(admin, name);
  await admin.end();
}

/** Top-10 achievement ids of each demand's matches. */
async function topTen(url: string, key: string, demandIds: string[]): Promise<Map<string, string[]>> {
  const tops = new Map<string, string[]>();
  await load(url, key, each(demandIds.map((id) => `/v1/demands/${id}/matches?limit=10`)), 4, (path, body) => {
    const parsed = JSON.parse(body) as { id: string }[] | { items: { id: string }[] };
    tops.set(
      path.split('/')[3],
      (Array.isArray(parsed) ? parsed : parsed.items).map((m) => m.id),
    );
  });
  return tops;
}

async function measureBuild(
  build: Build,
  env: Record<string, string>,
  vectors: Float32Array[],
  papers: CslPaper[],
  searchTexts: () => string,
  drafts: () => { title: string; description: string },
  modelId: string,
  embedding: Latency,
): Promise<Cells> {
  const size = vectors.length - DEMANDS;
  const requests = Number(opts.requests);
  const [matchClients, searchClients] = [Number(opts.matchClients), Number(opts.searchClients)];
  const dbName = `bench_match_${build.name.replace(/\W/g, '_')}_${process.pid}`.toLowerCase();
  const databaseUrl = await prepareDatabase(build, dbName, env);
  const snapshotDir = mkdtempSync(join(tmpdir(), 'bench-match-'));
  try {
    const { key, demandIds } = await storeCatalogue(databaseUrl, vectors, papers, modelId);
    const runEnv = { ...env, DATABASE_URL: databaseUrl, INDEX_SNAPSHOT_DIR: snapshotDir };
    const matchPaths = Array.from({ length: requests }, (_, i) => `/v1/demands/${demandIds[i % DEMANDS]}/matches`);
    const searchPath = () => `/v1/search?collection=achievements&q=${encodeURIComponent(searchTexts())}`;
    const searches = (n: number) => Array.from({ length: n }, searchPath);

    const api = await startApi(build, runEnv);
    // Each demand once first: its candidates are read and segmented for the first time in this process (cold
    // caches, as after a restart); then the measured requests, two per demand.
    const firstVisits = await load(api.url, key, each(matchPaths.slice(0, DEMANDS)), matchClients);
    const matches = await load(api.url, key, each(matchPaths), matchClients);
    const search = await load(api.url, key, each(searches(requests / 2)), searchClients);
    let searching = true;
    const background = load(api.url, key, () => (searching ? searchPath() : undefined), searchClients);
    const during = await load(api.url, key, each(matchPaths), matchClients);
    searching = false;
    await background;
    const assistRequest = () => ({ path: '/v1/demands/assist', body: drafts() });
    const hasAssist = (await fetch(`${api.url}/v1/demands/assist`, { method: 'POST' })).status !== 404;
    const assist = hasAssist
      ? await load(api.url, key, each(Array.from({ length: requests / 2 }, assistRequest)), searchClients)
      : null;
    const health = await load(api.url, key, each(matchPaths.map(() => '/health/live')), matchClients);
    const rss = apiMemory(api.child.pid!);
    const served = await topTen(api.url, key, demandIds);
    await stopChild(api.child);

    const restart = await startApi(build, runEnv);
    await stopChild(restart.child);

    // Exact scans from the same snapshot (the graph is loaded and not walked): no second build.
    const exact = await startApi(build, { ...runEnv, INDEX_EXACT_SCAN_BELOW: String(size * 10) });
    const truth = await topTen(exact.url, key, demandIds);
    await stopChild(exact.child);
    let recall = 0;
    for (const [demand, ids] of truth) {
      const got = new Set(served.get(demand));
      recall += ids.length === 0 ? 1 : ids.filter((id) => got.has(id)).length / ids.length;
    }

    return {
      recall10: Math.round((recall / truth.size) * 10_000) / 10_000,
      matchesPerSecond: Math.round(requests / matches.seconds),
      matches: latency(matches.latencies),
      firstVisits: latency(firstVisits.latencies),
      search: latency(search.latencies),
      matchesDuringSearch: latency(during.latencies),
      assist: assist && latency(assist.latencies),
      health: latency(health.latencies),
      embedding,
      startSeconds: Math.round(api.seconds * 10) / 10,
      restartFromSnapshotSeconds: Math.round(restart.seconds * 10) / 10,
      rssBytes: rss.total,
      largestProcessRssBytes: rss.largest,
      vectorBytes: size * DIMENSION * 4,
    };
  } finally {
    rmSync(snapshotDir, { recursive: true, force: true });
    await dropScratchDatabase(dbName);
  }
}

function printTable(size: number, results: Record<string, Cells>, builds: Build[]): void {
  const names = builds.map((b) => `${b.name} (${b.commit})`);
  const col = (s: string) => s.padStart(24);
  const row = (label: string, value: (c: Cells) => string) =>
    log(`${label.padEnd(44)}${builds.map((b) => col(value(results[b.name]))).join('')}`);
  const l = (pick: (c: Cells) => Latency | null) => (c: Cells) => {
    const v = pick(c);
    if (!v) return '—';
    return `${v.p50.toFixed(1)} / ${v.p95.toFixed(1)} / ${v.p99.toFixed(1)}`;
  };
  log(`\n${size} achievements (512-d, 100 clusters), ${DEMANDS} demands`);
  log(`${''.padEnd(44)}${names.map(col).join('')}`);
  row('API start, index built from PostgreSQL, s', (c) => c.startSeconds.toFixed(1));
  row('restart from snapshot, s', (c) => c.restartFromSnapshotSeconds.toFixed(1));
  row('API resident memory, all processes, MB', (c) => (c.rssBytes / 2 ** 20).toFixed(0));
  row('  the largest API process, MB', (c) => (c.largestProcessRssBytes / 2 ** 20).toFixed(0));
  row('  raw vector bytes, MB', (c) => (c.vectorBytes / 2 ** 20).toFixed(0));
  row('recall@10 of matches against exact scan', (c) => c.recall10.toFixed(4));
  row(`matches per second, ${opts.matchClients} clients`, (c) => String(c.matchesPerSecond));
  log(`latency p50 / p95 / p99, ms`);
  row(
    `(1) matches, ${opts.matchClients} clients`,
    l((c) => c.matches),
  );
  row(
    `    first visit of each demand`,
    l((c) => c.firstVisits),
  );
  row(
    `(2) search, ${opts.searchClients} clients`,
    l((c) => c.search),
  );
  row(
    `(3) matches while ${opts.searchClients} clients search`,
    l((c) => c.matchesDuringSearch),
  );
  row(
    `(4) demand assistant, ${opts.searchClients} clients`,
    l((c) => c.assist),
  );
  row(
    `floor: GET /health/live, ${opts.matchClients} clients`,
    l((c) => c.health),
  );
  row(
    'floor: one query embedding alone',
    l((c) => c.embedding),
  );
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server this script may use');
  const papers = readCsl(opts.csl);
  const builds = [currentBuild(), ...(opts.baseline ? [baselineBuild(opts.baseline)] : [])];
  // Logging as in production (info, one line per request), to a pipe this script reads.
  const baseEnv: Record<string, string> = {
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '1000000',
    INDEX_SYNC_MS: '3600000',
    RUN_WORKER: 'false',
  };
  const extra = envList(opts.env);
  const model = await resolveModel(join(ROOT, 'models'), 'bge-small-zh-v1.5');
  const embedder = await Embedder.load(model, { batchSize: 1, threads: 0 });
  const all: Record<string, Record<string, Cells>> = {};
  let searched = 0;
  // Every search text new to the API process, so that no query vector comes from its cache.
  const searchTexts = () => `${papers[searched++ % papers.length].title} ${Math.floor(searched / papers.length)}`;
  let drafted = 0;
  const drafts = () => {
    const paper = papers[(papers.length - 1 - drafted++) % papers.length];
    return { title: `${paper.title.slice(0, 60)} ${drafted}`, description: paper.abstract };
  };
  try {
    for (const size of opts.sizes.split(',').map(Number)) {
      const vectors = clusteredVectors(size + DEMANDS, DIMENSION);
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const text = model.queryInstruction + normaliseText(searchTexts());
        const started = performance.now();
        await embedder.embed([text]);
        times.push(performance.now() - started);
      }
      const embedding = latency(times);
      all[size] = {};
      for (const build of builds) {
        log(`${size}: measuring ${build.name} (${build.commit})`);
        const env =
          build.name === 'current' ? { API_PROCESSES: String(availableParallelism()), ...baseEnv, ...extra } : baseEnv;
        all[size][build.name] = await measureBuild(
          build,
          env,
          vectors,
          papers,
          searchTexts,
          drafts,
          model.id,
          embedding,
        );
      }
      printTable(size, all[size], builds);
    }
  } finally {
    await embedder.dispose();
    builds.forEach((b) => b.dispose());
  }
  if (opts.json) {
    const keyed = Object.fromEntries(
      Object.entries(all).map(([size, r]) => [
        size,
        { current: r.current, ...(opts.baseline ? { baseline: r[opts.baseline] } : {}) },
      ]),
    );
    console.log(JSON.stringify(keyed));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
