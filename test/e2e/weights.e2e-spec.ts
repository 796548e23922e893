import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { LearningService, type Outcome } from '@app/learning';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { eventually, emptyMarket, makeAdminKey, makeParty, type Party } from '../fixtures';

/** Outcomes in which only the region decided: accepted when the partner was close. */
function regionalOutcomes(count: number): Outcome[] {
  let seed = 42;
  const r = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => {
    const parts = { semantic: 0.5 + 0.4 * r(), keywords: r(), region: [0.3, 0.5, 0.7, 0.85, 1][Math.floor(r() * 5)] };
    return {
      parts,
      accepted: r() < (parts.region >= 0.85 ? 0.9 : 0.05),
      propensity: 1,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    };
  });
}

describe('learned weights (e2e, real model, database and index)', () => {
  let app: NestExpressApplication;
  let far: Party;
  let near: Party;
  let enterprise: Party;
  let admin: string;
  let demandId: string;
  const ids: Record<string, string> = {};
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    far = await makeParty(app, 'university', 'institution', '440305');
    near = await makeParty(app, 'institute', 'institution', '330502');
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
    admin = await makeAdminKey(app);
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined));
    const post = async (party: Party, path: string, body: object) =>
      (await http().post(path).set('X-Api-Key', party.key).send(body).expect(201)).body.id as string;
    ids.exact = await post(far, '/v1/achievements', {
      title: '退役动力电池正极材料湿法回收技术',
      abstract: '退役动力电池正极材料的湿法冶金回收工艺，锂、钴、镍回收率超过95%。',
      readinessLevel: 6,
      regionCode: '440305',
    });
    ids.nearby = await post(near, '/v1/achievements', {
      title: '锂电池储能系统的梯次利用',
      abstract: '把退役电池用于储能电站的电池管理与梯次利用方案。',
      readinessLevel: 6,
      regionCode: '330502',
    });
    demandId = await post(enterprise, '/v1/demands', {
      title: '寻求退役动力电池正极材料回收技术',
      description: '每年产生两千吨退役动力电池，希望引进正极材料湿法回收工艺。',
      regionCode: '330502',
    });
    await eventually(async () => {
      const r = await http().get(`/v1/demands/${demandId}/matches`).set('X-Api-Key', enterprise.key);
      return r.status === 200 && r.body.length === 2 ? true : undefined;
    }, 60_000);
  }, 120_000);
  afterAll(() => app.close());

  const ranking = async () => {
    const r = await http().get(`/v1/demands/${demandId}/matches`).set('X-Api-Key', enterprise.key).expect(200);
    return {
      order: r.body.map((m: { id: string }) => m.id),
      versions: r.body.map((m: { weightsVersion: unknown }) => m.weightsVersion),
    };
  };

  it('ranks with a fitted version once it is switched on, and a rollback restores the configured ranking', async () => {
    const before = await ranking();
    expect(before).toEqual({ order: [ids.exact, ids.nearby], versions: [null, null] });

    const version = await app.get(LearningService).learn(regionalOutcomes(400));
    expect(version).toMatchObject({ status: 'active', trainingOutcomes: 300, heldoutOutcomes: 100 });
    expect(version!.weights.region).toBeGreaterThan(0.3);
    expect(version!.metrics.auc).toBeGreaterThan(version!.metrics.baseline.auc);

    const after = await ranking();
    expect(after).toEqual({ order: [ids.nearby, ids.exact], versions: [version!.id, version!.id] });
    const listed = await http().get('/v1/matching/weights').set('X-Api-Key', admin).expect(200);
    expect(listed.body[0]).toMatchObject({ id: version!.id, status: 'active' });
    expect(listed.body[0].metrics.calibration.length).toBeGreaterThan(0);

    await http().put('/v1/matching/weights/active').set('X-Api-Key', admin).send({ version: null }).expect(200);
    expect(await ranking()).toEqual(before);
    const active = await http().get('/v1/matching/weights/active').set('X-Api-Key', admin).expect(200);
    expect(active.body.version).toBeNull();

    // And forward again: an operator switches the version back on by its id.
    await http().put('/v1/matching/weights/active').set('X-Api-Key', admin).send({ version: version!.id }).expect(200);
    expect((await ranking()).order).toEqual(after.order);
    await http().put('/v1/matching/weights/active').set('X-Api-Key', admin).send({ version: null }).expect(200);
  });

  it('keeps versions to operators, and names a bad or unknown version', async () => {
    await http().get('/v1/matching/weights').set('X-Api-Key', enterprise.key).expect(403);
    await http().put('/v1/matching/weights/active').set('X-Api-Key', near.key).send({ version: null }).expect(403);
    const bad = await http()
      .put('/v1/matching/weights/active')
      .set('X-Api-Key', admin)
      .send({ version: 'x' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('version');
    await http().put('/v1/matching/weights/active').set('X-Api-Key', admin).send({ version: 999_999 }).expect(404);
  });
});
