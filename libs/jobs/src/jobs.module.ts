import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { LOGGER, type Logger } from '@app/observability';
import { QUEUES } from './job-names';
import { IndexNotifier } from './index-notifier';
import { LeadJobs } from './lead-jobs';
import { MaintenanceJobs } from './maintenance-jobs';
import { ProfileJobs } from './profile-jobs';
import { REDIS } from './redis.token';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ connection: { url: config.redis.url, maxRetriesPerRequest: null } }),
    }),
    BullModule.registerQueue({ name: QUEUES.profiles }, { name: QUEUES.leads }, { name: QUEUES.maintenance }),
  ],
  providers: [
    ProfileJobs,
    LeadJobs,
    MaintenanceJobs,
    IndexNotifier,
    {
      provide: REDIS,
      inject: [APP_CONFIG, LOGGER],
      // Reconnects forever in the background; readiness reports Redis down meanwhile instead of the process dying.
      useFactory: (config: AppConfig, logger: Logger) => {
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
        let lastError = '';
        redis.on('error', (e: Error) => {
          if (e.message !== lastError) logger.warn({ err: e.message }, 'redis connection error');
          lastError = e.message;
        });
        redis.on('ready', () => (lastError = ''));
        return redis;
      },
    },
  ],
  exports: [REDIS, BullModule, ProfileJobs, LeadJobs, MaintenanceJobs, IndexNotifier],
})
export class JobsModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
