// One thread of the EmbedderPool: loads the model once (the files and options the main thread resolved and
// checked) and embeds the texts of each task. Runs under piscina, which awaits a promised default export before it
// counts the thread as ready: a thread is given tasks, and is counted as loaded by its pool, only once its model is.
import { workerData } from 'node:worker_threads';
import { Embedder, type EmbedderOptions } from './embedder';
import type { ModelSpec } from './model-registry';

const { model, options } = workerData as { model: ModelSpec; options: EmbedderOptions };

// A model that fails to load fails every task with its error (never an unhandled rejection in the thread).
export default Embedder.load(model, options).then(
  (embedder) => (texts: string[]) => embedder.embed(texts),
  (error: Error) => (): never => {
    throw error;
  },
);
