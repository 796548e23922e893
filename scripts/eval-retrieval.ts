/**
 * Retrieval quality on the CSL papers (../shared/eval-data/csl-dev), abstracts standing in for achievements and
 * short texts for demands, through the classes the API searches with: the HNSW VectorCollection (dense), the BM25
 * LexicalCollection over character bigrams (lexical), and reciprocal rank fusion of the two (fused).
 *
 *   npm run eval:retrieval [-- --csl ../shared/eval-data/csl-dev]
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '@app/config';
import { Embedder, EmbeddingService, resolveModel } from '@app/embedding';
import { reciprocalRankFusion } from '@app/matching';
import { LexicalCollection, VectorCollection } from '@app/vector-index';
import { readCsl } from './lib/csl';
import { mean, mrrAt, ndcgAt, precisionAt, recallAt } from './lib/retrieval-metrics';

const program = new Command()
  .option('--csl <dir>', 'CSL dev split', join(__dirname, '../../shared/eval-data/csl-dev'))
  .parse();

type Method = 'dense' | 'lexical' | 'fused' | 'fused-2:1' | 'fused-3:1';
const METHODS: Method[] = ['dense', 'lexical', 'fused', 'fused-2:1', 'fused-3:1'];
const FUSION_WEIGHTS: Record<string, number[]> = { fused: [1, 1], 'fused-2:1': [2, 1], 'fused-3:1': [3, 1] };
const POOL = 50;

async function main(): Promise<void> {
  const { csl } = program.opts<{ csl: string }>();
  const config = loadConfig();
  const model = await resolveModel(config.embedding.modelsDir, config.embedding.model);
  const embedder = await Embedder.load(model, {
    batchSize: config.embedding.batchSize,
    threads: config.embedding.threads,
  });
  const papers = readCsl(csl);
  const disciplines = [...new Set(papers.map((p) => p.discipline))];
  const passages = new EmbeddingService(embedder, '');
  const abstracts = await passages.embed(papers.map((p) => p.abstract));

  const dense = new VectorCollection<null>(model.dimension);
  const lexical = new LexicalCollection();
  papers.forEach((p, i) => {
    dense.upsert(String(i), abstracts[i], null);
    lexical.upsert(String(i), p.abstract);
  });
  const ranked = (method: Method, text: string, vector: Float32Array, exclude?: number): number[] => {
    const d = dense.search(vector, POOL + 1).hits.map((h) => h.id);
    const l = lexical.search(text, POOL + 1).map((h) => h.id);
    const ids =
      method === 'dense'
        ? d
        : method === 'lexical'
          ? l
          : reciprocalRankFusion([d, l], 60, FUSION_WEIGHTS[method]).map((f) => f.id);
    return ids
      .map(Number)
      .filter((i) => i !== exclude)
      .slice(0, 10);
  };

  console.log(`model ${model.id}; ${papers.length} abstracts, ${disciplines.length} disciplines`);
  console.log('\nquery instruction on dense queries: with and without (see models/README.md)');
  console.log('method     instruction  task                      R@1    R@10  MRR@10  nDCG@10   P@10');
  for (const instruction of [model.queryInstruction, '']) {
    const queries = new EmbeddingService(embedder, instruction);
    for (const method of METHODS) {
      if (method === 'lexical' && !instruction) continue; // lexical does not use the instruction
      const label = `${method.padEnd(9)}  ${(method === 'lexical' ? '-' : instruction ? 'yes' : 'no').padEnd(11)}`;
      for (const [task, texts] of [
        ['title -> abstract', papers.map((p) => p.title)],
        ['keywords -> abstract', papers.map((p) => p.keywords.join('、'))],
      ] as const) {
        const vectors = await queries.embed(texts, 'query');
        const runs = texts.map((t, i) => ({ ranked: ranked(method, t, vectors[i]), relevant: new Set([i]) }));
        console.log(
          `${label}  ${task.padEnd(24)}  ${fmt(runs, (r) => recallAt(r.ranked, r.relevant, 1))}  ` +
            `${fmt(runs, (r) => recallAt(r.ranked, r.relevant, 10))}  ${fmt(runs, (r) => mrrAt(r.ranked, r.relevant, 10))}   ` +
            `${fmt(runs, (r) => ndcgAt(r.ranked, r.relevant, 10))}`,
        );
      }
      const vectors = await queries.embed(disciplines, 'query');
      const runs = disciplines.map((name, i) => ({
        ranked: ranked(method, name, vectors[i]),
        relevant: new Set(papers.flatMap((p, d) => (p.discipline === name ? [d] : []))),
      }));
      console.log(
        `${label}  ${'discipline -> abstracts'.padEnd(24)}  ${' '.repeat(5)}  ${' '.repeat(5)}  ${' '.repeat(6)}   ` +
          `${fmt(runs, (r) => ndcgAt(r.ranked, r.relevant, 10))}  ${fmt(runs, (r) => precisionAt(r.ranked, r.relevant, 10))}`,
      );
    }
  }

  console.log("\nsame-discipline share among each abstract's 10 nearest other abstracts");
  for (const method of METHODS) {
    const share = papers.map((p, i) => {
      const neighbours = ranked(method, p.abstract, abstracts[i], i);
      return neighbours.filter((n) => papers[n].discipline === p.discipline).length / neighbours.length;
    });
    console.log(`${method.padEnd(9)}  ${(mean(share) * 100).toFixed(1)}%`);
  }
  await embedder.dispose();
}

function fmt<T>(runs: T[], metric: (r: T) => number): string {
  return (mean(runs.map(metric)) * 100).toFixed(1).padStart(5);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
