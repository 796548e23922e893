/**
 * Embedding throughput: the service pipeline (normalisation, Transformers.js tokenizer and model, CLS pooling) next
 * to a raw onnxruntime-node session fed the same token ids in the same batches, in the same run.
 *
 *   npm run bench:embed [-- --csl ../shared/eval-data/csl-dev --docs 256 --batch-sizes 1,8,16,32]
 */
import { join } from 'node:path';
import { Command } from 'commander';
import * as ort from 'onnxruntime-node';
import { loadConfig } from '@app/config';
import { Embedder, EmbeddingService, l2Normalise, resolveModel, type EncodedBatch } from '@app/embedding';
import { readCsl } from './lib/csl';

const program = new Command()
  .option('--csl <dir>', 'CSL dev split', join(__dirname, '../../shared/eval-data/csl-dev'))
  .option('--docs <n>', 'documents per measurement', '200')
  .option('--batch-sizes <list>', 'comma-separated batch sizes', '1,8,16,32')
  .option('--models-dir <dir>', 'models folder (default: MODELS_DIR)')
  .parse();

async function main(): Promise<void> {
  const opts = program.opts<{ csl: string; docs: string; batchSizes: string; modelsDir?: string }>();
  const config = loadConfig();
  const model = await resolveModel(opts.modelsDir ?? config.embedding.modelsDir, config.embedding.model);
  const papers = readCsl(opts.csl);
  const count = Number(opts.docs);
  const corpora = {
    // A demand is a short sentence or two: a title with its keywords, about 50 characters.
    short: cut(
      papers.map((p) => `${p.title}，${p.keywords.join('、')}`),
      50,
      count,
    ),
    // An achievement: its title and abstract, about 300 characters.
    long: cut(
      papers.map((p) => `${p.title}。${p.abstract}`),
      300,
      count,
    ),
  };
  const raw = await ort.InferenceSession.create(
    join(model.modelsDir, model.name, model.file),
    config.embedding.threads > 0 ? { intraOpNumThreads: config.embedding.threads, interOpNumThreads: 1 } : {},
  );

  console.log(`model ${model.id}, ${count} documents per cell, threads ${config.embedding.threads || 'auto'}`);
  console.log('texts  avg chars  batch  pipeline docs/s  raw onnxruntime docs/s  pipeline/raw');
  for (const [name, texts] of Object.entries(corpora)) {
    const avgChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
    for (const batchSize of opts.batchSizes.split(',').map(Number)) {
      const embedder = await Embedder.load(model, { batchSize, threads: config.embedding.threads });
      const service = new EmbeddingService(embedder, '');
      const batches: EncodedBatch[] = embedder.planBatches(texts).map((b) => embedder.encode(b.map((i) => texts[i])));
      await service.embed(texts.slice(0, batchSize)); // warm-up
      await runRaw(raw, batches.slice(0, 1));

      const pipelineSeconds = await time(() => service.embed(texts));
      const rawSeconds = await time(() => runRaw(raw, batches));
      const pipeline = texts.length / pipelineSeconds;
      const direct = texts.length / rawSeconds;
      console.log(
        [
          name.padEnd(5),
          avgChars.toFixed(0).padStart(9),
          String(batchSize).padStart(6),
          pipeline.toFixed(1).padStart(16),
          direct.toFixed(1).padStart(23),
          `${((pipeline / direct) * 100).toFixed(0)}%`.padStart(13),
        ].join('  '),
      );
      await embedder.dispose();
    }
  }
  await raw.release();
}

/** The first `count` texts of at least `length` characters, cut at `length`. */
function cut(texts: string[], length: number, count: number): string[] {
  return texts
    .filter((t) => t.length >= length)
    .slice(0, count)
    .map((t) => t.slice(0, length));
}

async function runRaw(session: ort.InferenceSession, batches: EncodedBatch[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (const b of batches) {
    const dims = [b.batchSize, b.sequenceLength];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', b.inputIds, dims),
      attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
      token_type_ids: new ort.Tensor('int64', b.tokenTypeIds, dims),
    });
    const hidden = out.last_hidden_state;
    const data = hidden.data as Float32Array;
    const [, seq, width] = hidden.dims;
    for (let row = 0; row < b.batchSize; row++) {
      vectors.push(l2Normalise(data.slice(row * seq * width, row * seq * width + width)));
    }
  }
  return vectors;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
