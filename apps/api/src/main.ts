import 'reflect-metadata';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { prepareProcess } from '@app/jobs';
import { createRootLogger, LOGGER, type Logger as Pino } from '@app/observability';
import { DemandAssistantService } from '@app/assistant';
import { EmbeddingService } from '@app/embedding';
import { SearchIndexService } from '@app/vector-index';
import { DATABASE_CONNECTION, runMigrations, type DatabaseConnection } from '@app/persistence';
import { ApiModule } from './api.module';
import { configureHttp } from './http/configure-http';
import { INDEX_READY, superviseApiProcesses } from './processes';

async function bootstrap(): Promise<void> {
  const processConfig = await prepareProcess();
  const { runWorker, http } = processConfig;
  if (cluster.isPrimary && http.processes > 1)
    return superviseApiProcesses(http.processes, createRootLogger(processConfig, 'api-processes'));
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register({ runWorker }), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  const log = app.get<Pino>(LOGGER);
  await runMigrations(app.get<DatabaseConnection>(DATABASE_CONNECTION).url, log);
  await app.get(EmbeddingService).warmUp();
  await app.get(DemandAssistantService).warmUp();
  configureHttp(app);
  // One process answers "not ready" while its index builds; of several, the others join once theirs is ready.
  const index = app.get(SearchIndexService);
  await app.init(); // starts the index build (onApplicationBootstrap)
  if (config.http.processIndex > 0) await index.ready;
  await app.listen(config.http.port, config.http.host);
  log.info({ url: `http://127.0.0.1:${config.http.port}`, docs: '/docs' }, 'api listening');
  if (cluster.isWorker) void index.ready.then(() => process.send?.(INDEX_READY));
}

void bootstrap();
