/**
 * Retrieval quality on the CSL papers (../shared/eval-data/csl-dev), abstracts standing in for achievements and
 * short texts for demands. Dense retrieval by exact cosine search, with and without the BGE query instruction.
 *
 *   npm run eval:retrieval [-- --csl ../shared/eval-data/csl-dev]
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '@app/config';
import { Embedder, EmbeddingService, resolveModel } from '@app/embedding';
import { readCsl } from './lib/csl';
import { mean, mrrAt, ndcgAt, precisionAt, recallAt } from './lib/retrieval-metrics';
import { dot } from './lib/stats';

const program = new Command()
  .option('--csl <dir>', 'CSL dev split', join(__dirname, '../../shared/eval-data/csl-dev'))
  .parse();

function rank(query: Float32Array, corpus: Float32Array[], exclude = -1): number[] {
  return corpus
    .map((doc, i) => [i, i === exclude ? -Infinity : dot(query, doc)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([i]) => i);
}

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
  const abstracts = await new EmbeddingService(embedder, '').embed(papers.map((p) => p.abstract));

  console.log(`model ${model.id}; ${papers.length} abstracts, ${disciplines.length} disciplines; dense, exact search`);
  console.log('query instruction  task                   R@1    R@10   MRR@10  nDCG@10  P@10');
  for (const instruction of ['', model.queryInstruction]) {
    const service = new EmbeddingService(embedder, instruction);
    const label = (instruction ? 'yes' : 'no').padEnd(17);
    for (const [task, texts] of [
      ['title -> abstract', papers.map((p) => p.title)],
      ['keywords -> abstract', papers.map((p) => p.keywords.join('、'))],
    ] as const) {
      const queries = await service.embed(texts, 'query');
      const runs = queries.map((q, i) => ({ ranked: rank(q, abstracts), relevant: new Set([i]) }));
      console.log(
        `${label}  ${task.padEnd(21)}  ${fmt(runs.map((r) => recallAt(r.ranked, r.relevant, 1)))}  ` +
          `${fmt(runs.map((r) => recallAt(r.ranked, r.relevant, 10)))}  ${fmt(runs.map((r) => mrrAt(r.ranked, r.relevant, 10)))}   ` +
          `${fmt(runs.map((r) => ndcgAt(r.ranked, r.relevant, 10)))}`,
      );
    }
    const queries = await service.embed(disciplines, 'query');
    const runs = queries.map((q, i) => ({
      ranked: rank(q, abstracts),
      relevant: new Set(papers.flatMap((p, d) => (p.discipline === disciplines[i] ? [d] : []))),
    }));
    console.log(
      `${label}  ${'discipline -> abstracts'.padEnd(21)}  ${''.padEnd(5)}  ${''.padEnd(5)}  ${''.padEnd(6)}   ` +
        `${fmt(runs.map((r) => ndcgAt(r.ranked, r.relevant, 10)))}    ${fmt(runs.map((r) => precisionAt(r.ranked, r.relevant, 10)))}`,
    );
  }
  const share = abstracts.map((a, i) => {
    const neighbours = rank(a, abstracts, i);
    return neighbours.filter((n) => papers[n].discipline === papers[i].discipline).length / neighbours.length;
  });
  console.log(`same-discipline share among each abstract's 10 nearest neighbours: ${fmt(share)}%`);
  await embedder.dispose();
}

function fmt(values: number[]): string {
  return (mean(values) * 100).toFixed(1).padStart(5);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
