import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Db } from '@app/persistence';
import { startApi } from '../app';
import { makeAdminKey, makeParty, type Party } from '../fixtures';

/**
 * Inputs an outside probe sent that ended in a 500 (each a 4xx naming the field now, and nothing stored), and the
 * smaller defects it found.
 */
describe('bad input (e2e)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let enterprise: Party;
  let db: Db;
  const http = () => request(app.getHttpServer());
  const demand = { title: '寻求污水处理膜材料', description: '处理印染废水', regionCode: '330502' };
  const demandCount = async () =>
    Number(
      (await db.one<{ n: string }>('SELECT count(*) AS n FROM demands WHERE organisation_id = $1', [
        enterprise.organisationId,
      ]))!.n,
    );

  beforeAll(async () => {
    app = await startApi();
    admin = await makeAdminKey(app);
    enterprise = await makeParty(app, 'enterprise', 'enterprise');
    db = app.get(Db);
  });
  afterAll(() => app.close());

  it('refuses JSON nested 10,000 levels deep with a 400, on any route and key', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const [path, body] of [
      ['/v1/demands', `{"title":"t","description":"d","regionCode":"330502","keywords":${deep}}`],
      ['/v1/leads', `{"anything":${deep}}`],
    ]) {
      const r = await http()
        .post(path)
        .set('X-Api-Key', enterprise.key)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(r.body.error).toBe('BODY_TOO_DEEP');
    }
    expect(await demandCount()).toBe(0);
  });

  it('refuses a NUL character in any text field, naming the field', async () => {
    for (const [field, value] of [
      ['title', 'a\u0000b'],
      ['keywords', ['好', 'x\u0000']],
    ] as const) {
      const r = await http()
        .post('/v1/demands')
        .set('X-Api-Key', enterprise.key)
        .send({ ...demand, [field]: value })
        .expect(400);
      expect(r.body.error).toBe('VALIDATION_FAILED');
      expect(r.body.details[0].field).toBe(field === 'keywords' ? 'keywords.1' : field);
    }
    const r = await http().get('/v1/demands').query({ regionCode: '33\u00000502' }).set('X-Api-Key', enterprise.key);
    expect(r.status).toBe(400);
    expect(await demandCount()).toBe(0);
  });

  it('takes numbers below 1e-6 with a fraction as numbers, not as a 500', async () => {
    const r = await http()
      .post('/v1/demands')
      .set('X-Api-Key', enterprise.key)
      .send({ ...demand, budgetMin: 1e-7, budgetMax: 2e-7 });
    expect(r.status).toBeLessThan(500);
  });

  it('answers INVALID_CURSOR for any tampered cursor', async () => {
    const bad = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      bad(['99999-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000']),
      bad(['2026-01-01', 'gggggggg-0000-0000-0000-000000000000']),
      bad(['2026-13-45T99:00:00Z', '00000000-0000-0000-0000-000000000000']),
      bad([1, 2]),
      'not a cursor',
    ]) {
      for (const path of ['/v1/demands', '/v1/leads']) {
        const r = await http().get(path).query({ cursor }).set('X-Api-Key', admin);
        expect([r.status, r.body.error]).toEqual([400, 'INVALID_CURSOR']);
      }
    }
  });

  it('refuses a PATCH that leaves budgetMin above the stored budgetMax, naming both fields', async () => {
    const created = await http()
      .post('/v1/demands')
      .set('X-Api-Key', enterprise.key)
      .send({ ...demand, budgetMin: 100, budgetMax: 200 })
      .expect(201);
    const r = await http()
      .patch(`/v1/demands/${created.body.id}`)
      .set('X-Api-Key', enterprise.key)
      .send({ budgetMin: 500 })
      .expect(400);
    expect(r.body.error).toBe('VALIDATION_FAILED');
    expect(r.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['budgetMax', 'budgetMin']);
    const stored = await http().get(`/v1/demands/${created.body.id}`).set('X-Api-Key', enterprise.key).expect(200);
    expect(stored.body.budgetMin).toBe(100);
  });

  it('answers 404 for an API key of an organisation that does not exist', async () => {
    const r = await http()
      .post('/v1/api-keys')
      .set('X-Api-Key', admin)
      .send({ role: 'enterprise', organisationId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    expect(r.body.error).toBe('NOT_FOUND');
  });

  it("refuses a key whose role does not fit its organisation's kind", async () => {
    const university = await makeParty(app, 'university', 'institution');
    const r = await http()
      .post('/v1/api-keys')
      .set('X-Api-Key', admin)
      .send({ role: 'enterprise', organisationId: university.organisationId })
      .expect(422);
    expect(r.body.error).toBe('ORGANISATION_KIND_MISMATCH');
  });

  it('limits confidentialFields to the fields that exist, each once', async () => {
    const many = Array.from({ length: 50_000 }, () => 'description');
    const r = await http()
      .post('/v1/demands')
      .set('X-Api-Key', enterprise.key)
      .send({ ...demand, confidentialFields: many })
      .expect(400);
    expect(r.body.details[0].field).toBe('confidentialFields');
  });

  it('refuses webhook URLs with credentials', async () => {
    const r = await http()
      .put(`/v1/organisations/${enterprise.organisationId}/webhook`)
      .set('X-Api-Key', admin)
      .send({ url: 'https://user:pass@hooks.example.com/leads' })
      .expect(400);
    expect(r.body.details[0].field).toBe('url');
  });

  it('filters organisations by kind as documented', async () => {
    const r = await http().get('/v1/organisations').query({ kind: 'enterprise' }).set('X-Api-Key', admin).expect(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.every((o: { kind: string }) => o.kind === 'enterprise')).toBe(true);
  });

  // IsDateString takes all of ISO 8601; PostgreSQL does not, and refused these with an error answered as a 500.
  const unstorableDates = ['2027-W18-1', '2027-W18', '2027-123', '20270430', '+002027-04-30', '2027-02-30'];
  const refused = (r: request.Response, field: string) => {
    expect([r.status, r.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.body.details.map((d: { field: string }) => d.field)).toContain(field);
  };
  const challengeCount = async () => Number((await db.one<{ n: string }>('SELECT count(*) AS n FROM challenges'))!.n);
  const challengeOn = (demandId: string) => ({
    demandId,
    title: '膜材料攻关',
    statement: '征集耐污染的印染废水处理膜材料',
    terms: '知识产权归揭榜方所有',
    prizeAmount: 100_000,
    prizeFor: '中试验证的膜组件',
    deadline: '2027-03-31T16:00:00+08:00',
    criteria: [{ name: '可行性', description: '', weight: 1 }],
  });

  it('refuses a date in any form but RFC 3339 with a 400 naming the field, on every route that takes one', async () => {
    const demandId = (
      await http()
        .post('/v1/demands')
        .set('X-Api-Key', enterprise.key)
        .send({ ...demand, deadline: '2027-06-30' })
        .expect(201)
    ).body.id as string;
    const [demands, challenges] = [await demandCount(), await challengeCount()];
    for (const date of unstorableDates) {
      refused(
        await http()
          .post('/v1/demands')
          .set('X-Api-Key', enterprise.key)
          .send({ ...demand, deadline: date }),
        'deadline',
      );
      refused(
        await http().patch(`/v1/demands/${demandId}`).set('X-Api-Key', enterprise.key).send({ deadline: date }),
        'deadline',
      );
      refused(
        await http()
          .post('/v1/challenges')
          .set('X-Api-Key', enterprise.key)
          .send({ ...challengeOn(demandId), deadline: `${date}T16:00:00Z` }),
        'deadline',
      );
      for (const field of ['deadlineBefore', 'deadlineAfter'])
        refused(
          await http()
            .get('/v1/challenges')
            .query({ [field]: date })
            .set('X-Api-Key', enterprise.key),
          field,
        );
      for (const field of ['from', 'to']) {
        refused(
          await http()
            .get('/v1/reports/challenges')
            .query({ [field]: date })
            .set('X-Api-Key', admin),
          field,
        );
        refused(
          await http()
            .get('/v1/reports/funnel')
            .query({ by: 'organisation', [field]: date })
            .set('X-Api-Key', admin),
          field,
        );
      }
    }
    expect(await demandCount()).toBe(demands);
    expect(await challengeCount()).toBe(challenges);
    const stored = await http().get(`/v1/demands/${demandId}`).set('X-Api-Key', enterprise.key).expect(200);
    expect(stored.body.deadline).toBe('2027-06-30');
  });

  it('takes the RFC 3339 forms: a date, a date-time with Z or an offset', async () => {
    const r = await http()
      .post('/v1/demands')
      .set('X-Api-Key', enterprise.key)
      .send({ ...demand, deadline: '2027-06-30T23:30:00-05:00' })
      .expect(201);
    expect(r.body.deadline).toBe('2027-06-30');
    for (const deadlineBefore of ['2027-06-30', '2027-06-30T16:00:00.5Z', '2027-06-30T16:00:00+08:00'])
      await http().get('/v1/challenges').query({ deadlineBefore }).set('X-Api-Key', enterprise.key).expect(200);
    const dateOnly = await http()
      .post('/v1/challenges')
      .set('X-Api-Key', enterprise.key)
      .send({ ...challengeOn(r.body.id), deadline: '2027-03-31' });
    refused(dateOnly, 'deadline'); // an instant says its time zone
  });

  it('refuses an amount the numeric(16, 2) column would round to 0 with a 400 naming the field, storing nothing', async () => {
    const demandId = (await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(demand).expect(201)).body
      .id as string;
    const challenges = await challengeCount();
    for (const prizeAmount of [1e-9, 5e-324, 0.001, 0, 1e14])
      refused(
        await http()
          .post('/v1/challenges')
          .set('X-Api-Key', enterprise.key)
          .send({ ...challengeOn(demandId), prizeAmount }),
        'prizeAmount',
      );
    expect(await challengeCount()).toBe(challenges);
    for (const budgetMin of [1e-9, 5e-324, 0.004])
      refused(
        await http().patch(`/v1/demands/${demandId}`).set('X-Api-Key', enterprise.key).send({ budgetMin }),
        'budgetMin',
      );
    for (const [field, value] of [
      ['minAmount', 1e-9],
      ['cap', 5e-324],
    ] as const)
      refused(
        await http()
          .post('/v1/subsidy-rules')
          .set('X-Api-Key', admin)
          .send({
            id: 'fuzz-tiny-amounts',
            scheme: 'fuzz-tiny',
            authority: '某市科技局',
            regionPrefix: '3305',
            minAmount: 0,
            rate: 0.05,
            source: '试行办法',
            [field]: value,
          }),
        field,
      );
    // Where the column takes 0, exactly 0 is an amount.
    const free = await http()
      .patch(`/v1/demands/${demandId}`)
      .set('X-Api-Key', enterprise.key)
      .send({ budgetMin: 0, budgetMax: 0.01 })
      .expect(200);
    expect(free.body).toMatchObject({ budgetMin: 0, budgetMax: 0.01 });
  });
});
