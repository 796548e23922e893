import { availableParallelism } from 'node:os';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Embedder } from './embedder';
import { EmbedderPool } from './embedder-pool';
import { EmbeddingService } from './embedding.service';
import { resolveModel, type ModelSpec } from './model-registry';
import type { TextEmbedder } from './text-embedder';

const MODEL = 'EMBEDDING_MODEL';
const PASSAGE_EMBEDDER = 'PASSAGE_EMBEDDER';
const QUERY_EMBEDDER = 'QUERY_EMBEDDER';

/**
 * Passages (the worker's bulk embedding) and queries (the API's searches) each go to a pool of threads, so that a
 * forward pass never stops the event loop: the API goes on serving, the worker goes on with the database and queue
 * round trips of the next jobs. A pool's threads start with its first text, so a process that embeds no passages
 * (the API beside a worker) or no queries (the worker) starts none. 0 workers: the model on the calling thread.
 */
@Module({
  providers: [
    {
      provide: MODEL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveModel(config.embedding.modelsDir, config.embedding.model),
    },
    {
      // Passage jobs are bounded by EMBED_CONCURRENCY, so their queue is not.
      provide: PASSAGE_EMBEDDER,
      inject: [MODEL, APP_CONFIG],
      useFactory: (model: ModelSpec, { embedding }: AppConfig) =>
        embedderOf(model, embedding, embedding.passageWorkers, 1, Infinity),
    },
    {
      provide: QUERY_EMBEDDER,
      inject: [MODEL, PASSAGE_EMBEDDER, APP_CONFIG],
      useFactory: (model: ModelSpec, passages: TextEmbedder, { embedding, http }: AppConfig) =>
        embedding.queryWorkers === 0 && passages instanceof Embedder
          ? passages
          : embedderOf(model, embedding, embedding.queryWorkers, http.processes, embedding.queryQueue),
    },
    {
      provide: EmbeddingService,
      inject: [PASSAGE_EMBEDDER, QUERY_EMBEDDER, APP_CONFIG, MODEL],
      useFactory: (passages: TextEmbedder, queries: TextEmbedder, config: AppConfig, model: ModelSpec) =>
        new EmbeddingService(passages, config.embedding.queryInstruction ?? model.queryInstruction, queries),
    },
  ],
  exports: [EmbeddingService],
})
export class EmbeddingModule implements OnApplicationShutdown {
  constructor(
    @Inject(PASSAGE_EMBEDDER) private readonly passages: TextEmbedder,
    @Inject(QUERY_EMBEDDER) private readonly queries: TextEmbedder,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.queries !== this.passages) await this.queries.dispose();
    await this.passages.dispose();
  }
}

/**
 * The model on the calling thread (0 workers), or on a pool whose intra-op threads share the cores out among its
 * threads in each of `processes` processes, unless EMBEDDING_THREADS says otherwise.
 */
async function embedderOf(
  model: ModelSpec,
  embedding: AppConfig['embedding'],
  workers: number,
  processes: number,
  maxQueue: number,
): Promise<TextEmbedder> {
  if (workers === 0) return Embedder.load(model, { batchSize: embedding.batchSize, threads: embedding.threads });
  const threads = embedding.threads || Math.max(1, Math.floor(availableParallelism() / (workers * processes)));
  return new EmbedderPool(model, { batchSize: embedding.batchSize, threads, workers, maxQueue });
}
