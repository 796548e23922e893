import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AccessModule } from '@app/access';
import { AssistantModule } from '@app/assistant';
import { ChallengesModule } from '@app/challenges';
import { ConfigModule } from '@app/config';
import { CreditModule } from '@app/credit';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { LeadsModule } from '@app/leads';
import { MatchingModule } from '@app/matching';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { ProcessorsModule } from '@app/processors';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AssistantController } from './assistant/assistant.controller';
import { ChallengesController } from './challenges/challenges.controller';
import { CreditController } from './credit/credit.controller';
import { HealthController } from './health/health.controller';
import { LeadsController } from './leads/leads.controller';
import { OperationsController } from './leads/operations.controller';
import { PerformanceController } from './leads/performance.controller';
import { MatchingController } from './matching/matching.controller';
import { WeightsController } from './matching/weights.controller';
import { MeController } from './me/me.controller';
import { TaxonomyController } from './taxonomy/taxonomy.controller';
import { AuthGuard } from './http/auth.guard';
import { ErrorFilter } from './http/error.filter';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { RateLimits } from './http/rate-limits';
import { MetricsController } from './metrics/metrics.controller';
import { OrganisationsController } from './organisations/organisations.controller';
import { ImportController } from './profiles/import.controller';
import {
  AchievementsController,
  BrokersController,
  DemandsController,
  ExpertsController,
} from './profiles/profiles.controller';

export interface ApiOptions {
  /** Also run the job processors in this process (the single-machine default of `npm start`). */
  runWorker: boolean;
}

@Module({})
export class ApiModule {
  static register(options: ApiOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule,
        ObservabilityModule.forProcess('api'),
        PersistenceModule,
        JobsModule,
        EmbeddingModule,
        AccessModule,
        ProfilesModule,
        MatchingModule,
        LeadsModule,
        ChallengesModule,
        AssistantModule,
        CreditModule,
        VectorIndexModule,
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ...(options.runWorker ? [ProcessorsModule] : []),
      ],
      controllers: [
        HealthController,
        MetricsController,
        OrganisationsController,
        ApiKeysController,
        AchievementsController,
        AssistantController,
        DemandsController,
        ExpertsController,
        BrokersController,
        ImportController,
        MatchingController,
        WeightsController,
        LeadsController,
        OperationsController,
        PerformanceController,
        ChallengesController,
        CreditController,
        MeController,
        TaxonomyController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        RateLimits,
        // Who is it, and is it within its budget.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
