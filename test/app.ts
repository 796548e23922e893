import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule } from '../apps/api/src/api.module';
import { configureHttp } from '../apps/api/src/http/configure-http';

/** The API as `npm start` builds it, on the test database and Redis, listening on a free port. */
export async function startApi(): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.register({ runWorker: true })] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app);
  await app.init();
  return app;
}
