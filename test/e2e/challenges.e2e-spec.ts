import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { batteryDemand, emptyMarket, eventually, makeAdminKey, makeParty, type Party } from '../fixtures';

const challenge = (demandId: string, deadline: Date) => ({
  demandId,
  title: '退役动力电池正极材料高值化回收技术攻关',
  statement: '面向年处理两千吨退役三元电池的产线，征集镍钴锰锂综合回收率不低于98%的工艺方案。',
  confidentialDetails: '现有产线浸出段能耗数据与杂质谱见附件；目标投资额不超过三千万元。',
  terms: '揭榜方须对保密信息承担保密义务；方案知识产权归揭榜方所有，许可条件另行协商。',
  prizeAmount: 1_000_000,
  prizeFor: '通过中试验证的工艺包',
  deadline: deadline.toISOString(),
  eligibleRegions: ['33'],
  eligibleKinds: ['university', 'institute'],
  criteria: [
    { name: '技术路线可行性', description: '回收率、能耗与二次污染控制的论证', weight: 3 },
    { name: '团队与条件', description: '中试条件与团队经验', weight: 1 },
  ],
});

describe('challenges (e2e: publication, visibility, deadline job)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let enterprise: Party;
  let rival: Party;
  let solver: Party;
  let demandId: string;
  const http = () => request(app.getHttpServer());
  const inAMonth = () => new Date(Date.now() + 30 * 24 * 3600_000);

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    admin = await makeAdminKey(app);
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
    rival = await makeParty(app, 'enterprise', 'enterprise', '330100');
    solver = await makeParty(app, 'university', 'institution', '330106');
    demandId = (await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(batteryDemand).expect(201)).body
      .id;
  });
  afterAll(() => app.close());

  it('drafts a challenge on its own demand only, with the field named when the input is wrong', async () => {
    await http().post('/v1/challenges').set('X-Api-Key', rival.key).send(challenge(demandId, inAMonth())).expect(403);
    const past = await http()
      .post('/v1/challenges')
      .set('X-Api-Key', enterprise.key)
      .send(challenge(demandId, new Date(Date.now() - 60_000)))
      .expect(409);
    expect(past.body.message).toMatch(/^deadline/);
    const sameNames = await http()
      .post('/v1/challenges')
      .set('X-Api-Key', enterprise.key)
      .send({
        ...challenge(demandId, inAMonth()),
        criteria: [
          { name: 'a', description: '', weight: 1 },
          { name: 'a', description: '', weight: 2 },
        ],
      })
      .expect(400);
    expect(JSON.stringify(sameNames.body.details)).toContain('criteria');
    const noZone = await http()
      .post('/v1/challenges')
      .set('X-Api-Key', enterprise.key)
      .send({ ...challenge(demandId, inAMonth()), deadline: '2027-03-31T16:00:00' })
      .expect(400);
    expect(noZone.body.details[0].field).toBe('deadline');
  });

  it('keeps a draft to its owner, publishes it, and shows the confidential details only after registration', async () => {
    const draft = (
      await http()
        .post('/v1/challenges')
        .set('X-Api-Key', enterprise.key)
        .send(challenge(demandId, inAMonth()))
        .expect(201)
    ).body;
    expect(draft).toMatchObject({ state: 'draft', party: 'owner', next: ['open', 'cancelled'], regionCode: '330502' });
    await http().get(`/v1/challenges/${draft.id}`).set('X-Api-Key', solver.key).expect(404);
    expect((await http().get('/v1/challenges').set('X-Api-Key', solver.key).expect(200)).body.items).toEqual([]);

    const opened = await http()
      .post(`/v1/challenges/${draft.id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'open' })
      .expect(200);
    expect(opened.body).toMatchObject({ state: 'open', next: ['cancelled'] });
    expect(opened.body.openedAt).not.toBeNull();

    const seen = (await http().get(`/v1/challenges/${draft.id}`).set('X-Api-Key', solver.key).expect(200)).body;
    expect(seen).toMatchObject({ party: 'public', confidentialDetails: null, mayAnswer: true, next: [] });
    const listed = await http()
      .get('/v1/challenges')
      .query({ regionCode: '330000', prizeMin: 500_000 })
      .set('X-Api-Key', solver.key)
      .expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([draft.id]);
    expect(
      (await http().get('/v1/challenges').query({ prizeMin: 2_000_000 }).set('X-Api-Key', solver.key)).body.items,
    ).toEqual([]);

    await http()
      .post(`/v1/challenges/${draft.id}/registrations`)
      .set('X-Api-Key', solver.key)
      .send({ acceptTerms: false })
      .expect(409);
    const registered = await http()
      .post(`/v1/challenges/${draft.id}/registrations`)
      .set('X-Api-Key', solver.key)
      .send({ acceptTerms: true })
      .expect(200);
    expect(registered.body).toMatchObject({
      party: 'registered',
      confidentialDetails: challenge('', new Date()).confidentialDetails,
    });
    // Registering is for solvers, not the owner.
    await http()
      .post(`/v1/challenges/${draft.id}/registrations`)
      .set('X-Api-Key', enterprise.key)
      .send({ acceptTerms: true })
      .expect(403);
  });

  it('refuses a move the lifecycle does not allow with 409 naming the allowed ones, and a cancel without reason', async () => {
    const id = (
      await http()
        .post('/v1/challenges')
        .set('X-Api-Key', enterprise.key)
        .send(challenge(demandId, inAMonth()))
        .expect(201)
    ).body.id;
    const refused = await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'closed', reason: '无合适方案' })
      .expect(409);
    expect(refused.body.allowed).toEqual(['open', 'cancelled']);
    const noReason = await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'cancelled' })
      .expect(400);
    expect(noReason.body.message).toMatch(/^reason/);
    const cancelled = await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'cancelled', reason: '需求已内部解决' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', stateReason: '需求已内部解决', next: [] });
    const events = (await http().get(`/v1/challenges/${id}/events`).set('X-Api-Key', enterprise.key).expect(200)).body;
    expect(events.map((e: { toState: string }) => e.toState)).toEqual(['draft', 'cancelled']);
    expect(events[1].reason).toBe('需求已内部解决');
  });

  it('moves an open challenge to reviewing at its deadline, after an extension, and never to a past deadline', async () => {
    const first = new Date(Date.now() + 1_500);
    const id = (
      await http().post('/v1/challenges').set('X-Api-Key', enterprise.key).send(challenge(demandId, first)).expect(201)
    ).body.id;
    await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'open' })
      .expect(200);
    const extended = new Date(Date.now() + 4_000);
    await http()
      .patch(`/v1/challenges/${id}`)
      .set('X-Api-Key', enterprise.key)
      .send({ deadline: extended.toISOString() })
      .expect(200);
    const fixed = await http()
      .patch(`/v1/challenges/${id}`)
      .set('X-Api-Key', enterprise.key)
      .send({ prizeAmount: 10 })
      .expect(409);
    expect(fixed.body.message).toMatch(/^prizeAmount/);
    await http()
      .patch(`/v1/challenges/${id}`)
      .set('X-Api-Key', enterprise.key)
      .send({ deadline: new Date(Date.now() - 1_000).toISOString() })
      .expect(409);

    // The first deadline's job finds the deadline moved; the extended one's moves it.
    await new Promise((r) => setTimeout(r, first.getTime() - Date.now() + 1_000));
    expect((await http().get(`/v1/challenges/${id}`).set('X-Api-Key', enterprise.key)).body.state).toBe('open');
    const reviewing = await eventually(async () => {
      const r = await http().get(`/v1/challenges/${id}`).set('X-Api-Key', enterprise.key);
      return r.body.state === 'reviewing' ? r.body : undefined;
    }, 15_000);
    expect(reviewing.next).toEqual(['closed']);
    const events = (await http().get(`/v1/challenges/${id}/events`).set('X-Api-Key', admin).expect(200)).body;
    expect(events.map((e: { toState: string; actor: string }) => [e.toState, e.actor === 'system'])).toEqual([
      ['draft', false],
      ['open', false],
      ['open', false],
      ['reviewing', true],
    ]);
    expect(events[2].deadline).toBe(extended.toISOString());
  });
});
