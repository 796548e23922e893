import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { batteryDemand, emptyMarket, eventually, makeParty, type Party } from '../fixtures';

const battery = {
  title: '废旧锂离子电池正极材料湿法回收技术',
  abstract: '本成果提出一种退役动力电池正极材料的湿法冶金回收工艺，锂、钴、镍回收率均超过95%，已完成千吨级中试。',
  keywords: ['动力电池', '回收', '湿法冶金'],
  industryCode: '42',
  readinessLevel: 6,
  askingPrice: 800000,
  transactionMode: 'listing',
  cooperationModes: ['transfer', 'licence'],
  regionCode: '330106',
};
const catalogue = [
  battery,
  {
    title: '光伏组件自动清洗机器人',
    abstract: '适用于大型地面光伏电站的自主导航清洗机器人，无水清洁组件表面积灰，发电量提升约8%。',
    industryCode: '35',
    readinessLevel: 7,
    regionCode: '330106',
  },
  {
    title: '一种治疗2型糖尿病的中药组合物',
    abstract: '由黄芪、葛根等组成的中药复方，可改善胰岛素抵抗，已获发明专利授权。',
    industryCode: '27',
    readinessLevel: 4,
    regionCode: '330106',
  },
  {
    // Written in Traditional Chinese.
    title: '基於深度學習的印刷電路板缺陷視覺檢測系統',
    abstract: '利用卷積神經網絡自動識別電路板焊點虛焊、短路與線路缺陷，檢出率達99.5%。',
    industryCode: '39',
    readinessLevel: 8,
    regionCode: '330106',
  },
];

describe('matching (e2e, real model and index)', () => {
  let app: NestExpressApplication;
  let institution: Party;
  let cityMarket: Party;
  let enterprise: Party;
  let programme: Party;
  const ids: Record<string, string> = {};
  const http = () => request(app.getHttpServer());

  const createAll = async () => {
    for (const a of catalogue) {
      const r = await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(a).expect(201);
      ids[a.title] = r.body.id;
    }
    // The battery result listed a second time, on a city sub-market.
    const twin = await http()
      .post('/v1/achievements')
      .set('X-Api-Key', cityMarket.key)
      .send({ ...battery, regionCode: '330100' });
    ids.twin = twin.body.id;
    const demands = {
      battery: batteryDemand,
      pcb: {
        title: '电路板产线需要自动检测焊点和线路缺陷',
        description: '我们的SMT产线依靠人工目检，漏检率高，希望引入机器视觉自动检测方案。',
        industryCode: '39',
        regionCode: '330502',
      },
      solar: {
        title: '降低光伏电站运维成本',
        description: '需要清洁光伏组件表面灰尘的自动化设备，减少人工和用水。',
        regionCode: '330502',
      },
    };
    for (const [name, d] of Object.entries(demands)) {
      const r = await http().post('/v1/demands').set('X-Api-Key', enterprise.key).send(d).expect(201);
      ids[name] = r.body.id;
    }
    const expert = await http()
      .post('/v1/experts')
      .set('X-Api-Key', institution.key)
      .send({
        name: '王教授',
        expertise: '锂离子电池材料回收与再生，湿法冶金，退役动力电池梯次利用',
        regionCodes: ['330100'],
      })
      .expect(201);
    ids.expert = expert.body.id;
  };

  /** Until every record is embedded and this process's index has caught up with the database. */
  const settle = async () => {
    await eventually(async () => {
      for (const path of ['achievements', 'demands', 'experts']) {
        const r = await http()
          .get(`/v1/${path}`)
          .query({ embeddingStatus: 'pending' })
          .set('X-Api-Key', institution.key);
        if (r.body.items.length > 0) return undefined;
      }
      return true;
    }, 60_000);
    await app.get(SearchIndexService).syncAll();
  };

  beforeAll(async () => {
    // Other suites list the same battery result; this one needs a catalogue of its own (suites run one at a time).
    await emptyMarket();
    app = await startApi();
    institution = await makeParty(app, 'university', 'institution', '330106');
    cityMarket = await makeParty(app, 'institute', 'institution', '330100');
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
    programme = await makeParty(app, 'programme', 'programme', '330100');
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined));
    await createAll();
    await settle();
  }, 120_000);
  afterAll(() => app.close());

  const matches = (demand: string, query: object = {}) =>
    http().get(`/v1/demands/${ids[demand]}/matches`).query(query).set('X-Api-Key', enterprise.key).expect(200);

  it('finds the battery recycling result first for a demand written in Traditional Chinese, and explains why', async () => {
    const res = await matches('battery');
    const first = res.body[0];
    expect(first.id).toBe(ids[battery.title]);
    expect(first.explanation.en).toContain('TRL 6 >= required 5');
    expect(first.explanation.en).toContain('asking 800k within budget 500k-1M');
    expect(first.explanation.zh).toContain('共同关键词');
    expect(first.explanation.zh).toContain('同省（浙江省）');
    expect(first.parts.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['semantic', 'keywords', 'industry', 'region', 'readiness', 'price', 'cooperation']),
    );
    expect(first.total).toBeGreaterThan(res.body[1].total);
  });

  it('folds the same result listed twice into one that names the other listing', async () => {
    const res = await matches('battery');
    const listed = res.body.map((m: { id: string }) => m.id);
    expect(listed).not.toContain(ids.twin);
    expect(res.body[0].alsoListedAs).toEqual([{ id: ids.twin, organisationId: cityMarket.organisationId }]);
  });

  it('finds the circuit-board inspection system, written in Traditional Chinese, for a Simplified demand', async () => {
    expect((await matches('pcb')).body[0].id).toBe(ids[catalogue[3].title]);
    expect((await matches('solar')).body[0].id).toBe(ids[catalogue[1].title]);
  });

  it('finds the expert for a demand', async () => {
    const res = await matches('battery', { target: 'experts' });
    expect(res.body[0].id).toBe(ids.expert);
    expect(res.body[0].kind).toBe('expert');
  });

  it('finds the demand for an achievement, in its public form only', async () => {
    const res = await http()
      .get(`/v1/achievements/${ids[battery.title]}/matches`)
      .set('X-Api-Key', institution.key)
      .expect(200);
    expect(res.body[0].id).toBe(ids.battery);
    expect(res.body[0].record.description).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain('兩千噸');
    expect(JSON.stringify(res.body)).not.toContain('两千吨');
  });

  it('refuses another enterprise the matches of a demand it does not own', async () => {
    const other = await makeParty(app, 'enterprise', 'enterprise');
    await http().get(`/v1/demands/${ids.battery}/matches`).set('X-Api-Key', other.key).expect(403);
  });

  it('applies filters inside the search and still returns what fits', async () => {
    const res = await matches('battery', { industryCode: '39' });
    expect(res.body.map((m: { id: string }) => m.id)).toEqual([ids[catalogue[3].title]]);
  });

  it('searches free text, hybrid by default, in Traditional or Simplified', async () => {
    for (const q of ['动力电池回收', '動力電池回收']) {
      const res = await http()
        .get('/v1/search')
        .query({ collection: 'achievements', q })
        .set('X-Api-Key', enterprise.key)
        .expect(200);
      expect([ids[battery.title], ids.twin]).toContain(res.body[0].id);
      expect(res.body[0].denseRank).not.toBeNull();
      expect(res.body[0].lexicalRank).not.toBeNull();
    }
  });

  it('never lets a search reveal a demand through its confidential text', async () => {
    const res = await http()
      .get('/v1/search')
      .query({ collection: 'demands', q: '兩千噸', mode: 'lexical' })
      .set('X-Api-Key', institution.key)
      .expect(200);
    expect(res.body).toEqual([]);
  });

  it('gives a commissioner programme partners of every kind', async () => {
    const res = await http()
      .post(`/v1/programmes/${programme.organisationId}/partners`)
      .set('X-Api-Key', programme.key)
      .send({ regionCode: '330100', industryCodes: ['42'], text: '电池回收' })
      .expect(200);
    expect([ids[battery.title], ids.twin]).toContain(res.body.achievements[0].id);
    expect(res.body.experts[0].id).toBe(ids.expert);
    expect(Array.isArray(res.body.demands)).toBe(true);
    await http()
      .post(`/v1/programmes/${programme.organisationId}/partners`)
      .set('X-Api-Key', enterprise.key)
      .send({ regionCode: '330100', industryCodes: [] })
      .expect(403);
  });

  it('never offers a withdrawn achievement once the index has caught up', async () => {
    await http().post(`/v1/achievements/${ids.twin}/withdraw`).set('X-Api-Key', cityMarket.key).expect(200);
    await http().post(`/v1/achievements/${ids[battery.title]}/withdraw`).set('X-Api-Key', institution.key).expect(200);
    await app.get(SearchIndexService).syncAll();
    const listed = (await matches('battery')).body.map((m: { id: string }) => m.id);
    expect(listed).not.toContain(ids[battery.title]);
    expect(listed).not.toContain(ids.twin);
  });
});
