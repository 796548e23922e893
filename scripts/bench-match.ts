/**
 * Matching at scale, through the HTTP API, next to exact brute-force search in the same run.
 *
 * For each size (10k and 100k achievements with synthetic clustered 512-d vectors, stored in PostgreSQL like real
 * ones): index build time, restart time from a snapshot, recall@10 of the HNSW path against exact search, and latency
 * p50/p95/p99 of (1) matches of a stored demand with 8 concurrent clients (each demand's first visit, with cold
 * caches, apart) and (2) free-text search, query embedding included, with 4 concurrent clients. The API runs as its
 * own process (`apps/api/src/main.ts`), as in production; the baseline is the same API with INDEX_EXACT_SCAN_BELOW
 * above the catalogue size, so every search is an exact scan. Two floors in the same run: GET /health/live through
 * the same API and clients, and the query embedding alone.
 * Recall is measured in this process on a VectorCollection built like the API's. Needs PostgreSQL (DATABASE_URL) and
 * Redis; cleans up after itself.
 *
 *   npm run bench:match [-- --sizes 10000,100000 --requests 400 --match-clients 8 --search-clients 4]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { ApiKeysService } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EmbeddingModule, EmbeddingService } from '@app/embedding';
import { DATABASE_CONNECTION, Db, runMigrations, type DatabaseConnection } from '@app/persistence';
import { LOGGER, type Logger } from '@app/observability';
import { OrganisationsService } from '@app/profiles';
import { VectorCollection } from '@app/vector-index';
import { CliModule } from '../apps/cli/src/cli.module';
import { readCsl } from './lib/csl';
import { percentile } from './lib/stats';
import { spawnApp, stopChild } from './lib/services';
import { clusteredVectors } from './lib/synthetic';

const program = new Command()
  .option('--sizes <list>', 'catalogue sizes', '10000,100000')
  .option('--requests <n>', 'requests per latency cell', '400')
  .option('--match-clients <n>', 'concurrent clients asking for matches', '8')
  .option('--search-clients <n>', 'concurrent clients searching', '4')
  .option(
    '--csl <dir>',
    'CSL dev split (texts for the lexical side)',
    join(__dirname, '../../shared/eval-data/csl-dev'),
  )
  .parse();

const DEMANDS = 200;

/** The command line's context, and the service's embedding (model, query instruction) for the floor. */
@Module({ imports: [CliModule, EmbeddingModule] })
class BenchModule {}

/** Starts the API as a child process and waits until its index is ready; returns its URL and how long that took. */
async function startApi(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const port = 40000 + Math.floor(Math.random() * 20000);
  const started = Date.now();
  const child = spawnApp('api', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, url, ms: Date.now() - started };
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Closed-loop clients: each sends its next request when the last answer is in. node:http with keep-alive rather
 * than fetch, whose own cost per request (twice node:http's against a bare Node server on this machine) would be
 * counted as the API's: the load generator shares the two cores with the API and PostgreSQL.
 */
async function load(url: string, key: string, paths: string[], concurrency: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(url);
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: hostname, port, path, agent, headers: { 'X-Api-Key': key } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const started = performance.now();
      const status = await get(path);
      if (status !== 200) throw new Error(`${path}: ${status}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return latencies.sort((a, b) => a - b);
}

const ms = (sorted: number[]) =>
  ['50', '95', '99'].map((p) => percentile(sorted, Number(p)).toFixed(1).padStart(6)).join(' ');

async function main(): Promise<void> {
  const opts = program.opts<{
    sizes: string;
    requests: string;
    csl: string;
    matchClients: string;
    searchClients: string;
  }>();
  const [matchClients, searchClients] = [Number(opts.matchClients), Number(opts.searchClients)];
  const requests = Number(opts.requests);
  const papers = readCsl(opts.csl);
  const baseEnv = {
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    INDEX_SNAPSHOT_DIR: '',
    INDEX_SYNC_MS: '3600000',
  };

  const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const db = context.get(Db);
  await runMigrations(context.get<DatabaseConnection>(DATABASE_CONNECTION).url, context.get<Logger>(LOGGER));
  const config = context.get<AppConfig>(APP_CONFIG);
  // The part of a search no index can speed up: embedding the query, as the API does, one at a time here.
  const queries = context.get(EmbeddingService);
  const modelId = queries.modelId;

  for (const size of opts.sizes.split(',').map(Number)) {
    // Data: a university with `size` achievements and an enterprise with 200 demands, vectors from the same clusters.
    const organisations = context.get(OrganisationsService);
    const university = await organisations.create('system', {
      kind: 'university',
      name: 'bench-match',
      regionCode: '330100',
    });
    const enterprise = await organisations.create('system', {
      kind: 'enterprise',
      name: 'bench-match',
      regionCode: '330502',
    });
    const { secret: key } = await context
      .get(ApiKeysService)
      .create('system', { role: 'enterprise', organisationId: enterprise.id });
    const vectors = clusteredVectors(size + DEMANDS, 512);
    const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    const started = Date.now();
    for (let from = 0; from < size; from += 2000) {
      const rows = Array.from({ length: Math.min(2000, size - from) }, (_, i) => from + i);
      await db.query(
        `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, region_code, content_hash, embedding,
           embedding_model, embedding_status, embedded_at)
         SELECT $1, t, a, 1 + (n % 9), '330100', md5(t), e, $2, 'ready', now()
         FROM unnest($3::text[], $4::text[], $5::int[], $6::bytea[]) AS u(t, a, n, e)`,
        [
          university.id,
          modelId,
          rows.map((i) => `${papers[i % papers.length].title}（${i}）`),
          rows.map((i) => papers[i % papers.length].abstract),
          rows,
          rows.map((i) => bytes(vectors[i])),
        ],
      );
    }
    const demandIds = (
      await db.query<{ id: string }>(
        `INSERT INTO demands (organisation_id, title, description, region_code, content_hash, embedding, embedding_model,
           embedding_status, embedded_at)
         SELECT $1, '需求 ' || n, '合成需求', '330502', md5(n::text), e, $2, 'ready', now()
         FROM unnest($3::int[], $4::bytea[]) AS u(n, e) RETURNING id`,
        [enterprise.id, modelId, Array.from({ length: DEMANDS }, (_, i) => i), vectors.slice(size).map(bytes)],
      )
    ).map((r) => r.id);
    await db.query('ANALYZE achievements; ANALYZE demands');
    const insertS = (Date.now() - started) / 1000;

    // Recall of the path the API takes (filtered HNSW with the live-records filter) against exact search.
    const local = new VectorCollection<{ live: boolean }>(512, config.index.hnsw, size);
    vectors.slice(0, size).forEach((v, i) => local.upsert(String(i), v, { live: true }));
    let recall = 0;
    for (const v of vectors.slice(size)) {
      const truth = new Set(local.exactSearch(v, 10, (m) => m.live).map((h) => h.id));
      recall += local.search(v, 10, (m) => m.live).hits.filter((h) => truth.has(h.id)).length / truth.size;
    }
    recall /= DEMANDS;

    const matchPaths = Array.from({ length: requests }, (_, i) => `/v1/demands/${demandIds[i % DEMANDS]}/matches`);
    const searchPaths = Array.from(
      { length: requests / 2 },
      (_, i) => `/v1/search?collection=achievements&q=${encodeURIComponent(papers[(i * 7) % papers.length].title)}`,
    );
    // Each demand once first: its candidates are then read and segmented for the first time in this process (cold
    // caches, as after a restart); then the measured requests, two per demand.
    const measure = async (url: string) => ({
      firstVisits: await load(url, key, matchPaths.slice(0, DEMANDS), matchClients),
      match: await load(url, key, matchPaths, matchClients),
      search: await load(url, key, searchPaths, searchClients),
    });

    // The product: HNSW. Build from PostgreSQL, measure, stop (snapshot), restart from the snapshot.
    const snapshotDir = mkdtempSync(join(tmpdir(), 'bench-match-'));
    const hnsw = await startApi({ ...baseEnv, INDEX_SNAPSHOT_DIR: snapshotDir });
    const hnswResult = await measure(hnsw.url);
    // Floors: what any request costs through this HTTP stack, and what a search's query embedding costs alone.
    const live = await load(
      hnsw.url,
      key,
      matchPaths.map(() => '/health/live'),
      matchClients,
    );
    await stopChild(hnsw.child);
    const embeddings: number[] = [];
    for (const path of searchPaths) {
      const started = performance.now();
      await queries.embedOne(new URLSearchParams(path.split('?')[1]).get('q')!, 'query');
      embeddings.push(performance.now() - started);
    }
    embeddings.sort((a, b) => a - b);
    const restart = await startApi({ ...baseEnv, INDEX_SNAPSHOT_DIR: snapshotDir });
    await stopChild(restart.child);
    rmSync(snapshotDir, { recursive: true, force: true });

    // The baseline: the same API, every search an exact scan.
    const exact = await startApi({ ...baseEnv, INDEX_EXACT_SCAN_BELOW: String(size * 10) });
    const exactResult = await measure(exact.url);
    await stopChild(exact.child);

    console.log(
      `\n${size} achievements (512-d, 100 clusters), ${DEMANDS} demands; inserted in ${insertS.toFixed(1)} s`,
    );
    console.log(
      `API start with index build from PostgreSQL ${(hnsw.ms / 1000).toFixed(1)} s; restart from snapshot ${(restart.ms / 1000).toFixed(1)} s`,
    );
    console.log(`recall@10 of the HNSW path against exact search: ${recall.toFixed(4)}`);
    console.log('                                              p50    p95    p99 ms');
    console.log(`(1) demand matches, ${matchClients} clients    HNSW    ${ms(hnswResult.match)}`);
    console.log(`                                 exact   ${ms(exactResult.match)}`);
    console.log(`    first visit of each demand   HNSW    ${ms(hnswResult.firstVisits)}`);
    console.log(`                                 exact   ${ms(exactResult.firstVisits)}`);
    console.log(`(2) free-text search, ${searchClients} clients  HNSW    ${ms(hnswResult.search)}`);
    console.log(`                                 exact   ${ms(exactResult.search)}`);
    console.log(`floor: GET /health/live, ${matchClients} clients         ${ms(live)}`);
    console.log(`floor: query embedding alone, 1 at a time  ${ms(embeddings)}`);

    await db.query('DELETE FROM achievements WHERE organisation_id = $1', [university.id]);
    await db.query('DELETE FROM demands WHERE organisation_id = $1', [enterprise.id]);
    await db.query('DELETE FROM api_keys WHERE organisation_id = $1', [enterprise.id]);
    await db.query('DELETE FROM organisations WHERE id = ANY($1::uuid[])', [[university.id, enterprise.id]]);
  }
  await context.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
