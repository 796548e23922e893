/**
 * Matching quality, through the service's own classes, on two kinds of data:
 * - demand-like text: the Chinese patents with citation links (../shared/eval-data/cn-patent-citations; a citing patent
 *   stands for a demand, title as its title and abstract as its description, the patents it cites for the achievements
 *   that serve it); tasks `strict` and `company-to-academic`;
 * - scientific papers (../shared/eval-data/csl-dev): abstracts as achievements, and as demands a paper's title
 *   (`csl-title`), its keywords (`csl-keywords`), or a discipline's name (`csl-discipline`, all its papers relevant).
 * Every record is stored and embedded as the worker would. Three rankings of the same index, side by side:
 *   dense    the demand's stored vector against the HNSW index (hard constraints applied), as candidates are found
 *   lexical  BM25 over the public text (the index's lexical collection)
 *   matcher  MatchingService.forDemand, the code path of GET /v1/demands/:id/matches (candidates, score parts,
 *            weights, duplicate folding), asked for 100 results
 * With --analysers, the lexical analysers side by side as well: BM25 over jieba words (the taxonomies' names added
 * to its dictionary) and over bigrams and words together, each alone and fused 1:1 with dense by reciprocal rank
 * (bigrams, the shipped one, are `lexical`).
 * For each task: nDCG@10, MRR@10 and Recall@100 (the query's own patent left out), with a bootstrap 95% interval of
 * nDCG@10 over the queries. Only a task's pool is live (the rest are drafts): company-to-academic keeps the academic
 * and mixed applicants' patents.
 *
 *   npm run eval:matching [-- --corpus FILE --qrels strict=FILE,company-to-academic=FILE --csl DIR --analysers --json]
 *
 * Needs DATABASE_URL (a server; the script makes and drops a database of its own) and Redis.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import pino from 'pino';
import type { Actor } from '@app/access';
import { ConfigModule } from '@app/config';
import { EmbeddingModule, EmbeddingService } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { MatchingModule, MatchingService, reciprocalRankFusion } from '@app/matching';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule, runMigrations } from '@app/persistence';
import { embeddingText, OrganisationsService, ProfilesModule } from '@app/profiles';
import { LexicalCollection, SearchIndexService, VectorIndexModule } from '@app/vector-index';
import { ANALYSERS } from './lib/analysers';
import { readCsl } from './lib/csl';
import { mean, mrrAt, ndcgAt, recallAt } from './lib/retrieval-metrics';
import { withOwnDatabase } from './lib/services';
import { embeddedStore } from './lib/store-embedded';

const DATA = join(__dirname, '../../shared/eval-data/cn-patent-citations');
const program = new Command()
  .option('--corpus <file>', 'patents, JSON Lines', join(DATA, 'corpus.jsonl'))
  .option(
    '--qrels <tasks>',
    'task=qrels file, comma separated (empty: skip the patent tasks)',
    `strict=${join(DATA, 'qrels-strict-dev.tsv')},company-to-academic=${join(DATA, 'qrels-company-to-academic-dev.tsv')}`,
  )
  .option('--csl <dir>', 'a CSL split (empty: skip the CSL tasks)', join(__dirname, '../../shared/eval-data/csl-dev'))
  .option('--bootstrap <n>', 'bootstrap resamples of the queries', '1000')
  .option('--analysers', 'compare the lexical analysers too')
  .option('--json', 'print the numbers as one JSON object')
  .parse();

interface Patent {
  id: string;
  applicants: string;
  title: string;
  abstract: string;
  applicant_kind: string;
}

/** A record of a corpus, by the external id it is stored under. */
interface Doc {
  externalId: string;
  /** Who holds it: a patent's applicants, one organisation for the papers. */
  owner: string;
  title: string;
  abstract: string;
}

/** One task: demands (by key) with their text, their relevant documents, and the documents live meanwhile. */
interface Task {
  name: string;
  queries: Map<string, { title: string; description: string; relevant: Set<string>; self?: string }>;
  pool: Set<string>;
}

const METHODS = ['dense', 'lexical', 'matcher'] as const;
const ANALYSER_METHODS = ['fused-bigrams', ...Object.keys(ANALYSERS).flatMap((a) => [`lexical-${a}`, `fused-${a}`])];
type Method = string;
const ADMIN: Actor = { apiKeyId: 'eval', role: 'admin', organisationId: null, brokerId: null };
const ACADEMIC = new Set(['academic', 'mixed']);

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forProcess('eval'),
    PersistenceModule,
    JobsModule,
    EmbeddingModule,
    ProfilesModule,
    VectorIndexModule,
    MatchingModule,
  ],
})
class EvalModule {}

function readQrels(file: string): Map<string, Set<string>> {
  const qrels = new Map<string, Set<string>>();
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [query, doc] = line.split('\t');
    if (!query || !doc) continue;
    if (!qrels.has(query)) qrels.set(query, new Set());
    qrels.get(query)!.add(doc);
  }
  return qrels;
}

/** The 2.5th and 97.5th percentiles of the mean over resampled queries (a fixed seed: runs compare). */
function bootstrap(values: readonly number[], resamples: number): [number, number] {
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const means = Array.from({ length: resamples }, () =>
    mean(Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)])),
  ).sort((a, b) => a - b);
  return [means[Math.floor(resamples * 0.025)], means[Math.floor(resamples * 0.975)]];
}

async function evaluate(databaseUrl: string): Promise<void> {
  const opts = program.opts<{
    corpus: string;
    qrels: string;
    csl: string;
    bootstrap: string;
    analysers?: boolean;
    json?: boolean;
  }>();
  const methods = [...METHODS, ...(opts.analysers ? ANALYSER_METHODS : [])];
  Object.assign(process.env, { DATABASE_URL: databaseUrl, INDEX_SNAPSHOT_DIR: '', INDEX_SYNC_MS: '3600000' });
  const say = (m: string) => opts.json || console.error(m);
  // Before the services start: the search index would otherwise find no tables and retry.
  await runMigrations(databaseUrl, pino({ level: 'warn' }));
  const context = await NestFactory.createApplicationContext(EvalModule, { logger: ['error', 'warn'] });
  try {
    const db = context.get(Db);
    const embedding = context.get(EmbeddingService);
    const index = context.get(SearchIndexService);
    const matching = context.get(MatchingService);
    const organisations = context.get(OrganisationsService);

    const { docs, tasks } = readTasks(opts);
    const store = embeddedStore(context);

    const started = Date.now();
    const seconds = () => Math.round((Date.now() - started) / 1000);
    // One organisation per applicant, as a real catalogue has: duplicate folding works within one organisation.
    const owners = new Map<string, string>();
    const ownerOf = async (name: string) => {
      if (!owners.has(name))
        owners.set(name, (await organisations.create('system', { kind: 'university', name, regionCode: '330100' })).id);
      return owners.get(name)!;
    };
    const docOf = new Map<string, string>(); // achievement id -> external id
    const textOf = new Map<string, string>(); // achievement id -> its public text
    for (const [i, d] of docs.entries()) {
      const values = { title: d.title, abstract: d.abstract, readinessLevel: 5, regionCode: '330100' };
      const { id } = await store('achievement', await ownerOf(d.owner), { ...values, externalId: d.externalId });
      docOf.set(id, d.externalId);
      textOf.set(id, embeddingText('achievement', values));
      if ((i + 1) % 1000 === 0) say(`${i + 1} / ${docs.length} achievements embedded (${seconds()} s)`);
    }
    const enterprise = await organisations.create('system', {
      kind: 'enterprise',
      name: '需求方',
      regionCode: '330100',
    });
    const demandOf = new Map<string, string>(); // task/query key -> demand id
    for (const task of tasks)
      for (const [key, q] of task.queries) {
        const values = { title: q.title, description: q.description, regionCode: '330100' };
        demandOf.set(`${task.name}/${key}`, (await store('demand', enterprise.id, values)).id);
      }
    say(`${docs.length} achievements and ${demandOf.size} demands stored and embedded (${seconds()} s)`);

    const results: Record<string, Record<Method, Scores>> = {};
    for (const task of tasks) {
      // Only the task's pool is live: the others are drafts, which the hard constraints leave out of every ranking.
      await db.query(
        `UPDATE achievements SET status = CASE WHEN external_id = ANY($1::text[]) THEN 'listed' ELSE 'draft' END::achievement_status`,
        [[...task.pool]],
      );
      await index.syncAll();
      const empty = () => ({ ndcg: [] as number[], mrr: [] as number[], recall: [] as number[] });
      const scores: Record<Method, ReturnType<typeof empty>> = Object.fromEntries(methods.map((m) => [m, empty()]));
      const live = (m: { status: string; public: boolean }) => m.status === 'listed' && m.public;
      const other = opts.analysers ? analysed(docOf, textOf, task.pool) : {};
      for (const [key, q] of task.queries) {
        const demandId = demandOf.get(`${task.name}/${key}`)!;
        const vector = index.vectorOf('demand', demandId)!;
        const text = embeddingText('demand', { title: q.title, description: q.description });
        const rankings: Record<Method, string[]> = {
          dense: index.dense('achievement', vector, 101, live).hits.map((h) => h.id),
          lexical: index.lexical('achievement', text, 101, live).map((h) => h.id),
          // A folded duplicate (the same result listed twice) is shown with the one kept, so it ranks with it.
          matcher: (await matching.forDemand(ADMIN, demandId, 'achievement', {}, 100)).flatMap((m) => [
            m.id,
            ...(m.alsoListedAs ?? []).map((a) => a.id),
          ]),
        };
        if (opts.analysers) {
          const fused = (lexical: string[]) => reciprocalRankFusion([rankings.dense, lexical]).map((f) => f.id);
          rankings['fused-bigrams'] = fused(rankings.lexical);
          for (const [name, collection] of Object.entries(other)) {
            rankings[`lexical-${name}`] = collection.search(text, 101).map((h) => h.id);
            rankings[`fused-${name}`] = fused(rankings[`lexical-${name}`]);
          }
        }
        for (const method of methods) {
          // External ids; a query that is itself a document (a citing patent) is left out of its own ranking.
          const ranked = rankings[method].map((id) => docOf.get(id)!).filter((id) => id !== q.self);
          const numbered = ranked.map((id) => numberOf(id));
          const wanted = new Set([...q.relevant].map((id) => numberOf(id)));
          scores[method].ndcg.push(ndcgAt(numbered, wanted, 10));
          scores[method].mrr.push(mrrAt(numbered, wanted, 10));
          scores[method].recall.push(recallAt(numbered, wanted, 100));
        }
      }
      results[task.name] = Object.fromEntries(
        methods.map((m) => [
          m,
          {
            ndcg10: 100 * mean(scores[m].ndcg),
            mrr10: 100 * mean(scores[m].mrr),
            recall100: 100 * mean(scores[m].recall),
            ndcg10Interval: bootstrap(scores[m].ndcg, Number(opts.bootstrap)).map((x) => 100 * x) as [number, number],
            queries: task.queries.size,
          },
        ]),
      );
      say(`${task.name}: ${task.queries.size} queries (${seconds()} s)`);
    }

    if (opts.json) {
      console.log(JSON.stringify(results));
      return;
    }
    console.log(`model ${embedding.modelId}; x100`);
    for (const [task, byMethod] of Object.entries(results)) {
      console.log(`\n${task} (${byMethod.dense.queries} queries)   nDCG@10  95% interval  MRR@10  Recall@100`);
      for (const m of methods) {
        const r = byMethod[m];
        const [lo, hi] = r.ndcg10Interval.map((x) => x.toFixed(1));
        console.log(
          `  ${m.padEnd(24)} ${r.ndcg10.toFixed(1).padStart(6)}  ${`${lo}-${hi}`.padStart(12)}  ${r.mrr10.toFixed(1).padStart(6)}  ${r.recall100.toFixed(1).padStart(10)}`,
        );
      }
    }
    console.log(`\n${seconds()} s`);
  } finally {
    await context.close();
  }
}

/** The task's pool indexed by each analyser compared with the shipped bigrams. */
function analysed(docOf: Map<string, string>, textOf: Map<string, string>, pool: Set<string>) {
  return Object.fromEntries(
    Object.entries(ANALYSERS).map(([name, analyse]) => {
      const collection = new LexicalCollection(analyse);
      for (const [id, externalId] of docOf) if (pool.has(externalId)) collection.upsert(id, textOf.get(id)!);
      return [name, collection];
    }),
  );
}

interface Scores {
  ndcg10: number;
  mrr10: number;
  recall100: number;
  ndcg10Interval: [number, number];
  queries: number;
}

const numbers = new Map<string, number>();
/** A stable number per external id, as the metrics count documents. */
function numberOf(externalId: string): number {
  if (!numbers.has(externalId)) numbers.set(externalId, numbers.size);
  return numbers.get(externalId)!;
}

/** The corpora as achievements to store, and the tasks over them. */
function readTasks(opts: { corpus: string; qrels: string; csl: string }): { docs: Doc[]; tasks: Task[] } {
  const patents = readFileSync(opts.corpus, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Patent);
  const byId = new Map(patents.map((p) => [p.id, p]));
  const docs: Doc[] = patents.map((p) => ({
    externalId: p.id,
    owner: p.applicants || '申请人不详',
    title: p.title,
    abstract: p.abstract,
  }));
  const tasks: Task[] = (opts.qrels ? opts.qrels.split(',') : []).map((t) => {
    const [name, file] = t.split('=');
    const academicOnly = name === 'company-to-academic';
    const pool = new Set(patents.filter((p) => !academicOnly || ACADEMIC.has(p.applicant_kind)).map((p) => p.id));
    const queries: Task['queries'] = new Map();
    for (const [query, relevant] of readQrels(file)) {
      const p = byId.get(query);
      if (p) queries.set(query, { title: p.title, description: p.abstract, relevant, self: query });
    }
    return { name, queries, pool };
  });
  if (opts.csl) {
    const papers = readCsl(opts.csl);
    const ids = papers.map((_, i) => `csl-${i}`);
    // The abstract alone is the document (its title is a query): a neutral, distinct title keeps the record valid
    // and out of duplicate folding, which also folds records of one title.
    docs.push(
      ...papers.map((p, i) => ({
        externalId: ids[i],
        owner: '论文库',
        title: `论文成果 ${i + 1}`,
        abstract: p.abstract,
      })),
    );
    const pool = new Set(ids);
    const one = (text: (i: number) => string) =>
      new Map(papers.map((_, i) => [String(i), { title: text(i), description: '', relevant: new Set([ids[i]]) }]));
    tasks.push({ name: 'csl-title', queries: one((i) => papers[i].title), pool });
    tasks.push({ name: 'csl-keywords', queries: one((i) => papers[i].keywords.join('、')), pool });
    const disciplines = [...new Set(papers.map((p) => p.discipline))];
    tasks.push({
      name: 'csl-discipline',
      queries: new Map(
        disciplines.map((name) => [
          name,
          {
            title: name,
            description: '',
            relevant: new Set(papers.flatMap((p, i) => (p.discipline === name ? [ids[i]] : []))),
          },
        ]),
      ),
      pool,
    });
  }
  return { docs, tasks };
}

withOwnDatabase('techtransfer_eval', evaluate).catch((e) => {
  console.error(e);
  process.exit(1);
});
