import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Embedder } from './embedder';
import { EmbeddingService } from './embedding.service';
import { resolveModel } from './model-registry';

export const EMBEDDER = 'EMBEDDER';

@Module({
  providers: [
    {
      provide: EMBEDDER,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        Embedder.load(await resolveModel(config.embedding.modelsDir, config.embedding.model), {
          batchSize: config.embedding.batchSize,
          threads: config.embedding.threads,
        }),
    },
    {
      provide: EmbeddingService,
      inject: [EMBEDDER, APP_CONFIG],
      useFactory: (embedder: Embedder, config: AppConfig) =>
        new EmbeddingService(embedder, config.embedding.queryInstruction ?? embedder.model.queryInstruction),
    },
  ],
  exports: [EmbeddingService],
})
export class EmbeddingModule implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDER) private readonly embedder: Embedder) {}

  async onApplicationShutdown(): Promise<void> {
    await this.embedder.dispose();
  }
}
