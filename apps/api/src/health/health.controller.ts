import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { EmbeddingService } from '@app/embedding';
import { REDIS } from '@app/jobs';
import { Db } from '@app/persistence';
import { SearchIndexService } from '@app/vector-index';
import { Public } from '../http/auth.guard';
import { Answers } from '../http/openapi';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: Db,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly embedding: EmbeddingService,
    private readonly index: SearchIndexService,
  ) {}

  @Get('live')
  @Answers(200, 'Liveness')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Answers(200, 'Readiness')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: PostgreSQL, Redis (when jobs run on it), the embedding model and the search index all answer',
  })
  @ApiOkResponse({ description: 'Ready to take traffic' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which' })
  ready() {
    const redis = this.redis;
    return this.health.check([
      () => this.probe('postgres', async () => void (await this.db.query('SELECT 1'))),
      // Without Redis (jobs on PostgreSQL) there is nothing to ask.
      ...(redis ? [() => this.probe('redis', async () => void (await redis.ping()))] : []),
      () =>
        this.probe('model', async () => {
          await this.embedding.embedOne('健康检查', 'query');
          return { modelId: this.embedding.modelId, dimension: this.embedding.dimension };
        }),
      () =>
        this.probe('index', () => {
          if (this.index.state !== 'ready') throw new Error(`search index ${this.index.state}`);
          return Promise.resolve({ vectors: this.index.sizes() });
        }),
    ]);
  }

  private async probe(key: string, check: () => Promise<Record<string, unknown> | void>) {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up((await withTimeout(check(), 2_000)) ?? {});
    } catch (e) {
      return indicator.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
