import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { prepareProcess } from '@app/jobs';
import { LOGGER, type Logger as Pino } from '@app/observability';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  await prepareProcess();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // On SIGTERM the workers stop taking jobs and finish the ones they hold before the process exits.
  app.enableShutdownHooks();
  app.get<Pino>(LOGGER).info('worker started');
}

void bootstrap();
