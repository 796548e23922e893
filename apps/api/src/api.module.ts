import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from '@app/config';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { HealthController } from './health/health.controller';
import { ErrorFilter } from './http/error.filter';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forProcess('api'),
    PersistenceModule,
    JobsModule,
    EmbeddingModule,
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
  ],
  controllers: [HealthController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
export class ApiModule {}
