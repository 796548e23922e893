import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { prepareProcess } from '@app/jobs';
import { LOGGER, type Logger as Pino } from '@app/observability';
import { EmbeddingService } from '@app/embedding';
import { DATABASE_CONNECTION, runMigrations, type DatabaseConnection } from '@app/persistence';
import { ApiModule } from './api.module';
import { configureHttp } from './http/configure-http';

async function bootstrap(): Promise<void> {
  const { runWorker } = await prepareProcess();
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
  configureHttp(app);
  await app.listen(config.http.port, config.http.host);
  log.info({ url: `http://127.0.0.1:${config.http.port}`, docs: '/docs' }, 'api listening');
}

void bootstrap();
