/**
 * Bulk ingest against raw embedding of the same texts, and freshness, in one run.
 *
 * 1. Raw: the texts the service would embed for the patents of cn-patent-citations (title, abstract), embedded in
 *    this process one at a time with the service's model and settings, before any service runs.
 * 2. Ingest: the API and the worker as production runs them (compiled, separate processes, on a database and a
 *    redis-server of their own); the patents POSTed as JSON Lines to /v1/achievements/import; timed until the
 *    answer (stored) and until every one is embedded and in the API's index (searchable). The ratio is the ingest's
 *    throughput over raw embedding's.
 * 3. Freshness, on the idle system: demands POSTed one at a time (each a patent's title and opening, so that it has
 *    a match worth a lead); for each, the time until GET /v1/demands/:id/matches serves matches, and until its lead
 *    is in a broker's inbox.
 *
 *   npm run bench:import -- [--limit 5796] [--demands 20] [--api-processes 1] [--json]
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { Client } from 'pg';
import { Embedder, normaliseText, resolveModel } from '@app/embedding';
import { embeddingText } from '@app/profiles';
import { currentBuild, envList, ROOT } from './lib/builds';
import { processes, treeOf, type ProcessStat } from './lib/proc';
import { freePort, RedisServer, stopChild, withOwnDatabase } from './lib/services';
import { percentile } from './lib/stats';

const program = new Command()
  .option(
    '--patents <file>',
    'JSON Lines of patents',
    join(ROOT, '../shared/eval-data/cn-patent-citations/corpus.jsonl'),
  )
  .option('--limit <n>', 'patents to ingest (all by default)')
  .option('--demands <n>', 'demands posted one at a time for the freshness timings', '20')
  .option('--api-processes <n>', 'API_PROCESSES of the API under test', '1')
  .option('--env <list>', 'extra environment for the API and worker, e.g. EMBEDDING_PASSAGE_WORKERS=2')
  .option('--profile <dir>', 'write CPU profiles of the API and worker processes to this folder')
  .option('--json', 'print one JSON object with the results')
  .parse();
const opts = program.opts<{
  patents: string;
  limit?: string;
  demands: string;
  apiProcesses: string;
  env?: string;
  profile?: string;
  json?: boolean;
}>();
const log = (line: string) => (opts.json ? console.error(line) : console.log(line));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADMIN_SECRET = `tt_bench_${createHash('sha256').update(String(process.pid)).digest('hex').slice(0, 24)}`;

interface Patent {
  title: string;
  abstract: string;
}

async function main(): Promise<void> {
  const patents = readFileSync(opts.patents, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Patent)
    .slice(0, opts.limit ? Number(opts.limit) : undefined);
  const rows = patents.map((p) => ({ title: p.title, abstract: p.abstract, regionCode: '330106', readinessLevel: 6 }));

  // 1. Raw embedding, nothing else running.
  const model = await resolveModel(join(ROOT, 'models'), 'bge-small-zh-v1.5');
  const embedder = await Embedder.load(model, { batchSize: 1, threads: 0 });
  const texts = rows.map((r) => normaliseText(embeddingText('achievement', r)));
  log(`raw: embedding ${texts.length} texts in this process`);
  const rawStarted = performance.now();
  const rawCpu = process.cpuUsage();
  for (const t of texts) await embedder.embed([t]);
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  const { user, system } = process.cpuUsage(rawCpu);
  const rawCpuSeconds = (user + system) / 1e6;
  await embedder.dispose();
  log(`raw: ${rawSeconds.toFixed(1)} s, ${(texts.length / rawSeconds).toFixed(1)} texts/s`);

  const build = currentBuild();
  const redisDir = mkdtempSync(join(tmpdir(), 'bench-import-redis-'));
  const redis = new RedisServer(await freePort(), redisDir);
  await redis.start();
  try {
    await withOwnDatabase('bench_import', async (databaseUrl) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        RUN_WORKER: 'false',
        API_PROCESSES: opts.apiProcesses,
        INDEX_SNAPSHOT_DIR: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...envList(opts.env),
      };
      let output = '';
      const keep = (c: Buffer) => (output = (output + c.toString()).slice(-4000));
      const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
      const api = build.spawn('api', env, keep, profile);
      const worker = build.spawn('worker', env, keep, profile);
      try {
        const indexSize = async () => {
          const r = await fetch(`${base}/health/ready`).catch(() => undefined);
          if (r?.status !== 200) return -1;
          const body = (await r.json()) as { details?: { index?: { vectors?: Record<string, number> } } };
          return body.details?.index?.vectors?.achievement ?? -1;
        };
        for (let i = 0; (await indexSize()) < 0; i++) {
          if (api.exitCode !== null || worker.exitCode !== null || i > 1200)
            throw new Error(`start failed:\n${output}`);
          await sleep(100);
        }
        const { university, enterprise } = await seed(databaseUrl, base);

        // 2. Ingest.
        log(`ingest: importing ${rows.length} achievements through POST /v1/achievements/import`);
        const cpuBefore = cpuByProcess({ api: api.pid!, worker: worker.pid! });
        const started = performance.now();
        const body = Readable.from(rows.map((r) => `${JSON.stringify(r)}\n`));
        const res = await fetch(`${base}/v1/achievements/import?organisationId=${university}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', 'x-api-key': ADMIN_SECRET },
          body: Readable.toWeb(body) as ReadableStream,
          duplex: 'half',
        });
        const summary = (await res.json()) as { accepted: number; rejected: number };
        if (res.status !== 201) throw new Error(`import: ${res.status} ${JSON.stringify(summary)}`);
        const storedSeconds = (performance.now() - started) / 1000;
        // Done when no record waits for its vector and every embedded one is in the API's index; a record the model
        // refuses (marked failed) is counted apart.
        const statuses = new Client({ connectionString: databaseUrl });
        await statuses.connect();
        const countOf = async () =>
          Object.fromEntries(
            (
              await statuses.query<{ status: string; n: number }>(
                'SELECT embedding_status AS status, count(*)::int AS n FROM achievements GROUP BY 1',
              )
            ).rows.map((r) => [r.status, r.n]),
          ) as Record<string, number>;
        let failed = 0;
        let lastReport = 0;
        for (;;) {
          const searchable = await indexSize();
          const counts = await countOf();
          failed = counts.failed ?? 0;
          if (!counts.pending && searchable >= (counts.ready ?? 0)) break;
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            log(
              `ingest: ${searchable} of ${summary.accepted} searchable after ${((lastReport - started) / 1000).toFixed(0)} s`,
            );
          }
          if (api.exitCode !== null || worker.exitCode !== null) throw new Error(`a service exited:\n${output}`);
          await sleep(200);
        }
        const ingestSeconds = (performance.now() - started) / 1000;
        await statuses.end();
        const cpuAfter = cpuByProcess({ api: api.pid!, worker: worker.pid! });
        const cpuSeconds = Object.fromEntries(
          Object.entries(cpuAfter).map(([k, v]) => [k, round(v - (cpuBefore[k] ?? 0))]),
        );

        // 3. Freshness.
        log(`freshness: ${opts.demands} demands, one at a time`);
        const toMatches: number[] = [];
        const toInbox: number[] = [];
        const db = new Client({ connectionString: databaseUrl });
        await db.connect();
        for (let i = 0; i < Number(opts.demands); i++) {
          const p = patents[(i * 97) % patents.length];
          const posted = performance.now();
          const created = await fetch(`${base}/v1/demands`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_SECRET },
            body: JSON.stringify({
              organisationId: enterprise,
              title: `寻求${p.title}`,
              description: p.abstract.slice(0, 200),
              regionCode: '330106',
            }),
          });
          if (created.status !== 201) throw new Error(`POST /v1/demands: ${created.status} ${await created.text()}`);
          const { id } = (await created.json()) as { id: string };
          let matched = false;
          for (;;) {
            const elapsed = performance.now() - posted;
            if (!matched) {
              const m = await fetch(`${base}/v1/demands/${id}/matches`, { headers: { 'x-api-key': ADMIN_SECRET } });
              if (m.status === 200 && ((await m.json()) as unknown[]).length > 0) {
                toMatches.push(elapsed);
                matched = true;
              }
            }
            const inbox = await db.query(
              'SELECT 1 FROM inbox_items i JOIN leads l ON l.id = i.lead_id WHERE l.demand_id = $1',
              [id],
            );
            if (inbox.rowCount) {
              toInbox.push(performance.now() - posted);
              break;
            }
            if (elapsed > 60_000) throw new Error(`demand ${id}: no lead in an inbox after 60 s`);
            await sleep(20);
          }
          await sleep(500); // idle between demands
        }
        await db.end();

        const at = (xs: number[], p: number) =>
          Math.round(
            percentile(
              [...xs].sort((a, b) => a - b),
              p,
            ),
          );
        const result = {
          patents: summary.accepted,
          failedEmbeddings: failed,
          raw: {
            seconds: round(rawSeconds),
            perSecond: round(texts.length / rawSeconds),
            cpuSeconds: round(rawCpuSeconds),
          },
          ingest: {
            storedSeconds: round(storedSeconds),
            searchableSeconds: round(ingestSeconds),
            perSecond: round(summary.accepted / ingestSeconds),
          },
          ratioToRaw: round(rawSeconds / ingestSeconds, 2),
          cpuSeconds,
          freshness: {
            matchesMs: { p50: at(toMatches, 50), p95: at(toMatches, 95) },
            inboxMs: { p50: at(toInbox, 50), p95: at(toInbox, 95) },
          },
        };
        log(`\n${summary.accepted} patents (cn-patent-citations), API_PROCESSES=${opts.apiProcesses}, worker apart`);
        log(`raw embedding, one process          ${result.raw.seconds} s   ${result.raw.perSecond} texts/s`);
        log(`import answered (stored)             ${result.ingest.storedSeconds} s`);
        log(
          `import -> all embedded, searchable   ${result.ingest.searchableSeconds} s   ${result.ingest.perSecond} texts/s`,
        );
        log(`ingest throughput / raw              ${result.ratioToRaw}x`);
        log(
          `CPU seconds during the ingest        ${Object.entries(cpuSeconds)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} (raw embedding: ${result.raw.cpuSeconds} s)`,
        );
        log(
          `POST demand -> matches served        p50 ${result.freshness.matchesMs.p50} ms, p95 ${result.freshness.matchesMs.p95} ms`,
        );
        log(
          `POST demand -> lead in an inbox      p50 ${result.freshness.inboxMs.p50} ms, p95 ${result.freshness.inboxMs.p95} ms`,
        );
        if (opts.json) console.log(JSON.stringify(result));
      } finally {
        await stopChild(api);
        await stopChild(worker);
      }
    });
  } finally {
    await redis.stop();
    rmSync(redisDir, { recursive: true, force: true });
  }
}

/** CPU seconds so far of each named process with its descendants and threads, and of PostgreSQL and Redis. */
function cpuByProcess(named: Record<string, number>): Record<string, number> {
  const all = processes();
  const sum = (ps: ProcessStat[]) => ps.reduce((a, p) => a + p.cpuSeconds, 0);
  return {
    ...Object.fromEntries(Object.entries(named).map(([k, pid]) => [k, sum(treeOf(pid, all))])),
    postgres: sum(all.filter((p) => p.comm === 'postgres')),
    redis: sum(all.filter((p) => p.comm === 'redis-server')),
  };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** An admin key, the university that owns the patents, the enterprise that posts demands, a transfer office with brokers. */
async function seed(databaseUrl: string, base: string) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const org = async (kind: string, name: string) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO organisations (kind, name, region_code) VALUES ($1, $2, '330106') RETURNING id`,
        [kind, name],
      )
    ).rows[0].id;
  const [university, enterprise, office] = [
    await org('university', '基准大学'),
    await org('enterprise', '基准企业'),
    await org('transfer_organisation', '基准技术转移中心'),
  ];
  await db.query(`INSERT INTO api_keys (secret_hash, prefix, role) VALUES ($1, 'bench', 'admin')`, [
    createHash('sha256').update(ADMIN_SECRET).digest(),
  ]);
  await db.end();
  for (const expertise of ['隧道与地下工程、土木结构', '电池材料与新能源', '机械制造与自动化', '化工与材料']) {
    const r = await fetch(`${base}/v1/brokers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_SECRET },
      body: JSON.stringify({
        organisationId: office,
        name: `经纪人 ${expertise.slice(0, 2)}`,
        expertise,
        capacity: 1000,
      }),
    });
    if (r.status !== 201) throw new Error(`POST /v1/brokers: ${r.status} ${await r.text()}`);
  }
  return { university, enterprise };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
