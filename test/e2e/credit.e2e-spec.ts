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
      score: { score: 70, base: 70, parts: [], rule: { version: expect.any(Number) } },
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

  it('counts a bad-faith report an operator files, shows its evidence to the party, which answers beside it', async () => {
    const filed = await http()
      .post('/v1/credit-reports')
      .set('X-Api-Key', admin)
      .send({
        subjectKind: 'organisation',
        subjectId: enterprise.organisationId,
        summary: '签订技术合同后无故拒绝履约',
        evidence: [{ description: '往来邮件与合同文本', url: 'https://example.org/evidence/1' }],
      })
      .expect(201);
    const own = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', enterprise.key)
      .expect(200);
    expect(own.body.counts.bad_faith_report).toBe(1);
    expect(own.body.score.score).toBe(55);
    expect(own.body.score.parts).toEqual([{ kind: 'bad_faith_report', count: 1, points: -15, subtotal: -15 }]);
    expect(own.body.events).toEqual([
      expect.objectContaining({ kind: 'bad_faith_report', source: { kind: 'report', id: filed.body.id } }),
    ]);
    expect(own.body.reports[0]).toMatchObject({ summary: '签订技术合同后无故拒绝履约', answer: null });

    await http()
      .post(`/v1/credit-reports/${filed.body.id}/answer`)
      .set('X-Api-Key', other.key)
      .send({ answer: '与我无关' })
      .expect(403);
    await http()
      .post(`/v1/credit-reports/${filed.body.id}/answer`)
      .set('X-Api-Key', enterprise.key)
      .send({ answer: '合同已于十月履行，附银行回单' })
      .expect(200);
    const answered = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', enterprise.key)
      .expect(200);
    expect(answered.body.reports[0]).toMatchObject({ answer: '合同已于十月履行，附银行回单' });
    const seen = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', other.key)
      .expect(200);
    expect(seen.body).toMatchObject({ reports: null, events: null, counts: { bad_faith_report: 1 } });
  });

  it('takes reports from operators only, with evidence, about a subject that exists', async () => {
    const report = {
      subjectKind: 'organisation',
      subjectId: other.organisationId,
      summary: '虚假宣传',
      evidence: [{ description: '截图' }],
    };
    await http().post('/v1/credit-reports').set('X-Api-Key', enterprise.key).send(report).expect(403);
    const empty = await http()
      .post('/v1/credit-reports')
      .set('X-Api-Key', admin)
      .send({ ...report, evidence: [] })
      .expect(400);
    expect(JSON.stringify(empty.body)).toContain('evidence');
    await http()
      .post('/v1/credit-reports')
      .set('X-Api-Key', admin)
      .send({ ...report, evidence: ['截图'] })
      .expect(400);
    await http()
      .post('/v1/credit-reports')
      .set('X-Api-Key', admin)
      .send({ ...report, subjectKind: 'broker' })
      .expect(404);
  });

  it('answers 404 for a subject that does not exist, 400 for an id that is not one', async () => {
    await http().get(`/v1/brokers/${randomUUID()}/credit`).set('X-Api-Key', admin).expect(404);
    await http().get('/v1/brokers/not-a-uuid/credit').set('X-Api-Key', admin).expect(400);
  });

  it('lists the versions of the scoring rule, the first one seeded', async () => {
    const res = await http().get('/v1/credit-rules').set('X-Api-Key', enterprise.key).expect(200);
    expect(res.body.at(-1)).toMatchObject({ id: 'credit-v1', version: 1, base: 70, windowMonths: 24 });
    expect(res.body.at(-1).points.bad_faith_report).toBe(-15);
    expect(res.body.filter((r: { retiredAt: string | null }) => r.retiredAt === null)).toHaveLength(1);
  });

  it('brings in a new version of the rule, which scores from then on, and keeps the one before as retired', async () => {
    const [current] = (await http().get('/v1/credit-rules').set('X-Api-Key', admin).expect(200)).body;
    // The same points under a new source: other suites' scores stay what they were, the version is what changes.
    const next = { base: current.base, points: current.points, windowMonths: current.windowMonths, source: '测试版本' };
    await http().post('/v1/credit-rules').set('X-Api-Key', enterprise.key).send(next).expect(403);
    const unknown = await http()
      .post('/v1/credit-rules')
      .set('X-Api-Key', admin)
      .send({ ...next, points: { ...next.points, late_invoice: -1 } })
      .expect(400);
    expect(JSON.stringify(unknown.body.details)).toContain('late_invoice');
    const over = await http()
      .post('/v1/credit-rules')
      .set('X-Api-Key', admin)
      .send({ ...next, base: 101 })
      .expect(400);
    expect(over.body.details.map((d: { field: string }) => d.field)).toEqual(['base']);
    // A number with an exponent and no point once made the validator throw (a 500 found by the fuzzer).
    const tiny = await http()
      .post('/v1/credit-rules')
      .set('X-Api-Key', admin)
      .send({ ...next, points: { contract_signed: -5e-324 }, windowMonths: 0 })
      .expect(400);
    expect(tiny.body.details.map((d: { field: string }) => d.field)).toEqual(['windowMonths']);
    const added = await http().post('/v1/credit-rules').set('X-Api-Key', admin).send(next).expect(201);
    expect(added.body).toMatchObject({ version: current.version + 1, id: `credit-v${current.version + 1}` });
    const rules = (await http().get('/v1/credit-rules').set('X-Api-Key', admin).expect(200)).body;
    expect(rules[0]).toMatchObject({ version: current.version + 1, retiredAt: null, source: '测试版本' });
    expect(rules.find((r: { id: string }) => r.id === current.id).retiredAt).toEqual(expect.any(String));
    const record = await http()
      .get(`/v1/organisations/${other.organisationId}/credit`)
      .set('X-Api-Key', other.key)
      .expect(200);
    expect(record.body.score.rule).toEqual({ id: added.body.id, version: added.body.version });
  });
});
