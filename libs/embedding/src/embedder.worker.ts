// One thread of the EmbedderPool: loads the model once (the files and options the main thread resolved and
// checked) and embeds the texts of each task. Runs under piscina, which calls the default export.
import { workerData } from 'node:worker_threads';
import { Embedder, type EmbedderOptions } from './embedder';
import type { ModelSpec } from './model-registry';

const { model, options } = workerData as { model: ModelSpec; options: EmbedderOptions };
const loaded = Embedder.load(model, options);
// Never an unhandled rejection in the thread: a model that fails to load fails every task with its error instead.
loaded.catch(() => undefined);

export default async function embed(texts: string[]): Promise<Float32Array[]> {
  return (await loaded).embed(texts);
}
