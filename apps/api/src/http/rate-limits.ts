import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Db } from '@app/persistence';

/** Too many requests: `retryAfterSeconds` goes into the answer's Retry-After header. */
export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Request budgets per minute, counted where every API process shares them: in Redis with the Redis job backend, in
 * PostgreSQL's `rate_limits` table without it. Per API key across all routes (RATE_LIMIT_PER_MINUTE), and per client
 * address for requests without a valid key (RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE). While the store is unreachable
 * each process counts on its own (in memory): the Redis connection has no offline queue, so a request never waits for
 * Redis to come back.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly redis?: Redis;
  private readonly perKey: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, db: Db) {
    let limiter: (keyPrefix: string, points: number) => RateLimiterAbstract;
    const insurance = (keyPrefix: string, points: number) => new RateLimiterMemory({ keyPrefix, points, duration: 60 });
    if (config.jobs.backend === 'redis') {
      // Its errors are the queues' connection's too, which logs them once per outage.
      const redis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
      this.redis = redis;
      limiter = (keyPrefix, points) =>
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix,
          points,
          duration: 60,
          insuranceLimiter: insurance(keyPrefix, points),
        });
    } else {
      limiter = (keyPrefix, points) =>
        new RateLimiterPostgres({
          storeClient: db.pool,
          storeType: 'pool',
          tableName: 'rate_limits',
          // Made by a migration (20261208020000_postgres_jobs); expired rows are deleted by the limiter hourly.
          tableCreated: true,
          clearExpiredByTimeout: true,
          keyPrefix,
          points,
          duration: 60,
          insuranceLimiter: insurance(keyPrefix, points),
        });
    }
    this.perKey = limiter('rate:key', config.http.rateLimitPerMinute);
    this.perAddress = limiter('rate:address', config.http.rateLimitUnauthenticatedPerMinute);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  /** Counts a request of an authenticated key; throws RateLimitedError past the budget. */
  async consumeKey(apiKeyId: string): Promise<void> {
    await consume(this.perKey, apiKeyId);
  }

  /** Throws RateLimitedError when the address has used up its unauthenticated budget, without counting. */
  async refuseSpentAddress(address: string): Promise<void> {
    const state = await this.perAddress.get(address).catch(() => null);
    if (state && state.remainingPoints <= 0 && state.consumedPoints >= this.perAddress.points)
      throw new RateLimitedError(Math.ceil(state.msBeforeNext / 1000));
  }

  /** Counts a request without a valid key; throws RateLimitedError past the budget. */
  async consumeAddress(address: string): Promise<void> {
    await consume(this.perAddress, address);
  }
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
