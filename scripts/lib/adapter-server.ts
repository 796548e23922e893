/**
 * The API's module on the HTTP adapter named by BENCH_ADAPTER (express or fastify), for `bench:adapters`: the same
 * controllers, guards, interceptors, pipes, filters and request logging as `npm start`, with only the part of
 * configureHttp that does not depend on the adapter (route prefix, validation, Express without ETags). Express-only middleware (security
 * headers, body guard, static files, Swagger) is left out of both, so the two differ by the adapter alone.
 * Prints "listening <port>" when its index is ready.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { prepareProcess } from '@app/jobs';
import { SearchIndexService } from '@app/vector-index';
import { EmbeddingService } from '@app/embedding';
import { ApiModule } from '../../apps/api/src/api.module';
import { applyPrefix } from '../../apps/api/src/http/configure-http';
import { validationPipe } from '../../apps/api/src/http/validation';

async function main(): Promise<void> {
  const config = await prepareProcess();
  const adapter = process.env.BENCH_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(ApiModule.register({ runWorker: false }), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // As configureHttp sets it: no ETag hash of every JSON answer (Fastify computes none).
  if (adapter instanceof ExpressAdapter) adapter.set('etag', false);
  applyPrefix(app);
  app.useGlobalPipes(validationPipe());
  await app.get(EmbeddingService).warmUp();
  await app.init();
  await app.get(SearchIndexService).ready;
  await app.listen(config.http.port, '127.0.0.1');
  console.log(`listening ${config.http.port}`);
}

void main();
