import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { IndexNotifier } from '@app/jobs';
import { SearchIndexService } from '@app/vector-index';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttp } from '../../apps/api/src/http/configure-http';
import { startApi } from '../app';
import { batteryDemand, emptyMarket, eventually, makeAdminKey, makeParty } from '../fixtures';

/**
 * An API whose index copy lags every change, as a busy process's may for INDEX_SYNC_MS: no worker, no change notices
 * (the notifier replaced by one that tells nobody) and no poll within the test.
 */
async function apiWithFrozenIndex(): Promise<NestExpressApplication> {
  process.env.INDEX_SYNC_MS = '3600000';
  try {
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule.register({ runWorker: false })] })
      .overrideProvider(IndexNotifier)
      .useValue({ changed: () => Promise.resolve(), subscribe: () => Promise.resolve(), onApplicationShutdown() {} })
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureHttp(app);
    await app.init();
    return app;
  } finally {
    delete process.env.INDEX_SYNC_MS;
  }
}

describe('lexical search while the index copy lags a change (e2e)', () => {
  it('does not find a demand by a word its owner has just made confidential', async () => {
    await emptyMarket();
    const first = await startApi();
    const enterprise = await makeParty(first, 'enterprise', 'enterprise');
    const institution = await makeParty(first, 'university', 'institution', '330106');
    const admin = await makeAdminKey(first);
    const demand = (
      await request(first.getHttpServer())
        .post('/v1/demands')
        .set('X-Api-Key', enterprise.key)
        .send({ ...batteryDemand, description: '正极材料采用钠钛矾复合包覆工艺。', confidentialFields: [] })
        .expect(201)
    ).body as { id: string };
    await eventually(async () => {
      const r = await request(first.getHttpServer())
        .get('/v1/demands')
        .query({ embeddingStatus: 'pending' })
        .set('X-Api-Key', admin);
      return r.body.items.length === 0 ? true : undefined;
    }, 30_000);
    await first.close();

    const app = await apiWithFrozenIndex();
    try {
      await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' || undefined));
      const http = () => request(app.getHttpServer());
      const search = async () =>
        (
          await http()
            .get('/v1/search')
            .query({ collection: 'demands', q: '钠钛矾', mode: 'lexical' })
            .set('X-Api-Key', institution.key)
            .expect(200)
        ).body.map((h: { id: string }) => h.id) as string[];
      expect(await search()).toEqual([demand.id]);
      await http()
        .patch(`/v1/demands/${demand.id}`)
        .set('X-Api-Key', enterprise.key)
        .send({ confidentialFields: ['description'] })
        .expect(200);
      // The copy still holds the old public text; the hit is checked against the record as it is now.
      expect(await search()).toEqual([]);
    } finally {
      await app.close();
    }
  }, 90_000);
});
