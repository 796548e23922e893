import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApiKeysService } from '@app/access';
import { SearchIndexService } from '@app/vector-index';
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

const battery = {
  title: '退役动力电池正极材料高效湿法回收技术',
  abstract: '针对退役三元锂电池，采用选择性浸出与萃取分离工艺回收锂、钴、镍，回收率超过95%，已完成中试验证。',
  keywords: ['动力电池', '回收', '湿法冶金'],
  industryCode: '42',
  readinessLevel: 6,
  askingPrice: 800000,
  transactionMode: 'negotiated',
  cooperationModes: ['transfer', 'licence'],
  regionCode: '330106',
};
const unrelated = {
  title: '一种治疗2型糖尿病的中药组合物',
  abstract: '由黄芪、葛根等组成的中药复方，可改善胰岛素抵抗，已获发明专利授权。',
  industryCode: '27',
  readinessLevel: 4,
  regionCode: '330106',
};
const demand = { ...batteryDemand, keywords: ['動力電池', '回收'] };

describe('leads (e2e: real model, index, queues and outbox relay)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let institution: Party;
  let enterprise: Party;
  let office: { organisationId: string };
  const brokerKeys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  let leadId: string;
  let brokerKey: string;

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    admin = await makeAdminKey(app);
    institution = await makeParty(app, 'university', 'institution', '330106');
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
    office = await makeOrganisation(app, 'transfer_organisation', '330500');
    for (const [name, expertise] of [
      ['陈经纪', '新能源电池回收与循环利用领域技术转移'],
      ['林经纪', '生物医药与中药现代化成果转化'],
    ]) {
      const b = await http()
        .post('/v1/brokers')
        .set('X-Api-Key', admin)
        .send({
          organisationId: office.organisationId,
          name,
          expertise,
          industryCodes: ['42', '27'],
          regionCodes: ['330000'],
        })
        .expect(201);
      const key = await app
        .get(ApiKeysService)
        .create('system', { role: 'broker', organisationId: office.organisationId, brokerId: b.body.id });
      brokerKeys[b.body.id] = key.secret;
      ids[name] = b.body.id;
    }
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined));
    for (const [name, a] of [
      ['battery', battery],
      ['unrelated', unrelated],
    ] as const) {
      ids[name] = (await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(a).expect(201)).body.id;
    }
    // Brokers and achievements embedded and indexed before the demand arrives, as in a running market.
    await eventually(async () => {
      const r = await http().get('/v1/achievements').query({ embeddingStatus: 'pending' }).set('X-Api-Key', admin);
      const b = await http().get('/v1/brokers').query({ embeddingStatus: 'pending' }).set('X-Api-Key', admin);
      return r.body.items.length + b.body.items.length === 0 ? true : undefined;
    }, 60_000);
    await app.get(SearchIndexService).syncAll();
    ids.demand = (await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(demand).expect(201)).body.id;
  }, 120_000);
  afterAll(() => app.close());

  it("turns the demand's best match into a lead offered to the broker whose expertise fits, with the reasons", async () => {
    const lead = await eventually(async () => {
      const r = await http().get('/v1/leads').query({ demandId: ids.demand }).set('X-Api-Key', admin).expect(200);
      return r.body.items.find(
        (l: { partnerId: string; state: string }) => l.partnerId === ids.battery && l.state === 'offered',
      );
    }, 60_000);
    leadId = lead.id;
    expect(lead.origin).toBe('matching');
    expect(lead.brokerId).toBe(ids['陈经纪']);
    brokerKey = brokerKeys[lead.brokerId];
    const full = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', admin).expect(200);
    expect(full.body.match.explanation.en).toContain('TRL 6 >= required 5');
    expect(full.body.assignment.explanation.en).toContain('expertise similarity');
    // The explanation was computed on the demand's public form: nothing confidential in it.
    expect(JSON.stringify(full.body.match)).not.toMatch(/兩千噸|两千吨/);
  });

  it("puts the offer in the broker's inbox, with why it was assigned", async () => {
    const item = await eventually(async () => {
      const r = await http().get('/v1/inbox').set('X-Api-Key', brokerKey).expect(200);
      return r.body.find((i: { leadId: string }) => i.leadId === leadId);
    });
    expect(item.why.zh).toContain('专长相似度');
    await http().get('/v1/inbox').set('X-Api-Key', institution.key).expect(403);
  });

  it('shows the institution only the teaser until the enterprise consents', async () => {
    const before = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', institution.key).expect(200);
    expect(before.body.demand.description).toBeNull();
    expect(before.body.assignment).toBeNull();
    // What each party may do next comes with the lead, so that pages show only those actions.
    expect(before.body.actions).toEqual([]);
    const asBroker = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', brokerKey).expect(200);
    expect(asBroker.body.actions).toEqual(['accepted', 'declined']);
    const asEnterprise = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', enterprise.key).expect(200);
    expect(asEnterprise.body.actions).toEqual(['declined', 'consent']);
    await http().post(`/v1/leads/${leadId}/consent`).set('X-Api-Key', institution.key).expect(403);
    await http().post(`/v1/leads/${leadId}/consent`).set('X-Api-Key', enterprise.key).expect(200);
    const after = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', institution.key).expect(200);
    expect(after.body.demand.description).toBe(demand.description);
    const stranger = await makeParty(app, 'enterprise', 'enterprise');
    await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', stranger.key).expect(404);
  });

  it('refuses an invalid move with 409 naming the allowed ones, and a decline without a reason with 400', async () => {
    const skip = await http()
      .post(`/v1/leads/${leadId}/transitions`)
      .set('X-Api-Key', brokerKey)
      .send({ to: 'negotiating' })
      .expect(409);
    expect(skip.body).toMatchObject({ error: 'INVALID_TRANSITION', allowed: ['accepted', 'declined'] });
    const noReason = await http()
      .post(`/v1/leads/${leadId}/transitions`)
      .set('X-Api-Key', brokerKey)
      .send({ to: 'declined' })
      .expect(400);
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    await http()
      .post(`/v1/leads/${leadId}/transitions`)
      .set('X-Api-Key', institution.key)
      .send({ to: 'accepted' })
      .expect(403);
  });

  it('follows the lead to a signed contract with its subsidy estimate, and counts it in the funnel and ranking', async () => {
    for (const to of ['accepted', 'contacted', 'negotiating'])
      await http().post(`/v1/leads/${leadId}/transitions`).set('X-Api-Key', brokerKey).send({ to }).expect(200);
    // A date PostgreSQL cannot read, an amount its numeric(16, 2) stores as 0: each a 400 naming it (were 500s).
    for (const [field, bad] of [
      ['signedAt', { signedAt: '2026-W47-5' }],
      ['signedAt', { signedAt: '2026-324' }],
      ['amount', { amount: 1e-9 }],
      ['amount', { amount: 5e-324 }],
      ['paidAmount', { paidAmount: 0.001 }],
    ] as const) {
      const r = await http()
        .post(`/v1/leads/${leadId}/transitions`)
        .set('X-Api-Key', brokerKey)
        .send({
          to: 'contract_signed',
          contract: {
            amount: 3_000_000,
            transactionMode: 'negotiated',
            registrationNumber: '2026330500000123',
            settledOnExchange: true,
            ...bad,
          },
        });
      expect([r.status, r.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, [`contract.${field}`]]);
    }
    expect((await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', brokerKey).expect(200)).body.state).toBe(
      'negotiating',
    );
    const signed = await http()
      .post(`/v1/leads/${leadId}/transitions`)
      .set('X-Api-Key', brokerKey)
      .send({
        to: 'contract_signed',
        contract: {
          amount: 3_000_000,
          transactionMode: 'negotiated',
          registrationNumber: '2026330500000123',
          settledOnExchange: true,
          signedAt: '2026-11-20',
        },
      })
      .expect(200);
    expect(signed.body.subsidy.total).toBe(450_000);
    expect(signed.body.subsidy.items[0].ruleId).toBe('zj-2019-standard');
    expect(signed.body.demand.description).toBe(demand.description); // the broker who accepted sees it whole
    const won = await http()
      .post(`/v1/leads/${leadId}/transitions`)
      .set('X-Api-Key', brokerKey)
      .send({ to: 'closed_won' })
      .expect(200);
    expect(won.body.events.map((e: { toState: string }) => e.toState)).toEqual([
      'unassigned',
      'offered',
      'offered', // consent: recorded as an event that keeps the state
      'accepted',
      'contacted',
      'negotiating',
      'contract_signed',
      'closed_won',
    ]);
    const funnel = await http()
      .get('/v1/reports/funnel')
      .query({ by: 'organisation' })
      .set('X-Api-Key', admin)
      .expect(200);
    const row = funnel.body.find((r: { key: string }) => r.key === office.organisationId);
    expect(row).toMatchObject({ offered: expect.any(Number), accepted: 1, contracted: 1, contractAmount: 3_000_000 });
    const ranking = await http().get('/v1/reports/ranking').query({ year: 2026 }).set('X-Api-Key', admin).expect(200);
    expect(ranking.body).toMatchObject({ year: 2026, minCreditScore: 60, creditRuleVersion: expect.any(Number) });
    expect(
      ranking.body.rows.find((r: { organisationId: string }) => r.organisationId === office.organisationId),
    ).toMatchObject({
      amount: 3_000_000,
      contracts: 1,
      rewardEligible: false,
      creditScore: expect.any(Number),
    });
    await http().get('/v1/reports/ranking').set('X-Api-Key', enterprise.key).expect(403);
  });

  it('lets operators add a city subsidy scheme as data, which then applies to contracts signed after it', async () => {
    // Rules are never deleted (retired ones stay for the record): an id of its own for each run.
    const rule = {
      id: `huzhou-extra-${randomUUID().slice(0, 8)}`,
      scheme: 'huzhou-city',
      authority: '湖州市科学技术局',
      regionPrefix: '3305',
      minAmount: 500000,
      rate: 0.05,
      cap: 300000,
      source: '湖州市科技成果转化补助办法 (示例)',
    };
    await http().post('/v1/subsidy-rules').set('X-Api-Key', enterprise.key).send(rule).expect(403);
    const bad = await http()
      .post('/v1/subsidy-rules')
      .set('X-Api-Key', admin)
      .send({ ...rule, rate: 2 })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['rate']);
    await http().post('/v1/subsidy-rules').set('X-Api-Key', admin).send(rule).expect(201);
    await http().post('/v1/subsidy-rules').set('X-Api-Key', admin).send(rule).expect(409);
    const rules = await http().get('/v1/subsidy-rules').set('X-Api-Key', admin).expect(200);
    expect(rules.body.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['zj-2019-standard', 'zj-2019-auction', rule.id]),
    );
    // The contract signed before keeps the estimate it got; a contract signed now gets both schemes (the buyer is
    // in Huzhou): 15% of 2,000,000 from the province and 5% from the city.
    const before = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', admin).expect(200);
    expect(before.body.subsidy.total).toBe(450_000);
    const separator = (
      await http()
        .post('/v1/achievements')
        .set('X-Api-Key', institution.key)
        .send({
          ...battery,
          title: '三元正极材料前驱体再生技术',
          abstract: '以回收所得镍钴锰溶液为原料，通过共沉淀直接再生三元正极前驱体，产品达到电池级标准。',
          askingPrice: 2_000_000,
        })
        .expect(201)
    ).body.id;
    await eventually(async () => {
      const r = await http().get(`/v1/achievements/${separator}`).set('X-Api-Key', admin);
      return r.body.embedding.status === 'ready' ? true : undefined;
    });
    // Matching may have proposed this pair already (the new achievement looks for demands): then the pair's lead is
    // returned with 200, and followed just the same.
    const introduced = await http()
      .post('/v1/leads')
      .set('X-Api-Key', admin)
      .send({ demandId: ids.demand, partnerKind: 'achievement', partnerId: separator });
    expect([200, 201]).toContain(introduced.status);
    const key = brokerKeys[introduced.body.brokerId];
    for (const to of ['accepted', 'contacted', 'negotiating'])
      await http().post(`/v1/leads/${introduced.body.id}/transitions`).set('X-Api-Key', key).send({ to }).expect(200);
    const signed = await http()
      .post(`/v1/leads/${introduced.body.id}/transitions`)
      .set('X-Api-Key', key)
      .send({
        to: 'contract_signed',
        contract: {
          amount: 2_000_000,
          transactionMode: 'negotiated',
          registrationNumber: '2026330500000456',
          settledOnExchange: true,
        },
      })
      .expect(200);
    expect(signed.body.subsidy.total).toBe(300_000 + 100_000);
    expect(signed.body.subsidy.items.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual([
      rule.id,
      'zj-2019-standard',
    ]);
    await http().delete(`/v1/subsidy-rules/${rule.id}`).set('X-Api-Key', admin).expect(204);
    await http().delete(`/v1/subsidy-rules/${rule.id}`).set('X-Api-Key', admin).expect(404);
  });

  it('introduces a pair by hand once, and tells the owner why its leads were declined', async () => {
    const pair = { demandId: ids.demand, partnerKind: 'achievement', partnerId: ids.unrelated };
    const first = await http().post('/v1/leads').set('X-Api-Key', admin).send(pair).expect(201);
    const again = await http().post('/v1/leads').set('X-Api-Key', admin).send(pair).expect(200);
    expect(again.body.id).toBe(first.body.id);
    await http()
      .post(`/v1/leads/${first.body.id}/transitions`)
      .set('X-Api-Key', enterprise.key)
      .send({ to: 'declined', reason: 'wrong_field' })
      .expect(200);
    const reasons = await http()
      .get(`/v1/achievements/${ids.unrelated}/decline-reasons`)
      .set('X-Api-Key', institution.key)
      .expect(200);
    expect(reasons.body).toEqual({ total: 1, reasons: [{ reason: 'wrong_field', count: 1, notes: [] }] });
    await http().get(`/v1/achievements/${ids.unrelated}/decline-reasons`).set('X-Api-Key', enterprise.key).expect(403);
  });

  it("shows each match's lead, and no longer shows a pair that was declined", async () => {
    const res = await http().get(`/v1/demands/${ids.demand}/matches`).set('X-Api-Key', enterprise.key).expect(200);
    const partners = res.body.map((m: { id: string }) => m.id);
    expect(partners).not.toContain(ids.unrelated);
    const match = res.body.find((m: { id: string }) => m.id === ids.battery);
    expect(match.lead).toEqual({ id: leadId, state: 'closed_won' });
    // The counterpart's credit record: the institution holding the achievement, a party to both contracts.
    expect(match.credit).toEqual({
      score: expect.any(Number),
      ruleVersion: expect.any(Number),
      counts: expect.objectContaining({ contract_signed: 2, settled_on_exchange: 2, bad_faith_report: 0 }),
    });
    const byIndustry = await http()
      .get('/v1/reports/funnel')
      .query({ by: 'industry' })
      .set('X-Api-Key', admin)
      .expect(200);
    expect(byIndustry.body.find((r: { key: string }) => r.key === '42')).toMatchObject({ contracted: 2 });
  });

  it('counts leads, moves and deliveries on /metrics', async () => {
    const leads: { origin: string }[] = (await http().get('/v1/leads').query({ limit: 100 }).set('X-Api-Key', admin))
      .body.items;
    const created = (origin: string) => leads.filter((l) => l.origin === origin).length;
    expect(created('manual')).toBeGreaterThanOrEqual(1);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toContain(`leads_created_total{origin="matching"} ${created('matching')}`);
    expect(metrics).toContain(`leads_created_total{origin="manual"} ${created('manual')}`);
    expect(metrics).toMatch(/lead_transitions_total\{to="contract_signed"\} 2/);
    expect(metrics).toMatch(/lead_deliveries_total\{channel="inbox",outcome="delivered"\} [1-9]/);
    expect(metrics).toMatch(/outbox_backlog \d+/);
    expect(metrics).toMatch(/queue_jobs\{queue="leads",state="waiting"\}/);
  });

  it("shows a lead's parties' and broker's credit records to the enterprise", async () => {
    const res = await http().get(`/v1/leads/${leadId}`).set('X-Api-Key', enterprise.key).expect(200);
    const own = await http()
      .get(`/v1/organisations/${enterprise.organisationId}/credit`)
      .set('X-Api-Key', enterprise.key)
      .expect(200);
    expect(res.body.credit.demandOrganisation).toEqual({
      score: own.body.score.score,
      ruleVersion: own.body.score.rule.version,
      counts: own.body.counts,
    });
    expect(res.body.credit.partnerOrganisation.counts.contract_signed).toBe(2);
    expect(res.body.credit.broker.counts.closed_won).toBe(1);
  });

  it('publishes each transfer organisation’s quarter with its credit score; a record below the floor leaves the ranking, which says so', async () => {
    const report = await http()
      .get('/v1/reports/performance')
      .query({ period: '2026-Q4' })
      .set('X-Api-Key', enterprise.key) // published: every role reads it
      .expect(200);
    expect(report.body).toMatchObject({
      period: '2026-Q4',
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      creditRuleVersion: expect.any(Number),
    });
    const row = report.body.organisations.find(
      (r: { organisationId: string }) => r.organisationId === office.organisationId,
    );
    expect(row).toMatchObject({ contracts: 2, brokeredAmount: 5_000_000, convertedLeads: 2, lapsedOffers: 0 });
    expect(row.acceptedLeads).toBeGreaterThanOrEqual(2);
    expect(row.conversion).toBeCloseTo(row.convertedLeads / row.acceptedLeads);
    expect(row.medianResponseHours).toEqual(expect.any(Number));
    const record = async () =>
      (await http().get(`/v1/organisations/${office.organisationId}/credit`).set('X-Api-Key', admin).expect(200)).body;
    expect(row.creditScore).toBe((await record()).score.score);
    const bad = await http().get('/v1/reports/performance').query({ period: '2026-Q5' }).set('X-Api-Key', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['period']);

    const ranked = await http().get('/v1/reports/ranking').query({ year: 2026 }).set('X-Api-Key', admin).expect(200);
    const isOffice = (r: { organisationId: string }) => r.organisationId === office.organisationId;
    expect(ranked.body.rows.some(isOffice)).toBe(true);
    while ((await record()).score.score >= ranked.body.minCreditScore)
      await http()
        .post('/v1/credit-reports')
        .set('X-Api-Key', admin)
        .send({
          subjectKind: 'organisation',
          subjectId: office.organisationId,
          summary: '虚报技术合同成交额',
          evidence: [{ description: '登记机构核查记录' }],
        })
        .expect(201);
    const after = await http().get('/v1/reports/ranking').query({ year: 2026 }).set('X-Api-Key', admin).expect(200);
    expect(after.body.rows.some(isOffice)).toBe(false);
    expect(after.body.leftOut.find(isOffice)).toMatchObject({
      contracts: 2,
      amount: 5_000_000,
      creditScore: (await record()).score.score,
    });
    expect(after.body.leftOut.find(isOffice).creditScore).toBeLessThan(after.body.minCreditScore);
  });
});
