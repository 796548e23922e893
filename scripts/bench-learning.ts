/**
 * Does the ranking learn from outcomes? A simulated market, run twice from the same seed: once with the configured
 * weights throughout (`static`), once with learn-weights after every round (`learned`).
 *
 * - Achievements: the CSL dev abstracts (../shared/eval-data/csl-dev), each held by one of 20 institutions, with a
 *   random county of Zhejiang, readiness level and asking price. Demands: the papers' titles with their keywords as
 *   the description ("the other side"), from 20 enterprises, with a random county, budget and minimum readiness.
 *   The demand of paper i is served by the abstract of paper i (the external label for nDCG).
 * - Brokers accept a lead with a probability from a hidden utility over its score parts, e.g. region and price
 *   weigh more and keywords less than the defaults (`--hidden region-price`), exactly the defaults (`default`), or
 *   a coin (`random`); a declined lead names the worst part as its reason (price, readiness, field).
 * - Each round: new demands are stored with their vectors and `generate-leads` runs for each through
 *   LeadGenerationService (the real matcher, bar, exploration and candidate log, in the database); every new lead is
 *   offered to a broker (LeadOffersService) and answered through LeadLifecycleService; in the learned arm,
 *   LeadLearningService fits a version and the switch-on rule decides. Jobs the offers write to the outbox are not
 *   run: delivery plays no part in the market.
 * Printed per round and arm: leads made, the accepted share of the round's new leads, nDCG@10 of held-out demands
 * (MatchingService.forDemand), and the weights in force.
 *
 *   npm run bench:learning [-- --rounds 5 --per-round 200 --held-out 200 --hidden region-price --json]
 *
 * Needs DATABASE_URL (a server: each arm makes and drops a database of its own) and Redis.
 */
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import pino from 'pino';
import type { Actor } from '@app/access';
import { ConfigModule, DEFAULT_MATCH_WEIGHTS } from '@app/config';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { LearningService, total } from '@app/learning';
import {
  LeadGenerationService,
  LeadLearningService,
  LeadLifecycleService,
  LeadsModule,
  LeadViewsService,
  type DeclineReason,
} from '@app/leads';
import { MatchingModule, MatchingService } from '@app/matching';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule, runMigrations } from '@app/persistence';
import { OrganisationsService, ProfilesModule, type ProfileInput } from '@app/profiles';
import { SearchIndexService, VectorIndexModule } from '@app/vector-index';
import { readCsl } from './lib/csl';
import { mean, ndcgAt } from './lib/retrieval-metrics';
import { withOwnDatabase } from './lib/services';
import { embeddedStore } from './lib/store-embedded';

const program = new Command()
  .option('--csl <dir>', 'a CSL split', join(__dirname, '../../shared/eval-data/csl-dev'))
  .option('--rounds <n>', 'rounds of generate -> outcomes -> learn', '5')
  .option('--per-round <n>', 'new demands per round', '200')
  .option('--held-out <n>', 'demands kept for nDCG, never made leads of', '200')
  .option('--hidden <utility>', 'what brokers want: region-price, default or random', 'region-price')
  .option('--seed <n>', 'seed of the market and of the brokers', '1')
  .option('--json', 'print the last round as one JSON object')
  .parse();
const opts = program.opts<{
  csl: string;
  rounds: string;
  perRound: string;
  heldOut: string;
  hidden: string;
  seed: string;
  json?: boolean;
}>();

/** The brokers' hidden utility over score parts; accepted with probability sigmoid(SLOPE * (utility - MIDPOINT)). */
const HIDDEN: Record<string, Record<string, number> | null> = {
  'region-price': { semantic: 0.2, keywords: 0.02, industry: 0.03, region: 0.35, readiness: 0.1, price: 0.3 },
  default: DEFAULT_MATCH_WEIGHTS,
  random: null,
};
const SLOPE = 14;
const MIDPOINT = 0.8;
const COUNTIES = ['330102', '330106', '330110', '330205', '330302', '330402', '330502', '330602', '330702', '331002'];
const ADMIN: Actor = { apiKeyId: 'bench', role: 'admin', organisationId: null, brokerId: null };

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forProcess('bench-learning'),
    PersistenceModule,
    JobsModule,
    EmbeddingModule,
    ProfilesModule,
    VectorIndexModule,
    MatchingModule,
    LeadsModule,
  ],
})
class BenchModule {}

/** A seeded generator (the two arms see the same market and the same brokers' coins). */
function generator(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

interface RoundResult {
  round: number;
  leads: number;
  acceptedShare: number;
  ndcg10: number;
  outcomes: number;
  weightsVersion: number | null;
  weights: Record<string, number>;
  /** The version fitted after this round (learned arm), switched on or not. */
  fitted: { id: number; status: string; weights: Record<string, number> } | null;
}

const vectors = new Map<string, Float32Array>(); // text -> vector, shared by the two arms

async function arm(learned: boolean, databaseUrl: string): Promise<RoundResult[]> {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    INDEX_SNAPSHOT_DIR: '',
    INDEX_SYNC_MS: '3600000',
    LEADS_PER_PROFILE: '2',
  });
  await runMigrations(databaseUrl, pino({ level: 'warn' }));
  const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const say = (m: string) => opts.json || console.error(m);
  try {
    const db = context.get(Db);
    const index = context.get(SearchIndexService);
    const organisations = context.get(OrganisationsService);
    const generation = context.get(LeadGenerationService);
    const lifecycle = context.get(LeadLifecycleService);
    const views = context.get(LeadViewsService);
    const learning = context.get(LeadLearningService);
    const weights = context.get(LearningService);
    const matching = context.get(MatchingService);
    const random = generator(Number(opts.seed));
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

    const store = embeddedStore(context, vectors);

    const papers = readCsl(opts.csl);
    const institutions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        organisations.create('system', { kind: 'university', name: `高校 ${i + 1}`, regionCode: COUNTIES[i % 10] }),
      ),
    );
    const enterprises = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        organisations.create('system', { kind: 'enterprise', name: `企业 ${i + 1}`, regionCode: COUNTIES[i % 10] }),
      ),
    );
    const office = await organisations.create('system', {
      kind: 'transfer_organisation',
      name: '技术转移中心',
      regionCode: '330100',
    });
    const brokers: Actor[] = [];
    for (let i = 0; i < 10; i++) {
      const { id } = await store('broker', office.id, {
        name: `经纪人 ${i + 1}`,
        expertise: '科技成果转化与技术转移',
        regionCodes: ['330000'],
        capacity: 1000,
      });
      brokers.push({ apiKeyId: `broker-${i}`, role: 'broker', organisationId: office.id, brokerId: id });
    }
    const achievementOf = new Map<number, string>();
    for (const [i, p] of papers.entries()) {
      const { id } = await store('achievement', pick(institutions).id, {
        title: `论文成果 ${i + 1}`,
        abstract: p.abstract,
        readinessLevel: 3 + Math.floor(random() * 7),
        askingPrice: 100_000 * (1 + Math.floor(random() * 50)),
        regionCode: pick(COUNTIES),
        cooperationModes: [pick(['transfer', 'licence', 'joint_development'] as const)],
      });
      achievementOf.set(i, id);
      if ((i + 1) % 250 === 0) say(`  ${i + 1} / ${papers.length} achievements stored`);
    }
    const demandValues = (i: number): ProfileInput<'demand'> => {
      const budgetMax = 100_000 * (2 + Math.floor(random() * 40));
      return {
        title: papers[i].title.slice(0, 200),
        description: papers[i].keywords.join('、'),
        regionCode: pick(COUNTIES),
        minReadinessLevel: 3 + Math.floor(random() * 5),
        budgetMin: Math.round(budgetMax / 4),
        budgetMax,
        cooperationModes: [pick(['transfer', 'licence', 'joint_development'] as const)],
      };
    };
    // Papers in a fixed shuffled order: the first held out for nDCG, the next ones the rounds' demands.
    const order = papers.map((_, i) => i).sort(() => random() - 0.5);
    const heldOut = order.slice(0, Number(opts.heldOut));
    const heldOutIds = new Map<string, number>();
    for (const i of heldOut) heldOutIds.set((await store('demand', pick(enterprises).id, demandValues(i))).id, i);
    await index.syncAll();

    const hidden = HIDDEN[opts.hidden];
    if (hidden === undefined) throw new Error(`--hidden must be one of ${Object.keys(HIDDEN).join(', ')}`);
    const results: RoundResult[] = [];
    let next = heldOut.length;
    for (let round = 1; round <= Number(opts.rounds); round++) {
      const batch = order.slice(next, next + Number(opts.perRound));
      next += batch.length;
      const stored = [];
      for (const i of batch) stored.push(await store('demand', pick(enterprises).id, demandValues(i)));
      await index.syncAll();
      const before = new Set((await db.query<{ id: string }>('SELECT id FROM leads')).map((r) => r.id));
      for (const d of stored) await generation.generateFor({ kind: 'demand', ...d });
      const fresh = (await db.query<{ id: string }>('SELECT id FROM leads')).filter((r) => !before.has(r.id));
      let accepted = 0;
      for (const { id } of fresh) {
        const lead = await views.view(ADMIN, id, {});
        if (lead.state !== 'offered' || !lead.brokerId) continue;
        const broker = brokers.find((b) => b.brokerId === lead.brokerId)!;
        const parts = Object.fromEntries(lead.match.parts.map((p) => [p.name, p.value]));
        const p = hidden ? 1 / (1 + Math.exp(-SLOPE * (total(hidden, parts) - MIDPOINT))) : 0.4;
        if (random() < p) {
          await lifecycle.transition(broker, id, { to: 'accepted' });
          accepted++;
        } else {
          await lifecycle.transition(broker, id, { to: 'declined', reason: reasonOf(parts), note: '模拟' });
        }
      }
      const version = learned ? await learning.learn() : null;
      const inForce = await weights.current();
      const ndcg: number[] = [];
      for (const [demandId, i] of heldOutIds) {
        const served = achievementOf.get(i);
        const ranked = (await matching.forDemand(ADMIN, demandId, 'achievement', {}, 10)).map((m) => m.id);
        ndcg.push(
          ndcgAt(
            ranked.map((id) => (id === served ? 1 : 0)),
            new Set([1]),
            10,
          ),
        );
      }
      const outcomes = (await learning.outcomes()).length;
      const result: RoundResult = {
        round,
        leads: fresh.length,
        acceptedShare: fresh.length ? accepted / fresh.length : 0,
        ndcg10: 100 * mean(ndcg),
        outcomes,
        weightsVersion: inForce.version,
        weights: inForce.weights,
        fitted: version && { id: version.id, status: version.status, weights: version.weights },
      };
      results.push(result);
      say(
        `  ${learned ? 'learned' : 'static '} round ${round}: ${fresh.length} leads, accepted ${(100 * result.acceptedShare).toFixed(1)}%, nDCG@10 ${result.ndcg10.toFixed(1)}, ${outcomes} outcomes, weights ${inForce.version ?? 'configured'}`,
      );
    }
    return results;
  } finally {
    await context.close();
  }
}

/** A decline names the part that looked worst to the broker. */
function reasonOf(parts: Record<string, number>): DeclineReason {
  if ((parts.price ?? 1) < 0.6) return 'price_mismatch';
  if ((parts.readiness ?? 1) < 0.75) return 'too_early_stage';
  if ((parts.semantic ?? 1) < 0.5) return 'wrong_field';
  return 'other';
}

async function main(): Promise<void> {
  const started = Date.now();
  const server = process.env.DATABASE_URL;
  const stat = await withOwnDatabase('techtransfer_learn_static', (url) => arm(false, url));
  process.env.DATABASE_URL = server; // an arm points it at its own database
  const learned = await withOwnDatabase('techtransfer_learn_learned', (url) => arm(true, url));
  const last = (r: RoundResult[]) => r[r.length - 1];
  const summary = {
    static: { acceptedShare: last(stat).acceptedShare, ndcg10: last(stat).ndcg10 },
    learned: {
      acceptedShare: last(learned).acceptedShare,
      ndcg10: last(learned).ndcg10,
      weights: last(learned).weights,
      lastFitted: last(learned).fitted,
    },
    outcomes: last(learned).outcomes,
  };
  if (opts.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(`hidden utility ${opts.hidden}; ${opts.rounds} rounds of ${opts.perRound} demands`);
  console.log('round  static: leads accepted nDCG@10   learned: leads accepted nDCG@10 outcomes version');
  stat.forEach((s, i) => {
    const l = learned[i];
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
    console.log(
      `${String(s.round).padStart(5)}  ${String(s.leads).padStart(13)} ${pct(s.acceptedShare)} ${s.ndcg10.toFixed(1).padStart(7)}   ${String(l.leads).padStart(14)} ${pct(l.acceptedShare)} ${l.ndcg10.toFixed(1).padStart(7)} ${String(l.outcomes).padStart(8)} ${l.weightsVersion ?? 'configured'}`,
    );
  });
  const lift = summary.learned.acceptedShare / Math.max(summary.static.acceptedShare, 1e-9) - 1;
  console.log(`\nlast round: accepted share ${(100 * lift).toFixed(1)}% relative to static weights`);
  const listed = (w: Record<string, number>) =>
    Object.entries(w)
      .map(([n, x]) => `${n} ${x.toFixed(2)}`)
      .join(', ');
  console.log(`weights in force: ${listed(summary.learned.weights)}`);
  const fitted = summary.learned.lastFitted;
  if (fitted) console.log(`last fitted version ${fitted.id} (${fitted.status}): ${listed(fitted.weights)}`);
  console.log(`${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
