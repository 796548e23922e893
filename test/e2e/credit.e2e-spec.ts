import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { makeAdminKey, makeParty, type Party } from '../fixtures';

describe('credit records (e2e)', () => {
  let app: NestExpressApplication;
  let enterprise: Party;
  let other: Party;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startApi();
    enterprise = await makeParty(app, 'enterprise', 'enterprise');
    other = await makeParty(app, 'enterprise', 'enterprise');
    admin = await makeAdminKey(app);
  }, 60_000);
  afterAll(() => app.close());

  it('shows an organisation its own record in full, scored by the rule in force', async () => {
    const res = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', enterprise.key)
      .expect(200);
    expect(res.body).toMatchObject({
      form: 'full',
      subject: { kind: 'organisation', id: enterprise.organisationId },
      score: { score: 70, base: 70, parts: [], rule: { id: 'credit-v1', version: 1 } },
      events: [],
    });
    expect(res.body.counts.contract_signed).toBe(0);
  });

  it('shows others the score and the counts only', async () => {
    const res = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', other.key)
      .expect(200);
    expect(res.body).toMatchObject({ form: 'summary', events: null, score: { score: 70 } });
  });

  it('answers 404 for a subject that does not exist, 400 for an id that is not one', async () => {
    await http().get(`/v1/brokers/${randomUUID()}/credit`).set('X-Api-Key', admin).expect(404);
    await http().get('/v1/brokers/not-a-uuid/credit').set('X-Api-Key', admin).expect(400);
  });

  it('lists the versions of the scoring rule, retired ones kept', async () => {
    const res = await http().get('/v1/credit-rules').set('X-Api-Key', enterprise.key).expect(200);
    expect(res.body[0]).toMatchObject({ id: 'credit-v1', version: 1, base: 70, retiredAt: null, windowMonths: 24 });
    expect(res.body[0].points.bad_faith_report).toBe(-15);
  });
});
