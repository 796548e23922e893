/**
 * A cluster on this one machine, each host in a network namespace of its own (scripts/cluster-net.sh): PostgreSQL,
 * Redis, two API hosts behind an HAProxy host that checks GET /health/ready, two worker hosts. It runs a scripted
 * load through the load balancer (demands posted with Idempotency-Keys, bulk imports, searches, matches, lead reads),
 * a burst against one key's rate limit, and while the load runs it kills an API host, a worker host and Redis (each
 * started again), cuts an API host off the network for 30 s, restarts PostgreSQL, and adds a third API host that
 * starts from the shared index snapshot folder. Then it checks that no acknowledged write was lost, that every job
 * was done exactly once, that the rate limit held across the hosts and that no 5xx came outside a fault's window,
 * prints a table and exits 1 on any failure. Without root or `ip netns` (or haproxy, redis-server, PostgreSQL 15) it
 * prints one line and exits 0. Logs of each host go to test-artifacts/cluster/. docs/cluster.md says more.
 *
 *   npm run cluster [-- --seconds 150 --achievements 5000 --keep]
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '@app/config';
import { resolveModel } from '@app/embedding';
import { runMigrations } from '@app/persistence';
import { Host, LoadBalancerHost, net, PostgresHost, RedisHost } from './lib/cluster-hosts';
import { percentile } from './lib/stats';
import { clusteredVectors } from './lib/synthetic';

const opts = new Command()
  .option('--seconds <n>', 'how long the load runs (at least until the last fault has recovered)', '150')
  .option('--achievements <n>', 'achievements seeded with their vectors written directly (synthetic)', '5000')
  .option('--clients <n>', 'concurrent load clients, each with its own API key', '6')
  .option('--rate-limit <n>', 'RATE_LIMIT_PER_MINUTE of every API host', '300')
  .option('--import-rows <n>', 'rows of each of the two bulk imports (embedded by the real model)', '200')
  .option('--redis-fsync <mode>', "Redis appendfsync: 'always' or 'everysec'", 'always')
  .option('--settle <seconds>', 'how long the jobs may take to settle after the load', '120')
  .option('--keep', 'leave the cluster running after the checks, until Ctrl-C')
  .parse()
  .opts<{
    seconds: string;
    achievements: string;
    clients: string;
    rateLimit: string;
    importRows: string;
    redisFsync: string;
    settle: string;
    keep?: boolean;
  }>();

const ROOT = join(__dirname, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts/cluster');
const PREFIX = '10.231.0';
const SUBNET = `${PREFIX}.0/24`;
const ADDRESSES = { pg: 2, redis: 3, lb: 10, api1: 11, api2: 12, api3: 13, worker1: 21, worker2: 22 };
const API_PORT = 3000;
const RATE_LIMIT = Number(opts.rateLimit);
const SECONDS = Number(opts.seconds);
// Each load client waits this long between requests, so that it stays below its key's budget of RATE_LIMIT a minute.
const PACE_MS = Math.ceil(60_000 / (RATE_LIMIT * 0.8));
const BROKERS = 10;
const TOPICS = [
  '动力电池回收',
  '高盐废水处理',
  '智能温室控制',
  '稀土永磁材料',
  '光伏组件清洗',
  '工业机器人视觉',
  '生物降解塑料',
];
const t0 = Date.now();
const at = () => (Date.now() - t0) / 1000;
const say = (m: string) => console.log(`[${at().toFixed(1).padStart(6)} s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = pino({ level: 'error' });

interface Sample {
  op: string;
  start: number;
  end: number;
  /** 0: no answer (connection refused or reset, timeout). */
  status: number;
  code?: string;
  servedBy?: string;
}

interface Fault {
  name: string;
  start: number;
  /** The fault is over (the host restarted, the cable back in). */
  acted: number;
  /** Every running API host UP in the load balancer, and a demand written after the fault embedded. */
  recovered: number;
  note: string;
}

interface Keys {
  clients: string[];
  rate: string;
  probe: string;
  institution: string;
  admin: string;
}

const samples: Sample[] = [];
const faults: Fault[] = [];
/** Acknowledged demands: Idempotency-Key -> id and when the 2xx came. */
const acked = new Map<string, { id: string; at: number }>();
const unacknowledged: string[] = [];
const importedExternalIds: { id: string; at: number }[] = [];

/** One request through the load balancer, recorded. */
async function call(
  base: string,
  op: string,
  key: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const start = Date.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: { 'x-api-key': key, ...init.headers },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HAProxy's own pages are HTML
    }
    // An answer that is not the API's JSON is the load balancer's own (no server UP, or one that stopped answering).
    const code =
      typeof body === 'object' && body !== null
        ? (body as { error?: string }).error
        : res.status >= 500
          ? 'lb'
          : undefined;
    samples.push({
      op,
      start,
      end: Date.now(),
      status: res.status,
      code,
      servedBy: res.headers.get('x-served-by') ?? '',
    });
    return { status: res.status, body };
  } catch (e) {
    samples.push({ op, start, end: Date.now(), status: 0, code: (e as Error).name });
    return { status: 0, body: undefined };
  }
}

/** Posts a demand with its Idempotency-Key, retrying with the same key as a client would, for at most `giveUpMs`. */
async function postDemand(base: string, key: string, idem: string, op = 'post demand', giveUpMs = 60_000) {
  const body = JSON.stringify({
    title: `集群需求【${idem}】：${TOPICS[idem.length % TOPICS.length]}`,
    description: `我公司希望引进${TOPICS[idem.length % TOPICS.length]}技术，用于量产线改造。`,
    regionCode: '330502',
    industryCode: '42',
  });
  const deadline = Date.now() + giveUpMs;
  while (Date.now() < deadline) {
    const res = await call(base, op, key, '/v1/demands', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': idem },
    });
    if (res.status >= 200 && res.status < 300) {
      const id = (res.body as { id: string }).id;
      acked.set(idem, { id, at: Date.now() });
      return id;
    }
    if (res.status >= 400 && res.status < 500 && ![409, 429].includes(res.status))
      throw new Error(`POST /v1/demands: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(500);
  }
  unacknowledged.push(idem);
  return undefined;
}

/** One load client: demands, searches, matches and lead reads in turn, paced below its key's budget. */
async function loadClient(base: string, key: string, n: number, until: () => boolean) {
  for (let i = 0; !until(); i++) {
    const ids = [...acked.values()];
    const someDemand = ids.length ? ids[(i * 7919 + n) % ids.length].id : undefined;
    const topic = TOPICS[(i + n) % TOPICS.length];
    switch (i % 5) {
      case 0:
        await postDemand(base, key, `c${n}-${i}`);
        break;
      case 1:
        await call(base, 'search', key, `/v1/search?collection=achievements&limit=10&q=${encodeURIComponent(topic)}`);
        break;
      case 2:
        if (someDemand) await call(base, 'matches', key, `/v1/demands/${someDemand}/matches`);
        break;
      case 3: {
        const res = await call(base, 'lead reads', key, '/v1/leads?limit=10');
        const first = (res.body as { items?: { id: string }[] } | undefined)?.items?.[0];
        if (first) await call(base, 'lead reads', key, `/v1/leads/${first.id}`);
        break;
      }
      default:
        if (someDemand) await call(base, 'demand read', key, `/v1/demands/${someDemand}`);
    }
    await sleep(PACE_MS);
  }
}

/**
 * A bulk import of `rows` achievements with externalIds. Retried with the same Idempotency-Key; a key left "in
 * progress" by a host that died under it is given up for a new one after 30 s, which the externalIds make safe.
 */
async function bulkImport(base: string, key: string, batch: number, rows: number) {
  const externalIds = Array.from({ length: rows }, (_, i) => `cluster-import-${batch}-${i}`);
  const body = externalIds
    .map((externalId, i) =>
      JSON.stringify({
        externalId,
        title: `${TOPICS[i % TOPICS.length]}成套技术（批次 ${batch}，第 ${i} 项）`,
        abstract: `面向企业量产的${TOPICS[i % TOPICS.length]}工艺，已完成中试验证，可许可或联合开发。`,
        readinessLevel: 6,
        regionCode: '330502',
        industryCode: '42',
        keywords: [TOPICS[i % TOPICS.length]],
      }),
    )
    .join('\n');
  let idem = `cluster-import-${batch}`;
  let inProgressSince: number | undefined;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const res = await call(base, 'bulk import', key, '/v1/achievements/import', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': idem },
    });
    if (res.status === 201) {
      const summary = res.body as { accepted: number; rejected: number };
      if (summary.accepted !== rows) throw new Error(`import ${batch}: ${JSON.stringify(summary)}`);
      for (const id of externalIds) importedExternalIds.push({ id, at: Date.now() });
      return summary;
    }
    if (res.status === 409) {
      inProgressSince ??= Date.now();
      if (Date.now() - inProgressSince > 30_000) {
        idem = `${idem}-again`;
        inProgressSince = undefined;
      }
    }
    await sleep(1_000);
  }
  throw new Error(`import ${batch} was never acknowledged`);
}

/** A key that satisfies the API's key shape (tt_<8 hex>_<32 base64url>), stored as its sha256. */
async function insertKey(db: Client, role: string, organisationId: string | null, label: string): Promise<string> {
  const prefix = randomBytes(4).toString('hex');
  const secret = `tt_${prefix}_${randomBytes(24).toString('base64url')}`;
  await db.query(
    `INSERT INTO api_keys (secret_hash, prefix, role, organisation_id, label, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + interval '1 day')`,
    [createHash('sha256').update(secret).digest(), prefix, role, organisationId, label],
  );
  return secret;
}

/** Organisations, keys, brokers and `size` achievements with synthetic vectors, written straight to PostgreSQL. */
async function seed(url: string, size: number, clients: number): Promise<Keys & { modelId: string }> {
  const config = loadConfig({ ...process.env, DATABASE_URL: url });
  const modelId = (await resolveModel(config.embedding.modelsDir, config.embedding.model)).id;
  const db = new Client({ connectionString: url });
  await db.connect();
  const org = async (kind: string, name: string, region: string) =>
    (
      await db.query<{ id: string }>(
        'INSERT INTO organisations (kind, name, region_code) VALUES ($1, $2, $3) RETURNING id',
        [kind, name, region],
      )
    ).rows[0].id;
  const enterprise = await org('enterprise', '集群演练企业', '330502');
  const university = await org('university', '集群演练大学', '330106');
  const office = await org('transfer_organisation', '集群演练技术转移中心', '330500');
  const vectors = clusteredVectors(size + BROKERS, 512, 50);
  const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (let from = 0; from < size; from += 2000) {
    const rows = Array.from({ length: Math.min(2000, size - from) }, (_, i) => from + i);
    await db.query(
      `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, industry_code, region_code,
         content_hash, embedding, embedding_model, embedding_status, embedded_at)
       SELECT $1, t, a, 6, '42', '330106', md5(t), e, $2, 'ready', now()
       FROM unnest($3::text[], $4::text[], $5::bytea[]) AS u(t, a, e)`,
      [
        university,
        modelId,
        rows.map((i) => `${TOPICS[i % TOPICS.length]}技术成果 ${i}`),
        rows.map((i) => `关于${TOPICS[i % TOPICS.length]}的研究成果摘要（编号 ${i}）`),
        rows.map((i) => bytes(vectors[i])),
      ],
    );
  }
  for (let i = 0; i < BROKERS; i++)
    await db.query(
      `INSERT INTO brokers (organisation_id, name, expertise, capacity, content_hash, embedding, embedding_model,
         embedding_status, embedded_at) VALUES ($1, $2, '技术转移', 100000, $3, $4, $5, 'ready', now())`,
      [office, `集群经纪人 ${i}`, `b${i}`, bytes(vectors[size + i]), modelId],
    );
  await db.query('ANALYZE achievements; ANALYZE brokers');
  const clientKeys: string[] = [];
  for (let i = 0; i < clients; i++) clientKeys.push(await insertKey(db, 'enterprise', enterprise, `load ${i}`));
  const keys: Keys = {
    clients: clientKeys,
    rate: await insertKey(db, 'enterprise', enterprise, 'rate limit'),
    probe: await insertKey(db, 'enterprise', enterprise, 'recovery probes'),
    institution: await insertKey(db, 'institution', university, 'imports'),
    admin: await insertKey(db, 'admin', null, 'checks'),
  };
  await db.end();
  return { ...keys, modelId };
}

/** `sql`'s single number, or undefined while PostgreSQL does not answer. */
async function queryOne<T>(url: string, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await db.connect();
    return (await db.query<{ v: T }>(sql, params)).rows[0]?.v;
  } catch {
    return undefined;
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const missing = preflight();
  if (missing) {
    console.log(`cluster: skipped (${missing})`);
    return;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) rmSync(join(ARTIFACTS, f), { force: true });
  const tmp = mkdtempSync(join(tmpdir(), 'cluster-'));
  chmodSync(tmp, 0o755); // PostgreSQL runs as its own user
  const host = (name: keyof typeof ADDRESSES) =>
    new Host(name, `${PREFIX}.${ADDRESSES[name]}`, join(ARTIFACTS, `${name}.log`));
  const hosts = Object.fromEntries(Object.keys(ADDRESSES).map((n) => [n, host(n as keyof typeof ADDRESSES)])) as Record<
    keyof typeof ADDRESSES,
    Host
  >;
  let tornDown = false;
  const tearDown = async () => {
    if (tornDown) return;
    tornDown = true;
    await Promise.all(Object.values(hosts).map((h) => h.stop('SIGKILL', 5_000)));
    try {
      net('down');
    } catch (e) {
      console.error(`tearing the network down: ${(e as Error).message}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = () => void tearDown().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    net('down'); // what a killed run may have left
    net(
      'up',
      PREFIX,
      ...Object.entries(ADDRESSES)
        .filter(([n]) => n !== 'api3')
        .map(([n, a]) => `${n}=${a}`),
    );
    say(`namespaces up on ${SUBNET}`);
    const pg = new PostgresHost(hosts.pg, join(tmp, 'pg'), SUBNET, 'cluster');
    await pg.start();
    await pg.createDatabase();
    await runMigrations(pg.url, log);
    const size = Number(opts.achievements);
    const keys = await seed(pg.url, size, Number(opts.clients));
    say(`PostgreSQL up, migrated, ${size} achievements and ${BROKERS} brokers seeded with vectors`);
    const redis = new RedisHost(
      hosts.redis,
      join(tmp, 'redis'),
      opts.redisFsync === 'everysec' ? 'everysec' : 'always',
    );
    await redis.start();
    execFileSync(process.execPath, [join(ROOT, 'scripts/start.cjs'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });

    const snapshots = join(tmp, 'index-shared');
    mkdirSync(snapshots);
    const common = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RUN_WORKER: 'false',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      OUTBOX_POLL_MS: '200',
      LEAD_MIN_SCORE: '0.5',
    };
    // One process per API host. api1 writes the shared snapshot folder (every 10 s while it changes); api2 and
    // api3 only start from it, as the second process of one machine does (API_PROCESS_INDEX > 0).
    const startApi = (h: Host, writer: boolean) =>
      h.run(
        [process.execPath, 'scripts/start.cjs', 'api'],
        {
          ...common,
          HOST: h.address,
          PORT: String(API_PORT),
          API_PROCESSES: '1',
          API_PROCESS_INDEX: writer ? '0' : '1',
          INDEX_SNAPSHOT_DIR: snapshots,
          INDEX_SNAPSHOT_EVERY_MS: '10000',
        },
        ROOT,
      );
    // Workers keep their own snapshot folders, as hosts with disks of their own would.
    const startWorker = (h: Host) =>
      h.run(
        [process.execPath, 'scripts/start.cjs', 'worker'],
        {
          ...common,
          INDEX_SNAPSHOT_DIR: join(tmp, `index-${h.name}`),
          EMBEDDING_PASSAGE_WORKERS: '1',
          EMBED_CONCURRENCY: '2',
        },
        ROOT,
      );
    startApi(hosts.api1, true);
    startApi(hosts.api2, false);
    startWorker(hosts.worker1);
    startWorker(hosts.worker2);
    const lb = new LoadBalancerHost(hosts.lb, tmp, [hosts.api1, hosts.api2, hosts.api3], API_PORT);
    lb.start();
    const expected = new Set(['api1', 'api2']);
    const allUp = async () => {
      const state: Record<string, string> = await lb.servers().catch(() => ({}));
      return [...expected].every((s) => state[s] === 'UP');
    };
    for (const started = Date.now(); !(await allUp()); await sleep(250)) {
      for (const h of [hosts.api1, hosts.api2, hosts.worker1, hosts.worker2, hosts.lb])
        if (!h.running) throw new Error(`${h.name} exited (${h.exitNote()}): see ${ARTIFACTS}/${h.name}.log`);
      if (Date.now() - started > 180_000) throw new Error(`the API hosts were not UP within 180 s: see ${ARTIFACTS}`);
    }
    say('api1 and api2 UP behind the load balancer; worker1 and worker2 running');
    const base = lb.url;

    // The rate limit across hosts: one key sends 1.5 x its budget at once, spread over both API hosts.
    const rateStart = Date.now();
    let next = 0;
    const burst = Math.ceil(RATE_LIMIT * 1.5);
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next++ < burst) await call(base, 'rate-limit burst', keys.rate, '/v1/me');
      }),
    );
    const rateSamples = samples.filter((s) => s.op === 'rate-limit burst');
    const rate = {
      sent: rateSamples.length,
      ok: rateSamples.filter((s) => s.status === 200).length,
      refused: rateSamples.filter((s) => s.status === 429).length,
      okByHost: countBy(rateSamples.filter((s) => s.status === 200).map((s) => s.servedBy ?? '?')),
      seconds: (Date.now() - rateStart) / 1000,
    };
    say(
      `rate-limit burst: ${rate.ok} of ${rate.sent} answered 200 (${JSON.stringify(rate.okByHost)}) in ${rate.seconds.toFixed(1)} s`,
    );

    // The load, and the faults one after another while it runs.
    let faultsDone = false;
    let api3ReadySeconds = NaN;
    const loadStart = Date.now();
    const loadEndsAt = Date.now() + SECONDS * 1000;
    const loadOver = () => faultsDone && Date.now() >= loadEndsAt;
    const clients = keys.clients.map((k, n) => loadClient(base, k, n, loadOver));
    const imports = (async () => {
      await sleep(SECONDS * 200);
      await bulkImport(base, keys.institution, 1, Number(opts.importRows));
      say('bulk import 1 acknowledged');
      await sleep(SECONDS * 300);
      await bulkImport(base, keys.institution, 2, Number(opts.importRows));
      say('bulk import 2 acknowledged');
    })();
    const scale = SECONDS / 150;
    let probes = 0;
    const recovered = async (deadlineMs = 180_000) => {
      const id = await postDemand(base, keys.probe, `probe-${probes++}`, 'recovery probe', deadlineMs);
      for (const until = Date.now() + deadlineMs; Date.now() < until; await sleep(200)) {
        const ready = await queryOne<boolean>(
          pg.url,
          `SELECT embedding_status = 'ready' AS v FROM demands WHERE id = $1`,
          [id],
        );
        if (ready && (await allUp())) return Date.now();
      }
      throw new Error(`not recovered within ${deadlineMs / 1000} s`);
    };
    const fault = async (name: string, atSecond: number, act: () => Promise<string>) => {
      const wait = loadStart + atSecond * scale * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      const start = Date.now();
      say(`fault: ${name}`);
      const note = await act();
      const acted = Date.now();
      const done = await recovered();
      faults.push({ name, start, acted, recovered: done, note });
      say(`  recovered ${((done - start) / 1000).toFixed(1)} s after the fault began${note ? ` (${note})` : ''}`);
    };
    const faultRun = (async () => {
      await fault('API host api1 killed (SIGKILL), restarted after 8 s', 12, async () => {
        await hosts.api1.stop('SIGKILL');
        await sleep(8_000);
        startApi(hosts.api1, true);
        return '';
      });
      await fault('worker host worker1 killed (SIGKILL), restarted after 5 s', 30, async () => {
        await hosts.worker1.stop('SIGKILL');
        await sleep(5_000);
        startWorker(hosts.worker1);
        return '';
      });
      await fault('Redis killed (SIGKILL), restarted after 5 s', 48, async () => {
        await hosts.redis.stop('SIGKILL');
        await sleep(5_000);
        await redis.start();
        return `appendfsync ${opts.redisFsync}`;
      });
      await fault('api2 cut off the network for 30 s', 66, async () => {
        net('cut', 'api2');
        await sleep(30_000);
        net('mend', 'api2');
        return '';
      });
      await fault('PostgreSQL restarted (fast shutdown)', 104, async () => {
        const stopping = Date.now();
        await pg.stop();
        await pg.start();
        return `down ${((Date.now() - stopping) / 1000).toFixed(1)} s`;
      });
      await fault('API host api3 added from the shared snapshot folder', 120, async () => {
        const snapshot = readdirSync(snapshots).filter((f) => !f.startsWith('.'));
        net('add', PREFIX, `api3=${ADDRESSES.api3}`);
        const started = Date.now();
        startApi(hosts.api3, false);
        for (;;) {
          const ready = await fetch(`http://${hosts.api3.address}:${API_PORT}/health/ready`, {
            signal: AbortSignal.timeout(5_000),
          }).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ready) break;
          if (!hosts.api3.running) throw new Error(`api3 exited (${hosts.api3.exitNote()})`);
          if (Date.now() - started > 180_000) throw new Error('api3 not ready within 180 s');
          await sleep(250);
        }
        const readyIn = (Date.now() - started) / 1000;
        api3ReadySeconds = readyIn;
        expected.add('api3');
        return `/health/ready 200 after ${readyIn.toFixed(1)} s (target 60 s), snapshot folder: ${snapshot.join(' ') || 'empty'}`;
      });
      faultsDone = true;
    })();
    await faultRun;
    await Promise.all([...clients, imports]);
    say(`load over: ${samples.length} requests`);

    // Settle: every acknowledged demand and imported row embedded, every job relayed, every offer in an inbox.
    const demandIds = [...acked.values()].map((a) => a.id);
    const externalIds = importedExternalIds.map((e) => e.id);
    const settled = async () =>
      (await queryOne<boolean>(
        pg.url,
        `SELECT (SELECT count(*) FROM demands WHERE id = ANY($1::uuid[]) AND embedding_status = 'ready') = $2
            AND (SELECT count(*) FROM achievements WHERE external_id = ANY($3) AND embedding_status = 'ready') = $4
            AND NOT EXISTS (SELECT 1 FROM outbox WHERE relayed_at IS NULL)
            AND (SELECT count(*) FROM inbox_items) = (SELECT count(*) FROM lead_offers) AS v`,
        [demandIds, demandIds.length, externalIds, externalIds.length],
      )) === true;
    const settleFrom = Date.now();
    while (!(await settled()) && Date.now() - settleFrom < Number(opts.settle) * 1000) await sleep(1_000);
    say(`settled in ${((Date.now() - settleFrom) / 1000).toFixed(1)} s`);

    const result = await check(pg.url, rate, api3ReadySeconds);
    writeFileSync(join(ARTIFACTS, 'results.json'), JSON.stringify({ ...result, faults, rate }, null, 2));
    if (result.failures.length) {
      console.log(`\nFAILED:\n  ${result.failures.join('\n  ')}`);
      process.exitCode = 1;
    } else
      console.log('\nOK: no acknowledged write lost, every job done once, the rate limit held, 5xx only in faults');
    say(`done (${at().toFixed(0)} s in all)`);
    if (opts.keep) {
      console.log(`\ncluster left running: load balancer ${base}, PostgreSQL ${pg.url}, Redis ${redis.url}`);
      console.log(`keys: ${JSON.stringify(keys)}\nCtrl-C tears it down.`);
      await new Promise(() => undefined);
    }
  } finally {
    if (!opts.keep || process.exitCode) await tearDown();
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** What the machine lacks for a run, or undefined. */
function preflight(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for ip netns';
  try {
    net('check');
  } catch (e) {
    return `ip netns does not work here: ${String((e as { stdout?: string }).stdout ?? e).trim()}`;
  }
  for (const [bin, pkg] of [
    ['haproxy', 'haproxy'],
    ['redis-server', 'redis-server'],
  ])
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      return `${bin} is not installed: apt-get install -y ${pkg}`;
    }
  if (!existsSync('/usr/lib/postgresql/15/bin/postgres'))
    return 'PostgreSQL 15 is not installed: apt-get install -y postgresql-15';
  return undefined;
}

/** The checks after the run, and the table. */
async function check(url: string, rate: { ok: number; okByHost: Record<string, number> }, api3Ready: number) {
  const db = new Client({ connectionString: url });
  await db.connect();
  const q = async <T>(sql: string, params: unknown[] = []) => (await db.query<T & object>(sql, params)).rows;
  const demandIds = [...acked.values()].map((a) => a.id);
  const present = new Set(
    (await q<{ id: string }>('SELECT id FROM demands WHERE id = ANY($1::uuid[])', [demandIds])).map((r) => r.id),
  );
  const lostDemands = [...acked.entries()].filter(([, a]) => !present.has(a.id));
  const presentImports = new Set(
    (
      await q<{ external_id: string }>('SELECT external_id FROM achievements WHERE external_id = ANY($1)', [
        importedExternalIds.map((e) => e.id),
      ])
    ).map((r) => r.external_id),
  );
  const lostImports = importedExternalIds.filter((e) => !presentImports.has(e.id));
  const notEmbedded = (
    await q<{ n: string }>(
      `SELECT count(*) AS n FROM demands WHERE id = ANY($1::uuid[]) AND (embedding_status <> 'ready' OR embedding IS NULL)`,
      [demandIds],
    )
  )[0].n;
  // The title carries the Idempotency-Key: a key that made two demands is a write done twice.
  const duplicateDemands = await q<{ key: string; n: string }>(
    `SELECT substring(title FROM '【(.*)】') AS key, count(*) AS n FROM demands WHERE title LIKE '集群需求【%'
      GROUP BY 1 HAVING count(*) > 1`,
  );
  const writtenNotAcked = (
    await q<{ n: string }>(`SELECT count(*) AS n FROM demands WHERE substring(title FROM '【(.*)】') = ANY($1)`, [
      unacknowledged,
    ])
  )[0].n;
  const one = async (sql: string) => Number((await q<{ n: string }>(sql))[0].n);
  const counts = {
    demandsAcknowledged: acked.size,
    demandsUnacknowledged: unacknowledged.length,
    demandsWrittenButUnacknowledged: Number(writtenNotAcked),
    idempotencyKeysLeftInProgress: await one('SELECT count(*) AS n FROM idempotency_keys WHERE status_code IS NULL'),
    importedRowsAcknowledged: importedExternalIds.length,
    leads: await one('SELECT count(*) AS n FROM leads'),
    offers: await one('SELECT count(*) AS n FROM lead_offers'),
    inboxRows: await one('SELECT count(*) AS n FROM inbox_items'),
    deliveryRunsAboveOne: await one('SELECT count(*) AS n FROM inbox_items WHERE deliveries > 1'),
    outboxUnrelayed: await one('SELECT count(*) AS n FROM outbox WHERE relayed_at IS NULL'),
    importedNotEmbedded: await one(
      `SELECT count(*) AS n FROM achievements WHERE external_id LIKE 'cluster-import-%' AND embedding_status <> 'ready'`,
    ),
  };
  const duplicatePairs = await q<{ created: Date }>(
    `SELECT min(created_at) AS created FROM leads GROUP BY demand_id, partner_kind, partner_id HAVING count(*) > 1`,
  );
  const leadsInboxNotOffers = await q<{ created: Date }>(
    `SELECT l.created_at AS created FROM leads l
      WHERE (SELECT count(*) FROM inbox_items i WHERE i.lead_id = l.id)
         <> (SELECT count(*) FROM lead_offers o WHERE o.lead_id = l.id)`,
  );
  await db.end();

  // Each fault's window: from its start until it recovered, and 2 s more for answers in flight.
  const windows = faults.map((f) => ({ ...f, from: f.start, to: f.recovered + 2_000 }));
  // A request belongs to the first window its time overlaps (one sent before a fault may fail in it).
  const windowOf = (from: number, to = from) => windows.findIndex((w) => from <= w.to && to >= w.from);
  const loadSamples = samples.filter((s) => s.op !== 'rate-limit burst');
  const rows = [...windows.map((w) => w.name), 'outside any fault', 'all'].map((name, i) => {
    const inRow = (from: number, to = from) =>
      i === windows.length + 1 ? true : windowOf(from, to) === (i === windows.length ? -1 : i);
    const mine = loadSamples.filter((s) => inRow(s.start, s.end));
    const err5 = mine.filter((s) => s.status >= 500);
    const w = windows[i] as (typeof windows)[number] | undefined;
    return {
      fault: name,
      at: w ? ((w.start - t0) / 1000).toFixed(0) : '',
      requests: mine.length,
      ok: mine.filter((s) => s.status >= 200 && s.status < 300).length,
      client4xx: mine.filter((s) => s.status >= 400 && s.status < 500 && s.status !== 429).length,
      limited: mine.filter((s) => s.status === 429).length,
      server5xx: err5.length,
      byCode: Object.entries(countBy(err5.map((s) => `${s.status}${s.code === 'lb' ? '(lb)' : ''}`)))
        .map(([c, n]) => `${c}x${n}`)
        .join(' '),
      noAnswer: mine.filter((s) => s.status === 0).length,
      lost: [...lostDemands.map(([, a]) => a.at), ...lostImports.map((e) => e.at)].filter((t) => inRow(t)).length,
      duplicated:
        duplicateDemands.length * (i === windows.length + 1 ? 1 : 0) +
        [...duplicatePairs, ...leadsInboxNotOffers].filter((d) => inRow(d.created.getTime())).length,
      recovery: w ? ((w.recovered - w.start) / 1000).toFixed(1) : '',
    };
  });
  printTable(rows);
  const latencies = loadSamples
    .filter((s) => s.status === 200)
    .map((s) => s.end - s.start)
    .sort((a, b) => a - b);
  console.log(
    `\nlatency of 200s: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, p99 ${percentile(latencies, 99)} ms`,
  );
  console.log(
    `4xx by code: ${JSON.stringify(countBy(loadSamples.filter((s) => s.status >= 400 && s.status < 500).map((s) => `${s.status} ${s.code ?? ''}`)))}`,
  );
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(34)} ${v}`);

  const outside = rows[windows.length];
  const hostsServing = Object.keys(rate.okByHost).filter((h) => h.startsWith('api'));
  const failures = [
    lostDemands.length && `${lostDemands.length} acknowledged demands are not in PostgreSQL`,
    lostImports.length && `${lostImports.length} acknowledged imported rows are not in PostgreSQL`,
    Number(notEmbedded) && `${notEmbedded} acknowledged demands are not embedded`,
    counts.importedNotEmbedded && `${counts.importedNotEmbedded} imported achievements are not embedded`,
    duplicateDemands.length && `${duplicateDemands.length} Idempotency-Keys made more than one demand`,
    duplicatePairs.length && `${duplicatePairs.length} pairs have more than one lead`,
    leadsInboxNotOffers.length && `${leadsInboxNotOffers.length} leads are in inboxes more or fewer times than offered`,
    counts.outboxUnrelayed && `${counts.outboxUnrelayed} outbox rows not relayed`,
    counts.leads === 0 && 'no lead was made: the run did not exercise lead delivery',
    rate.ok > RATE_LIMIT &&
      `the rate limit let ${rate.ok} requests of one key through in a minute (limit ${RATE_LIMIT})`,
    hostsServing.length < 2 && `the rate-limit burst reached ${hostsServing.join(', ')} only, not both API hosts`,
    outside.server5xx && `${outside.server5xx} answers of 5xx outside every fault's window (${outside.byCode})`,
    !(api3Ready > 0) && 'the third API host never served /health/ready 200',
  ].filter(Boolean) as string[];
  if (api3Ready > 60) console.log(`\nnote: api3 took ${api3Ready.toFixed(1)} s to be ready, above the 60 s target`);
  const strays = loadSamples.filter((s) => s.status >= 500 && windowOf(s.start, s.end) === -1);
  return { rows, counts, failures, api3ReadySeconds: api3Ready, fiveHundredsOutsideFaults: strays };
}

function printTable(rows: Record<string, string | number>[]): void {
  const headers: [string, string][] = [
    ['fault', 'fault'],
    ['at', 'at s'],
    ['requests', 'requests'],
    ['ok', '2xx'],
    ['client4xx', '4xx'],
    ['limited', '429'],
    ['server5xx', '5xx'],
    ['byCode', '5xx by code'],
    ['noAnswer', 'no answer'],
    ['lost', 'lost writes'],
    ['duplicated', 'dup jobs'],
    ['recovery', 'recovery s'],
  ];
  const width = headers.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  console.log(`\n${line(headers.map(([, h]) => h))}`);
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(headers.map(([k]) => String(r[k]))));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
