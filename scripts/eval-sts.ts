/**
 * Chinese STS-B, the C-MTEB way: each sentence embedded without instruction, CLS pooling, L2-normalised, cosine
 * similarity, Spearman correlation against the gold scores over the whole file, times 100.
 *
 *   npm run eval:sts -- ../shared/eval-data/stsb-zh/STS-B.test.data [--models-dir DIR] [--raw]
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '@app/config';
import { Embedder, EmbeddingService, resolveModel } from '@app/embedding';
import { dot, pearson, spearman } from './lib/stats';

const program = new Command()
  .argument('<file>', 'STS-B file: sentence1 TAB sentence2 TAB score')
  .option('--models-dir <dir>', 'models folder (default: MODELS_DIR)')
  .option('--model <name>', 'model name in the manifest (default: EMBEDDING_MODEL)')
  .option('--raw', 'skip the service text normalisation (NFKC, Traditional -> Simplified)')
  .parse();

async function main(): Promise<void> {
  const [file] = program.args;
  const opts = program.opts<{ modelsDir?: string; model?: string; raw?: boolean }>();
  const config = loadConfig();
  const model = await resolveModel(opts.modelsDir ?? config.embedding.modelsDir, opts.model ?? config.embedding.model);
  const embedder = await Embedder.load(model, { batchSize: 32, threads: config.embedding.threads });
  const service = new EmbeddingService(embedder, '');

  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
  const started = performance.now();
  const embed = (texts: string[]) => (opts.raw ? embedder.embed(texts) : service.embed(texts, 'passage'));
  const left = await embed(rows.map((r) => r[0]));
  const right = await embed(rows.map((r) => r[1]));
  const seconds = (performance.now() - started) / 1000;

  const gold = rows.map((r) => Number(r[2]));
  const cosine = rows.map((_, i) => dot(left[i], right[i]));
  console.log(`model            ${model.id} (${opts.raw ? 'raw text' : 'service normalisation'})`);
  console.log(`pairs            ${rows.length}`);
  console.log(`cosine spearman  ${(spearman(cosine, gold) * 100).toFixed(2)}`);
  console.log(`cosine pearson   ${(pearson(cosine, gold) * 100).toFixed(2)}`);
  console.log(`embedded         ${rows.length * 2} sentences in ${seconds.toFixed(1)} s`);
  await embedder.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
