import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { eventually, makeAdminKey, makeParty, type Party } from '../fixtures';

const demand = {
  title: '寻求退役动力电池回收技术',
  description: '我公司每年产生约两千吨退役动力电池，希望引进正极材料高回收率的湿法回收工艺，预算可商议。',
  keywords: ['动力电池', '回收'],
  industryCode: '42',
  regionCode: '330502',
  budgetMin: 500000,
  budgetMax: 1000000,
  minReadinessLevel: 5,
  cooperationModes: ['transfer', 'licence'],
  confidentialFields: ['description', 'budgetMin', 'budgetMax'],
};

const achievement = {
  title: '废旧锂离子电池正极材料湿法回收技术',
  abstract: '本成果提出一种废旧锂离子电池正极材料的湿法回收工艺，锂、钴、镍回收率超过95%，已完成中试。',
  keywords: ['锂电池', '湿法冶金'],
  industryCode: '42',
  disciplineCode: '450',
  readinessLevel: 6,
  transactionMode: 'listing',
  askingPrice: 800000,
  cooperationModes: ['transfer'],
  regionCode: '330106',
};

describe('profiles API (e2e)', () => {
  let app: NestExpressApplication;
  let enterprise: Party;
  let otherEnterprise: Party;
  let institution: Party;
  let otherInstitution: Party;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startApi();
    enterprise = await makeParty(app, 'enterprise', 'enterprise');
    otherEnterprise = await makeParty(app, 'enterprise', 'enterprise');
    institution = await makeParty(app, 'university', 'institution', '330106');
    otherInstitution = await makeParty(app, 'institute', 'institution');
    admin = await makeAdminKey(app);
  });
  afterAll(() => app.close());

  describe('authentication', () => {
    it('refuses a request without a key, or with an unknown one', async () => {
      await http().get('/v1/demands').expect(401);
      const res = await http().get('/v1/demands').set('Authorization', 'Bearer tt_nope').expect(401);
      expect(res.body.error).toBe('UNAUTHENTICATED');
    });

    it('accepts the key as a bearer token or as X-Api-Key', async () => {
      await http().get('/v1/demands').set('Authorization', `Bearer ${enterprise.key}`).expect(200);
      await http().get('/v1/demands').set('X-Api-Key', enterprise.key).expect(200);
    });
  });

  describe('a demand in Chinese', () => {
    let id: string;

    it('is created pending, then embedded by the worker with the model id recorded', async () => {
      const res = await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(demand).expect(201);
      id = res.body.id;
      expect(res.body).toMatchObject({
        title: demand.title,
        organisationId: enterprise.organisationId,
        status: 'open',
      });
      expect(res.body.embedding.status).toBe('pending');
      const ready = await eventually(async () => {
        const r = await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key).expect(200);
        return r.body.embedding.status === 'ready' ? r.body : undefined;
      });
      expect(ready.embedding.modelId).toMatch(/^bge-small-zh-v1\.5:q8:/);
    });

    it('shows its confidential fields to its owner and an admin only', async () => {
      const own = await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key).expect(200);
      expect(own.body).toMatchObject({ description: demand.description, budgetMin: 500000, budgetMax: 1000000 });
      const asAdmin = await http().get(`/v1/demands/${id}`).set('X-Api-Key', admin).expect(200);
      expect(asAdmin.body.description).toBe(demand.description);

      for (const key of [otherEnterprise.key, institution.key]) {
        const other = await http().get(`/v1/demands/${id}`).set('X-Api-Key', key).expect(200);
        expect(other.body).toMatchObject({ title: demand.title, description: null, budgetMin: null, budgetMax: null });
        expect(JSON.stringify(other.body)).not.toContain('两千吨');
        const list = await http()
          .get('/v1/demands')
          .query({ organisationId: enterprise.organisationId })
          .set('X-Api-Key', key)
          .expect(200);
        expect(JSON.stringify(list.body)).not.toContain('两千吨');
        expect(list.body.items.map((d: { id: string }) => d.id)).toContain(id);
      }
    });

    it('keeps its vector when a change leaves the text alone, and embeds again when the text changes', async () => {
      const before = await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key).expect(200);
      const same = await http()
        .patch(`/v1/demands/${id}`)
        .set('X-Api-Key', enterprise.key)
        .send({ budgetMax: 1200000 })
        .expect(200);
      expect(same.body.embedding).toEqual(before.body.embedding);

      const changed = await http()
        .patch(`/v1/demands/${id}`)
        .set('X-Api-Key', enterprise.key)
        .send({ description: '希望引进磷酸铁锂电池的回收工艺。' })
        .expect(200);
      expect(changed.body.embedding.status).toBe('pending');
      expect(changed.body.embedding.contentHash).not.toBe(before.body.embedding.contentHash);
      await eventually(async () => {
        const r = await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key);
        return r.body.embedding.status === 'ready' ? true : undefined;
      });
    });

    it('may not be changed by another enterprise, nor withdrawn; the owner withdraws it and others lose sight of it', async () => {
      await http().patch(`/v1/demands/${id}`).set('X-Api-Key', otherEnterprise.key).send({ title: '改' }).expect(403);
      await http().post(`/v1/demands/${id}/withdraw`).set('X-Api-Key', otherEnterprise.key).expect(403);
      const res = await http().post(`/v1/demands/${id}/withdraw`).set('X-Api-Key', enterprise.key).expect(200);
      expect(res.body.status).toBe('withdrawn');
      await http().get(`/v1/demands/${id}`).set('X-Api-Key', otherEnterprise.key).expect(404);
      await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key).expect(200);
    });
  });

  describe('roles', () => {
    it('lets an enterprise post demands but not achievements, and an institution the reverse', async () => {
      await http().post('/v1/achievements').set('X-Api-Key', enterprise.key).send(achievement).expect(403);
      await http().post('/v1/demands').set('X-Api-Key', institution.key).send(demand).expect(403);
      await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(achievement).expect(201);
    });

    it('lets an institution manage its own achievements only', async () => {
      const created = await http()
        .post('/v1/achievements')
        .set('X-Api-Key', institution.key)
        .send(achievement)
        .expect(201);
      const id = created.body.id;
      await http()
        .patch(`/v1/achievements/${id}`)
        .set('X-Api-Key', otherInstitution.key)
        .send({ askingPrice: 1 })
        .expect(403);
      const own = await http()
        .patch(`/v1/achievements/${id}`)
        .set('X-Api-Key', institution.key)
        .send({ askingPrice: 900000 });
      expect(own.status).toBe(200);
      expect(own.body.askingPrice).toBe(900000);
    });

    it('hides private and draft achievements from everyone but the owner', async () => {
      for (const extra of [{ visibility: 'private' }, { status: 'draft' }]) {
        const created = await http()
          .post('/v1/achievements')
          .set('X-Api-Key', institution.key)
          .send({ ...achievement, ...extra })
          .expect(201);
        await http().get(`/v1/achievements/${created.body.id}`).set('X-Api-Key', enterprise.key).expect(404);
        const list = await http()
          .get('/v1/achievements')
          .query({ organisationId: institution.organisationId, limit: 100 })
          .set('X-Api-Key', enterprise.key)
          .expect(200);
        expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(created.body.id);
      }
    });

    it('refuses an organisation id from a non-admin, and needs one from an admin', async () => {
      await http()
        .post('/v1/demands')
        .set('X-Api-Key', enterprise.key)
        .send({ ...demand, organisationId: otherEnterprise.organisationId })
        .expect(403);
      const res = await http().post('/v1/demands').set('X-Api-Key', admin).send(demand).expect(400);
      expect(res.body.error).toBe('ORGANISATION_REQUIRED');
      await http()
        .post('/v1/demands')
        .set('X-Api-Key', admin)
        .send({ ...demand, organisationId: enterprise.organisationId })
        .expect(201);
      const wrongKind = await http()
        .post('/v1/demands')
        .set('X-Api-Key', admin)
        .send({ ...demand, organisationId: institution.organisationId })
        .expect(422);
      expect(wrongKind.body.error).toBe('ORGANISATION_KIND_MISMATCH');
    });
  });

  describe('validation', () => {
    const post = (body: object) => http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(body);
    const fields = (res: request.Response) => res.body.details.map((d: { field: string }) => d.field);

    it.each([
      ['extra', { ...demand, extra: 1 }],
      ['minReadinessLevel', { ...demand, minReadinessLevel: 10 }],
      ['minReadinessLevel', { ...demand, minReadinessLevel: 0 }],
      ['budgetMax', { ...demand, budgetMin: 2000000, budgetMax: 1000000 }],
      ['regionCode', { ...demand, regionCode: '339999' }],
      ['industryCode', { ...demand, industryCode: '98' }],
      ['title', { ...demand, title: 'x'.repeat(201) }],
      ['title', { ...demand, title: 42 }],
      ['keywords', { ...demand, keywords: 'not a list' }],
      ['deadline', { ...demand, deadline: '2027-02-30' }],
      ['confidentialFields', { ...demand, confidentialFields: ['title'] }],
      ['title', { regionCode: '330502' }],
    ])('refuses a bad %s and names it', async (field, body) => {
      const res = await post(body).expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(fields(res)).toContain(field);
    });

    it('refuses nested problems with their path', async () => {
      const res = await http()
        .post('/v1/achievements')
        .set('X-Api-Key', institution.key)
        .send({ ...achievement, patents: [{ number: '', status: 'granted' }] })
        .expect(400);
      expect(fields(res)).toContain('patents.0.number');
    });

    it('refuses a body over 1 MB with 413 and writes nothing', async () => {
      const before = await http()
        .get('/v1/demands')
        .query({ organisationId: enterprise.organisationId, limit: 100 })
        .set('X-Api-Key', enterprise.key);
      await post({ ...demand, description: '长'.repeat(400_000) }).expect(413);
      const after = await http()
        .get('/v1/demands')
        .query({ organisationId: enterprise.organisationId, limit: 100 })
        .set('X-Api-Key', enterprise.key);
      expect(after.body.items.length).toBe(before.body.items.length);
    });

    it('refuses malformed JSON with 400', async () => {
      await http()
        .post('/v1/demands')
        .set('X-Api-Key', enterprise.key)
        .set('Content-Type', 'application/json')
        .send('{"title":')
        .expect(400);
    });

    it('refuses a cursor it did not issue', async () => {
      const res = await http()
        .get('/v1/demands')
        .query({ cursor: 'garbage' })
        .set('X-Api-Key', enterprise.key)
        .expect(400);
      expect(res.body.error).toBe('INVALID_CURSOR');
    });
  });

  describe('idempotency', () => {
    it('creates nothing twice for a retried POST, and replays the first answer', async () => {
      const party = await makeParty(app, 'enterprise', 'enterprise');
      const send = (body: object) =>
        http().post('/v1/demands').set('X-Api-Key', party.key).set('Idempotency-Key', 'create-demand-1').send(body);
      const first = await send(demand).expect(201);
      const second = await send(demand).expect(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      const list = await http()
        .get('/v1/demands')
        .query({ organisationId: party.organisationId })
        .set('X-Api-Key', party.key);
      expect(list.body.items).toHaveLength(1);
      const reused = await send({ ...demand, title: '另一个需求' }).expect(422);
      expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('does not keep the key of a failed request, so the corrected retry runs', async () => {
      const send = (body: object) =>
        http()
          .post('/v1/demands')
          .set('X-Api-Key', enterprise.key)
          .set('Idempotency-Key', 'retry-after-400')
          .send(body);
      await send({ ...demand, minReadinessLevel: 12 }).expect(400);
      await send(demand).expect(201);
    });
  });

  describe('pagination', () => {
    it('walks every record exactly once with cursors', async () => {
      const party = await makeParty(app, 'enterprise', 'enterprise');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await http()
          .post('/v1/demands')
          .set('X-Api-Key', party.key)
          .send({ ...demand, title: `需求 ${i}` });
        ids.push(r.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await http()
          .get('/v1/demands')
          .query({ organisationId: party.organisationId, limit: 2, ...(cursor ? { cursor } : {}) })
          .set('X-Api-Key', party.key)
          .expect(200);
        seen.push(...page.body.items.map((d: { id: string }) => d.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(ids.sort());
    });
  });
});
