import {
  Inject,
  Logger as NestLogger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { LOGGER, type Logger } from '@app/observability';
import { Db } from '@app/persistence';
import { BullmqBackend } from './bullmq-backend';
import { JobBackend } from './job-backend';
import { JobOutboxRepository } from './job-outbox.repository';
import { JobRelay } from './job-relay';
import { Jobs } from './jobs';
import { IndexNotifier } from './index-notifier';
import { PostgresBackend } from './postgres-backend';
import { RedisOutage } from './redis-outage';
import { REDIS } from './redis.token';

/**
 * Not global: each lib that hands work on or runs jobs imports it, so the dependency shows. Which backend runs the
 * jobs is configuration (JOBS_BACKEND; unset, Redis when REDIS_URL is set, else PostgreSQL), decided once here; with
 * PostgreSQL no Redis connection is ever made (REDIS is null).
 */
@Module({
  providers: [
    Jobs,
    JobOutboxRepository,
    JobRelay,
    IndexNotifier,
    RedisOutage,
    {
      provide: REDIS,
      inject: [APP_CONFIG, RedisOutage],
      // Reconnects forever in the background; readiness reports Redis down meanwhile instead of the process dying.
      useFactory: (config: AppConfig, outage: RedisOutage): Redis | null => {
        if (config.jobs.backend !== 'redis') return null;
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
        outage.watch(redis);
        redis.on('ready', () => outage.recovered());
        return redis;
      },
    },
    {
      provide: JobBackend,
      inject: [APP_CONFIG, RedisOutage, Db],
      useFactory: (config: AppConfig, outage: RedisOutage, db: Db): JobBackend =>
        config.jobs.backend === 'redis'
          ? new BullmqBackend(config, outage)
          : new PostgresBackend(config, db, new NestLogger('postgres-jobs')),
    },
  ],
  exports: [REDIS, RedisOutage, Jobs, JobRelay, JobBackend, IndexNotifier],
})
export class JobsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly backend: JobBackend,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.info(
      { backend: this.backend.kind },
      `jobs on ${this.backend.kind === 'redis' ? 'Redis (BullMQ)' : 'PostgreSQL'}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backend.stop();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
