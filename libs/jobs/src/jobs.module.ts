import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { QUEUES } from './job-definitions';
import { JobOutboxRepository } from './job-outbox.repository';
import { JobRelay } from './job-relay';
import { Jobs } from './jobs';
import { IndexNotifier } from './index-notifier';
import { RedisOutage } from './redis-outage';
import { REDIS } from './redis.token';

/** Not global: each lib that hands work on or runs jobs imports it, so the dependency shows. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ connection: { url: config.redis.url, maxRetriesPerRequest: null } }),
    }),
    BullModule.registerQueue(
      { name: QUEUES.profiles },
      { name: QUEUES.leads },
      { name: QUEUES.maintenance },
      { name: QUEUES.challenges },
    ),
  ],
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
      useFactory: (config: AppConfig, outage: RedisOutage) => {
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
        outage.watch(redis);
        redis.on('ready', () => outage.recovered());
        return redis;
      },
    },
  ],
  exports: [REDIS, RedisOutage, BullModule, Jobs, JobRelay, IndexNotifier],
})
export class JobsModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    outage: RedisOutage,
    @InjectQueue(QUEUES.profiles) profiles: Queue,
    @InjectQueue(QUEUES.leads) leads: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.challenges) challenges: Queue,
  ) {
    for (const queue of [profiles, leads, maintenance, challenges]) outage.watch(queue);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
