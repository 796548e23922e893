import { availableParallelism } from 'node:os';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Embedder } from './embedder';
import { EmbedderPool } from './embedder-pool';
import type { TextEmbedder } from './text-embedder';
import { EmbeddingService } from './embedding.service';
import { resolveModel, type ModelSpec } from './model-registry';

export const EMBEDDER = 'EMBEDDER';
const MODEL = 'EMBEDDING_MODEL';
const QUERY_EMBEDDER = 'QUERY_EMBEDDER';

@Module({
  providers: [
    {
      provide: MODEL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveModel(config.embedding.modelsDir, config.embedding.model),
    },
    {
      provide: EMBEDDER,
      inject: [MODEL, APP_CONFIG],
      useFactory: (model: ModelSpec, config: AppConfig) =>
        Embedder.load(model, { batchSize: config.embedding.batchSize, threads: config.embedding.threads }),
    },
    {
      // Threads start with the first query (or EmbeddingService.warmUp): a process that embeds none starts none.
      provide: QUERY_EMBEDDER,
      inject: [MODEL, EMBEDDER, APP_CONFIG],
      // Unless EMBEDDING_THREADS says otherwise, the cores are shared out among the threads of every API process.
      useFactory: (model: ModelSpec, embedder: Embedder, { embedding, http }: AppConfig): TextEmbedder =>
        embedding.queryWorkers === 0
          ? embedder
          : new EmbedderPool(model, {
              batchSize: embedding.batchSize,
              threads:
                embedding.threads ||
                Math.max(1, Math.floor(availableParallelism() / (embedding.queryWorkers * http.processes))),
              workers: embedding.queryWorkers,
              maxQueue: embedding.queryQueue,
            }),
    },
    {
      provide: EmbeddingService,
      inject: [EMBEDDER, QUERY_EMBEDDER, APP_CONFIG],
      useFactory: (embedder: Embedder, queries: TextEmbedder, config: AppConfig) =>
        new EmbeddingService(embedder, config.embedding.queryInstruction ?? embedder.model.queryInstruction, queries),
    },
  ],
  exports: [EmbeddingService],
})
export class EmbeddingModule implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(QUERY_EMBEDDER) private readonly queries: TextEmbedder,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.queries !== this.embedder) await this.queries.dispose();
    await this.embedder.dispose();
  }
}
