/**
 * What reading credit costs on the paths that read it, on a market with many leads, next to a baseline git ref in
 * the same run and on the same database.
 *
 * The market (SQL, seeded once): 200 enterprises with 20,000 demands, 100 institutions with 20,000 achievements,
 * 20 transfer organisations with 100 brokers, and `--leads` leads over the last two years. A lead's stage is its
 * number modulo ten: offered; lapsed and offered again; declined after acceptance; contacted; negotiating; closed
 * lost; signed (registered, half settled on the exchange); signed and closed won; signed; accepted and left idle.
 * Every stage has its lead events and offers, as the lifecycle writes them.
 *
 * The paths, each timed `--rounds` times per build, the builds alternating:
 *   record        CreditService.record of one enterprise (its credit page)
 *   agency        CreditService.record of one transfer organisation (events of its five brokers)
 *   lead          summaries of a lead's three parties (the lead page)
 *   matches       summaries of 20 organisations (GET matches)
 *   assignment    summaries of all 100 brokers (every offer, under the assignment lock)
 *
 *   npm run bench:credit [-- --leads 100000 --rounds 5 --baseline f5572e9]
 *
 * Needs DATABASE_URL (a server: the script makes and drops a database of its own).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Command } from 'commander';
import { Pool } from 'pg';
import pino from 'pino';
import type { Actor } from '@app/access';
import { loadConfig } from '@app/config';
import type { CreditService, CreditSubject } from '@app/credit';
import { Db, runMigrations } from '@app/persistence';
import { baselineBuild, currentBuild, type Build } from './lib/builds';
import { withOwnDatabase } from './lib/services';
import { percentile } from './lib/stats';

const program = new Command()
  .option('--leads <n>', 'leads in the market', '100000')
  .option('--rounds <n>', 'timings per path and build', '5')
  .option('--baseline <ref>', 'the git ref to compare with', 'f5572e9')
  .parse();
const opts = program.opts<{ leads: string; rounds: string; baseline: string }>();
const ADMIN: Actor = { apiKeyId: 'bench', role: 'admin', organisationId: null, brokerId: null };

/** The market, in one statement per table (the lead plan in a temporary table). */
async function seed(db: Db, leads: number): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  await q(`INSERT INTO organisations (kind, name, region_code)
           SELECT k.kind::organisation_kind, k.kind || ' ' || i, '330106'
             FROM (VALUES ('enterprise', 200), ('university', 100), ('transfer_organisation', 20)) k(kind, n),
                  generate_series(1, k.n) i`);
  await q(`INSERT INTO brokers (organisation_id, name, expertise, content_hash)
           SELECT o.id, o.name || ' broker ' || j, 'technology transfer', md5(o.id::text || j)
             FROM organisations o, generate_series(1, 5) j WHERE o.kind = 'transfer_organisation'`);
  await q(`INSERT INTO demands (organisation_id, title, description, region_code, content_hash)
           SELECT (SELECT id FROM organisations WHERE kind = 'enterprise' ORDER BY name OFFSET i % 200 LIMIT 1),
                  'demand ' || i, 'a technical demand', '330106', md5('d' || i)
             FROM generate_series(0, 19999) i`);
  await q(`INSERT INTO achievements (organisation_id, title, abstract, readiness_level, region_code, content_hash)
           SELECT (SELECT id FROM organisations WHERE kind = 'university' ORDER BY name OFFSET i % 100 LIMIT 1),
                  'achievement ' || i, 'a result', 6, '330106', md5('a' || i)
             FROM generate_series(0, 19999) i`);
  // Lead i: demand i % 20000, achievement (i % 20000 + 37 * (i / 20000)) % 20000 (a pair once), broker i % 100.
  await q(
    `CREATE TEMP TABLE plan AS
     SELECT i, i % 10 AS stage, now() - (i % 730) * interval '1 day' - interval '3 days' AS at,
            d.ids[i % 20000 + 1] AS demand_id, a.ids[(i % 20000 + 37 * (i / 20000)) % 20000 + 1] AS achievement_id,
            b.ids[i % 100 + 1] AS broker_id, b.ids[(i + 1) % 100 + 1] AS second_broker_id
       FROM generate_series(0, $1 - 1) i,
            (SELECT array_agg(id ORDER BY title) ids FROM demands) d,
            (SELECT array_agg(id ORDER BY title) ids FROM achievements) a,
            (SELECT array_agg(id ORDER BY name) ids FROM brokers) b`,
    [leads],
  );
  await q(`ALTER TABLE plan ADD COLUMN lead_id uuid DEFAULT gen_random_uuid()`);
  const states = `(ARRAY['offered', 'offered', 'declined', 'contacted', 'negotiating', 'closed_lost',
                         'contract_signed', 'closed_won', 'contract_signed', 'accepted'])[stage + 1]`;
  await q(`INSERT INTO leads (id, demand_id, partner_kind, partner_id, origin, score, match, state, broker_id,
                              decline_reason, contract, created_at)
           SELECT lead_id, demand_id, 'achievement', achievement_id, 'matching', 0.8, '{}', (${states})::lead_state,
                  CASE WHEN stage = 1 THEN second_broker_id WHEN stage IN (2, 5) THEN NULL ELSE broker_id END,
                  CASE WHEN stage = 2 THEN 'price_mismatch'::decline_reason END,
                  CASE WHEN stage IN (6, 7, 8)
                       THEN jsonb_build_object('registrationNumber', '20263305' || lpad(i::text, 8, '0'),
                                               'settledOnExchange', i % 2 = 0) END,
                  at
             FROM plan`);
  await q(`INSERT INTO lead_offers (lead_id, broker_id, attempt, reasons, offered_at, due_at, outcome, responded_at)
           SELECT lead_id, broker_id, 1, '{}'::jsonb, at, at + interval '2 days',
                  CASE WHEN stage = 0 THEN NULL WHEN stage = 1 THEN 'expired' ELSE 'accepted' END::offer_outcome,
                  CASE WHEN stage >= 2 THEN at + interval '2 hours' END
             FROM plan
           UNION ALL
           SELECT lead_id, second_broker_id, 2, '{}'::jsonb, at + interval '2 days', at + interval '4 days', NULL, NULL
             FROM plan WHERE stage = 1`);
  // Each stage's path through the lifecycle, an hour per step from the offer's answer.
  await q(`INSERT INTO lead_events (lead_id, from_state, to_state, actor, at)
           SELECT p.lead_id, s.from_state::lead_state, s.to_state::lead_state, 'bench', p.at + s.n * interval '1 hour'
             FROM plan p
             CROSS JOIN LATERAL (
               SELECT * FROM (VALUES
                 (0, NULL, 'unassigned', true), (1, 'unassigned', 'offered', true),
                 (48, 'offered', 'unassigned', p.stage = 1), (49, 'unassigned', 'offered', p.stage = 1),
                 (2, 'offered', 'accepted', p.stage >= 2),
                 (3, 'accepted', 'declined', p.stage = 2),
                 (3, 'accepted', 'contacted', p.stage BETWEEN 3 AND 8),
                 (4, 'contacted', 'negotiating', p.stage BETWEEN 4 AND 8),
                 (5, 'negotiating', 'closed_lost', p.stage = 5),
                 (5, 'negotiating', 'contract_signed', p.stage IN (6, 7, 8)),
                 (6, 'contract_signed', 'closed_won', p.stage = 7)
               ) v(n, from_state, to_state, happens) WHERE happens
             ) s`);
  await q('ANALYZE');
}

interface Subjects {
  enterprise: CreditSubject;
  agency: CreditSubject;
  lead: CreditSubject[];
  matches: CreditSubject[];
  brokers: CreditSubject[];
}

async function subjects(db: Db): Promise<Subjects> {
  const orgs = (kind: string, n: number) =>
    db.query<{ id: string }>('SELECT id FROM organisations WHERE kind = $1 ORDER BY name LIMIT $2', [kind, n]);
  const organisation = (r: { id: string }): CreditSubject => ({ kind: 'organisation', id: r.id });
  const [enterprise] = await orgs('enterprise', 1);
  const [agency] = await orgs('transfer_organisation', 1);
  const [lead] = await db.query<{ d: string; a: string; b: string }>(
    `SELECT d.organisation_id d, a.organisation_id a, l.broker_id b
       FROM leads l JOIN demands d ON d.id = l.demand_id JOIN achievements a ON a.id = l.partner_id
      WHERE l.state = 'contract_signed' LIMIT 1`,
  );
  const brokers = await db.query<{ id: string }>('SELECT id FROM brokers');
  return {
    enterprise: organisation(enterprise),
    agency: organisation(agency),
    lead: [organisation({ id: lead.d }), organisation({ id: lead.a }), { kind: 'broker', id: lead.b }],
    matches: (await orgs('university', 20)).map(organisation),
    brokers: brokers.map((r) => ({ kind: 'broker', id: r.id })),
  };
}

/** The build's CreditService on this database: its own sources, this checkout's libraries around them. */
async function creditServiceOf(build: Build, db: Db): Promise<CreditService> {
  const load = async <T>(file: string, name: string) =>
    ((await import(join(build.dir, 'libs/credit/src', file))) as Record<string, new (...args: unknown[]) => T>)[name];
  const repository = async (file: string, name: string) => new (await load<object>(file, name))(db);
  return new (await load<CreditService>('credit.service.ts', 'CreditService'))(
    loadConfig(),
    await repository('credit-events.repository.ts', 'CreditEventsRepository'),
    await repository('credit-rules.repository.ts', 'CreditRulesRepository'),
    await repository('credit-reports.repository.ts', 'CreditReportsRepository'),
  );
}

const PATHS: Record<string, (s: CreditService, x: Subjects) => Promise<unknown>> = {
  record: (s, x) => s.record(ADMIN, 'organisation', x.enterprise.id),
  agency: (s, x) => s.record(ADMIN, 'organisation', x.agency.id),
  lead: (s, x) => s.summaries(x.lead),
  matches: (s, x) => s.summaries(x.matches),
  assignment: (s, x) => s.summaries(x.brokers),
};

async function main(): Promise<void> {
  const leads = Number(opts.leads);
  const rounds = Number(opts.rounds);
  const builds = [baselineBuild(opts.baseline), currentBuild()];
  try {
    await withOwnDatabase('bench_credit', async (url) => {
      await runMigrations(url, pino({ level: 'warn' }));
      const pool = new Pool({ connectionString: url, max: 4 });
      const db = new Db(pool);
      try {
        let t = performance.now();
        await seed(db, leads);
        const [{ n }] = await db.query<{ n: string }>('SELECT count(*) n FROM lead_events');
        console.log(`seeded ${leads} leads, ${n} lead events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        const x = await subjects(db);
        const services = await Promise.all(builds.map((b) => creditServiceOf(b, db)));
        // Both builds must agree before their times mean anything.
        for (const [name, path] of Object.entries(PATHS)) {
          const [a, b] = await Promise.all(services.map((s) => path(s, x).then(comparable)));
          if (a !== b) throw new Error(`${name}: ${builds[0].name} and ${builds[1].name} disagree`);
        }
        const ms: Record<string, number[][]> = Object.fromEntries(Object.keys(PATHS).map((p) => [p, [[], []]]));
        for (let r = 0; r < rounds; r++)
          for (const [name, path] of Object.entries(PATHS))
            for (const i of r % 2 ? [1, 0] : [0, 1]) {
              t = performance.now();
              await path(services[i], x);
              ms[name][i].push(performance.now() - t);
            }
        console.log(`median of ${rounds} rounds, ms: ${builds.map((b) => `${b.name} (${b.commit})`).join(' | ')}`);
        for (const [name, [base, cur]] of Object.entries(ms))
          console.log(
            `  ${name.padEnd(11)} ${median(base).toFixed(1).padStart(9)} ${median(cur).toFixed(1).padStart(9)}` +
              `   ${(median(base) / median(cur)).toFixed(1)}x`,
          );
      } finally {
        await pool.end();
      }
    });
  } finally {
    for (const b of builds) b.dispose();
  }
}

/**
 * A summary map or a record as JSON, map entries in order (the builds may order them differently) and without the
 * score's window (it ends at the instant of the call).
 */
function comparable(result: unknown): string {
  const plain =
    result instanceof Map ? [...(result as Map<string, unknown>)].sort(([a], [b]) => a.localeCompare(b)) : result;
  return JSON.stringify(plain, (key, value: unknown) => (key === 'window' ? undefined : value));
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
