import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApiKeysService } from '@app/access';
import { verifySignature } from '@app/leads';
import { Db } from '@app/persistence';
import { startApi } from '../app';
import {
  batteryDemand,
  emptyMarket,
  eventually,
  makeAdminKey,
  makeOrganisation,
  makeParty,
  type Party,
} from '../fixtures';

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
    // The solver's webhook receiver is on loopback, which webhooks may not reach unless an operator allows it.
    process.env.WEBHOOK_ALLOWED_HOSTS = '127.0.0.1';
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

    // A commissioner programme publishes the needs it gathers in its counties: on a demand of its own.
    const programme = await makeParty(app, 'programme', 'programme', '330500');
    const programmeDemand = (
      await http()
        .post('/v1/demands')
        .set('X-Api-Key', programme.key)
        .send({ ...batteryDemand, regionCode: '330500' })
        .expect(201)
    ).body.id as string;
    await http()
      .post('/v1/challenges')
      .set('X-Api-Key', programme.key)
      .send(challenge(programmeDemand, inAMonth()))
      .expect(201);
    await http()
      .post('/v1/challenges')
      .set('X-Api-Key', programme.key)
      .send(challenge(demandId, inAMonth()))
      .expect(403);
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
    // Eligibility is checked where the details are released: an enterprise (only universities and institutes may
    // answer) and a university outside Zhejiang are refused, registered nowhere, and shown nothing more.
    const elsewhere = await makeParty(app, 'university', 'institution', '110000');
    for (const [who, why] of [
      [rival, 'organisations of kind university, institute only'],
      [elsewhere, 'organisations in regions 33 only'],
    ] as const) {
      const refused = await http()
        .post(`/v1/challenges/${draft.id}/registrations`)
        .set('X-Api-Key', who.key)
        .send({ acceptTerms: true })
        .expect(403);
      expect(refused.body).toMatchObject({ error: 'NOT_ELIGIBLE', message: `Not eligible: ${why}` });
      const still = (await http().get(`/v1/challenges/${draft.id}`).set('X-Api-Key', who.key).expect(200)).body;
      expect(still).toMatchObject({ party: 'public', confidentialDetails: null });
    }
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
    // Who acted, as a reader may know it: the organisation by its name, never the key it used.
    const { rows } = await app.get(Db).pool.query<{ id: string }>('SELECT id::text FROM api_keys');
    for (const e of events) {
      expect(e.actor).toEqual({
        kind: 'organisation',
        organisationId: enterprise.organisationId,
        organisationName: expect.stringMatching(/^测试机构 /),
      });
      for (const key of rows) expect(JSON.stringify(e)).not.toContain(key.id);
    }
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
    expect(events.map((e: { toState: string; actor: { kind: string } }) => [e.toState, e.actor.kind])).toEqual([
      ['draft', 'organisation'],
      ['open', 'organisation'],
      ['open', 'organisation'],
      ['reviewing', 'system'],
    ]);
    expect(events[2].deadline).toBe(extended.toISOString());
  });

  it('takes proposals from eligible solvers, ranks them for the owner, and awards one as a challenge-winner lead', async () => {
    const office = await makeOrganisation(app, 'transfer_organisation', '330500');
    const b = await http()
      .post('/v1/brokers')
      .set('X-Api-Key', admin)
      .send({
        organisationId: office.organisationId,
        name: '陈经纪',
        expertise: '新能源电池回收与循环利用领域技术转移',
        industryCodes: ['42'],
        regionCodes: ['330000'],
      })
      .expect(201);
    const brokerKey = (
      await app
        .get(ApiKeysService)
        .create('system', { role: 'broker', organisationId: office.organisationId, brokerId: b.body.id })
    ).secret;
    const other = await makeParty(app, 'institute', 'institution', '330200');
    const outsider = await makeParty(app, 'university', 'institution', '110000');
    const achievement = async (party: Party, title: string, abstract: string) =>
      (
        await http()
          .post('/v1/achievements')
          .set('X-Api-Key', party.key)
          .send({ title, abstract, readinessLevel: 6, regionCode: '330106', industryCode: '42' })
          .expect(201)
      ).body.id as string;
    const recycling = await achievement(
      solver,
      '退役三元电池选择性浸出回收工艺',
      '选择性浸出与萃取分离回收镍钴锰锂，回收率98%，已完成中试。',
    );
    const coating = await achievement(other, '船舶防腐石墨烯涂层', '石墨烯改性环氧涂层，用于海洋工程防腐。');

    await eventually(async () => {
      const r = await http().get('/v1/achievements').query({ embeddingStatus: 'pending' }).set('X-Api-Key', admin);
      return r.body.items.length === 0 ? true : undefined;
    }, 30_000);

    const funnel = async () =>
      (await http().get('/v1/reports/challenges').set('X-Api-Key', admin).expect(200)).body as Record<string, number>;
    const before = await funnel();
    await http().get('/v1/reports/challenges').set('X-Api-Key', enterprise.key).expect(403);
    await http().get('/v1/reports/challenges').query({ from: '2026-13-01' }).set('X-Api-Key', admin).expect(400);

    // The solver's organisation takes invitations on its webhook too.
    const calls: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls.push({ headers: req.headers, body });
        res.statusCode = 204;
        res.end();
      });
    }).listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const { secret } = (
      await http()
        .put(`/v1/organisations/${solver.organisationId}/webhook`)
        .set('X-Api-Key', admin)
        .send({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` })
        .expect(200)
    ).body as { secret: string };

    const deadline = new Date(Date.now() + 8_000);
    const id = (
      await http()
        .post('/v1/challenges')
        .set('X-Api-Key', enterprise.key)
        .send(challenge(demandId, deadline))
        .expect(201)
    ).body.id;
    await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'open' })
      .expect(200);

    // Matching invites the owner of the fitting achievement, eligible by region and kind; not one outside them.
    const invitation = await eventually(async () => {
      const r = await http().get('/v1/challenge-invitations').set('X-Api-Key', solver.key).expect(200);
      return r.body.find((i: { challengeId: string }) => i.challengeId === id);
    }, 20_000);
    expect(invitation).toMatchObject({ partnerKind: 'achievement', partnerId: recycling, declinedAt: null });
    expect(invitation.explanation.zh).toMatch(/语义相似度/);
    // Announced on the webhook, signed, keyed by the invitation; only the public side of the challenge leaves.
    const call = await eventually(() =>
      Promise.resolve(calls.find((c) => c.headers['idempotency-key'] === invitation.id)),
    );
    receiver.close();
    expect(verifySignature(secret, call.body, String(call.headers['x-signature']))).toBe(true);
    expect(JSON.parse(call.body)).toMatchObject({ event: 'challenge.invited', challengeId: id, partnerId: recycling });
    expect(call.body).not.toContain('附件');
    const hooks = await http().get('/v1/webhook-deliveries').query({ status: 'delivered' }).set('X-Api-Key', admin);
    expect(hooks.body).toContainEqual(
      expect.objectContaining({ event: 'challenge.invited', invitationId: invitation.id, offerId: null, attempts: 1 }),
    );
    expect((await http().get('/v1/challenge-invitations').set('X-Api-Key', outsider.key)).body).toEqual([]);
    await http()
      .post(`/v1/challenge-invitations/${invitation.id}/decline`)
      .set('X-Api-Key', other.key)
      .send({ reason: '方向不符' })
      .expect(404);

    const answer = (summary: string, approach: string, achievementIds: string[]) => ({
      summary,
      approach,
      team: '教授2名、博士后3名，具备百公斤级中试线',
      price: 2_500_000,
      timeline: '中试6个月，产线改造4个月',
      achievementIds,
    });
    // A proposal needs the solver's registration with the terms accepted; refused, it stores nothing.
    const unregistered = await http()
      .post(`/v1/challenges/${id}/proposals`)
      .set('X-Api-Key', solver.key)
      .send(answer('未登记的方案', '未接受条款', [recycling]))
      .expect(403);
    expect(unregistered.body.error).toBe('TERMS_NOT_ACCEPTED');
    expect((await http().get(`/v1/challenges/${id}/proposals/mine`).set('X-Api-Key', solver.key)).body).toEqual({});
    for (const party of [solver, other])
      await http()
        .post(`/v1/challenges/${id}/registrations`)
        .set('X-Api-Key', party.key)
        .send({ acceptTerms: true })
        .expect(200);
    const good = (
      await http()
        .post(`/v1/challenges/${id}/proposals`)
        .set('X-Api-Key', solver.key)
        .send(
          answer(
            '选择性浸出—萃取联合工艺回收镍钴锰锂',
            '退役三元电池正极材料选择性浸出，萃取分离镍钴锰，碳酸锂沉淀回收锂，综合回收率98.5%。',
            [recycling],
          ),
        )
        .expect(201)
    ).body;
    const again = await http()
      .post(`/v1/challenges/${id}/proposals`)
      .set('X-Api-Key', solver.key)
      .send(answer('重复提交', '同一组织的第二份方案', []))
      .expect(409);
    expect(again.body.message).toContain(good.id);
    const weak = (
      await http()
        .post(`/v1/challenges/${id}/proposals`)
        .set('X-Api-Key', other.key)
        .send(answer('石墨烯涂层用于电池外壳防腐', '以石墨烯改性环氧涂层保护电池包外壳。', [coating]))
        .expect(201)
    ).body;
    // Outside the eligible regions; building on someone else's achievement.
    await http()
      .post(`/v1/challenges/${id}/proposals`)
      .set('X-Api-Key', outsider.key)
      .send(answer('方案', '方法', []))
      .expect(403);
    await http()
      .put(`/v1/proposals/${weak.id}`)
      .set('X-Api-Key', other.key)
      .send(answer('石墨烯涂层用于电池外壳防腐', '以石墨烯改性环氧涂层保护电池包外壳。', [recycling]))
      .expect(403);

    // Seen by its author and the owner, not by the other solver.
    await http().get(`/v1/proposals/${good.id}`).set('X-Api-Key', solver.key).expect(200);
    await http().get(`/v1/proposals/${good.id}`).set('X-Api-Key', other.key).expect(404);
    await http().get(`/v1/proposals/${good.id}`).set('X-Api-Key', enterprise.key).expect(200);
    await http().get(`/v1/challenges/${id}/proposals`).set('X-Api-Key', other.key).expect(403);

    const ranked = await eventually(async () => {
      const r = await http().get(`/v1/challenges/${id}/proposals`).set('X-Api-Key', enterprise.key).expect(200);
      return r.body.every((p: { fit: number | null }) => p.fit !== null) ? r.body : undefined;
    }, 30_000);
    expect(ranked.map((p: { id: string }) => p.id)).toEqual([good.id, weak.id]);
    expect(ranked[0].fitParts.map((p: { name: string }) => p.name)).toEqual([
      'statement',
      '技术路线可行性',
      '团队与条件',
    ]);
    expect(ranked[0].fitParts[0].why.zh).toMatch(/与榜单问题的语义相似度 0\.\d\d/);

    const scored = await http()
      .put(`/v1/proposals/${weak.id}/scores`)
      .set('X-Api-Key', enterprise.key)
      .send({ scores: { 技术路线可行性: 9, 团队与条件: 9 } })
      .expect(200);
    expect(scored.body).toMatchObject({ rank: 1, judgeTotal: 9, judges: 1 });
    // A second key of the owner's organisation is the same judge: its scores replace, they do not add a judge.
    const ownerSecondKey = (
      await app.get(ApiKeysService).create('system', { role: 'enterprise', organisationId: enterprise.organisationId })
    ).secret;
    const rescored = await http()
      .put(`/v1/proposals/${weak.id}/scores`)
      .set('X-Api-Key', ownerSecondKey)
      .send({ scores: { 技术路线可行性: 7 } })
      .expect(200);
    expect(rescored.body).toMatchObject({ judges: 1, judgeScores: { 技术路线可行性: 7, 团队与条件: 9 } });
    await http()
      .put(`/v1/proposals/${weak.id}/scores`)
      .set('X-Api-Key', enterprise.key)
      .send({ scores: { 价格: 5 } })
      .expect(409);
    await http()
      .put(`/v1/proposals/${weak.id}/scores`)
      .set('X-Api-Key', solver.key)
      .send({ scores: { 团队与条件: 10 } })
      .expect(404);

    // Not before the deadline; then the award makes the lead.
    await http()
      .post(`/v1/challenges/${id}/award`)
      .set('X-Api-Key', enterprise.key)
      .send({ proposalId: good.id, partnerKind: 'achievement', partnerId: recycling, reason: '技术路线更契合' })
      .expect(409);
    await eventually(async () => {
      const r = await http().get(`/v1/challenges/${id}`).set('X-Api-Key', enterprise.key);
      return r.body.state === 'reviewing' ? true : undefined;
    }, 20_000);
    await http()
      .put(`/v1/proposals/${good.id}`)
      .set('X-Api-Key', solver.key)
      .send(answer('改', '改', [recycling]))
      .expect(409);
    const awarded = await http()
      .post(`/v1/challenges/${id}/award`)
      .set('X-Api-Key', enterprise.key)
      .send({ proposalId: good.id, partnerKind: 'achievement', partnerId: recycling, reason: '技术路线更契合' })
      .expect(200);
    expect(awarded.body).toMatchObject({ state: 'awarded', awardedProposalId: good.id });
    const lost = await http().get(`/v1/proposals/${weak.id}`).set('X-Api-Key', other.key).expect(200);
    expect(lost.body).toMatchObject({ outcome: 'not_awarded', outcomeReason: '技术路线更契合' });

    const lead = (await http().get(`/v1/leads/${awarded.body.leadId}`).set('X-Api-Key', admin).expect(200)).body;
    // Matching may have proposed the pair already (the achievement fits the demand): the award takes that lead over.
    expect(lead).toMatchObject({ challengeId: id, partnerId: recycling, brokerId: b.body.id });
    expect(['challenge', 'matching']).toContain(lead.origin);
    expect(lead.consentAt).not.toBeNull();
    for (const to of ['accepted', 'contacted', 'negotiating'])
      await http().post(`/v1/leads/${lead.id}/transitions`).set('X-Api-Key', brokerKey).send({ to }).expect(200);
    const signed = await http()
      .post(`/v1/leads/${lead.id}/transitions`)
      .set('X-Api-Key', brokerKey)
      .send({
        to: 'contract_signed',
        contract: {
          amount: 3_000_000,
          transactionMode: 'negotiated',
          registrationNumber: '2026330500000789',
          settledOnExchange: true,
        },
      })
      .expect(200);
    // No box ticked: the award's contract gets the challenge winners' (auction) rate, 20% of 3,000,000.
    expect(signed.body.contract.challengeWinner).toBe(true);
    expect(signed.body.subsidy.total).toBe(600_000);

    // The operators' funnel counts this challenge from publication to its contract.
    const after = await funnel();
    const grew = (k: string) => after[k] - before[k];
    expect(grew('published')).toBe(1);
    expect(grew('awarded')).toBe(1);
    expect(grew('invitationsSent')).toBeGreaterThanOrEqual(1);
    expect(grew('invitationsAnswered')).toBeGreaterThanOrEqual(1);
    expect(grew('proposals')).toBe(2); // good and weak
    expect(grew('prizeAwarded')).toBe(challenge(demandId, deadline).prizeAmount);
    expect(grew('contracts')).toBe(1);
    expect(grew('contractAmount')).toBe(3_000_000);
  });

  it('takes any text as a criterion name, __proto__ and constructor too, in the challenge and in the scores', async () => {
    const names = ['__proto__', 'constructor', 'prototype', 'toString'];
    const created = await http()
      .post('/v1/challenges')
      .set('X-Api-Key', enterprise.key)
      .send({
        ...challenge(demandId, inAMonth()),
        eligibleKinds: [],
        criteria: names.map((name) => ({ name, description: '', weight: 1 })),
      })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body.criteria.map((c: { name: string }) => c.name)).toEqual(names);
    // A PATCH cannot send null for a field every challenge has (it reached the NOT NULL column).
    const cleared = await http().patch(`/v1/challenges/${id}`).set('X-Api-Key', enterprise.key).send({ title: null });
    expect([cleared.status, cleared.body.details?.[0]?.field]).toEqual([400, 'title']);
    await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'open' })
      .expect(200);
    await http()
      .post(`/v1/challenges/${id}/registrations`)
      .set('X-Api-Key', solver.key)
      .send({ acceptTerms: true })
      .expect(200);
    const proposal = (
      await http()
        .post(`/v1/challenges/${id}/proposals`)
        .set('X-Api-Key', solver.key)
        .send({ summary: '方案', approach: '选择性浸出', team: '教授2名', timeline: '六个月' })
        .expect(201)
    ).body.id as string;
    // Sent as written: an object literal would take __proto__ as its prototype, not as a key.
    const scored = await http()
      .put(`/v1/proposals/${proposal}/scores`)
      .set('X-Api-Key', enterprise.key)
      .set('Content-Type', 'application/json')
      .send('{"scores": {"__proto__": 7, "constructor": 5, "prototype": 3, "toString": 9}}')
      .expect(200);
    expect(JSON.parse(scored.text).judgeScores).toEqual(
      JSON.parse('{"__proto__": 7, "constructor": 5, "prototype": 3, "toString": 9}'),
    );
    const unknown = await http()
      .put(`/v1/proposals/${proposal}/scores`)
      .set('X-Api-Key', enterprise.key)
      .set('Content-Type', 'application/json')
      .send('{"scores": {"hasOwnProperty": 7}}')
      .expect(409);
    expect(unknown.body.message).toContain('hasOwnProperty');
    await http()
      .post(`/v1/challenges/${id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'cancelled', reason: '测试结束' })
      .expect(200);
  });
});
