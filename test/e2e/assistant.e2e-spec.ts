import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { emptyMarket, eventually, makeAdminKey, makeParty, type Party } from '../fixtures';

const catalogue = [
  {
    title: '基于机器视觉的布匹瑕疵在线检测系统',
    abstract: '采用线阵相机与深度学习模型，在织造与验布工序实时识别布面破洞、污渍、断经断纬等瑕疵，检出率98%。',
    industryCode: '1751',
    readinessLevel: 7,
    cooperationModes: ['licence', 'joint_development'],
    regionCode: '330106',
  },
  {
    title: '纺织面料疵点智能识别方法',
    abstract: '一种对织物图像进行纹理建模的疵点识别方法，适用于色织布和印花布的自动验布。',
    industryCode: '1713',
    readinessLevel: 5,
    cooperationModes: ['licence', 'transfer'],
    regionCode: '330106',
  },
  {
    title: '废旧锂离子电池正极材料湿法回收技术',
    abstract: '退役动力电池正极材料的湿法冶金回收工艺，锂、钴、镍回收率均超过95%。',
    industryCode: '42',
    readinessLevel: 6,
    cooperationModes: ['transfer'],
    regionCode: '330106',
  },
  {
    title: '一种治疗2型糖尿病的中药组合物',
    abstract: '由黄芪、葛根等组成的中药复方，可改善胰岛素抵抗，已获发明专利授权。',
    industryCode: '27',
    readinessLevel: 4,
    regionCode: '330106',
  },
];
// The rest of a catalogue, so that a word found in three records is rare in it.
const others: [string, string, string][] = [
  ['光伏组件自动清洗机器人', '适用于大型地面光伏电站的自主导航清洗机器人，无水清洁组件表面积灰。', '35'],
  ['基于深度学习的印刷电路板焊点缺陷检测', '卷积神经网络识别电路板焊点虚焊、短路与线路缺陷。', '39'],
  ['高强度铝合金汽车轮毂低压铸造工艺', '通过模具温度场控制减少缩孔缩松，轮毂疲劳寿命提升30%。', '36'],
  ['茶叶农药残留快速检测试纸', '基于酶抑制原理的试纸条，十分钟内判定有机磷类农药是否超标。', '40'],
  ['生猪养殖废水厌氧处理与沼气回收', '两级厌氧反应器处理高浓度养殖废水，COD去除率90%以上。', '77'],
  ['数控机床主轴热误差补偿方法', '建立温度与主轴伸长的回归模型，实时补偿加工误差。', '34'],
  ['可降解聚乳酸吸管的改性配方', '添加成核剂提高聚乳酸耐热性，吸管可耐受70摄氏度热饮。', '29'],
  ['桥梁拉索健康监测光纤传感系统', '分布式光纤光栅监测拉索应变与温度，实现损伤预警。', '48'],
  ['中小学在线作业智能批改平台', '手写体识别与知识点诊断，自动批改数学作业并生成错题本。', '65'],
  ['海水养殖大黄鱼疫苗', '一种针对大黄鱼内脏白点病的灭活疫苗，保护率达80%。', '27'],
];
const secret = {
  title: '布匹瑕疵检测专用高速线阵相机',
  abstract: '面向验布机的国产高速线阵相机与照明模组，尚未公开。',
  industryCode: '1751',
  readinessLevel: 9,
  visibility: 'private',
  regionCode: '330106',
};
const draft = {
  title: '布匹瑕疵自动检测',
  description: '我们是绍兴的一家纺织厂，验布全靠人工，漏检多、效率低，想用摄像头自动找出布面上的破洞和污渍。',
  regionCode: '330602',
};

describe('demand assistant (e2e, real model and index)', () => {
  let app: NestExpressApplication;
  let institution: Party;
  let enterprise: Party;
  let neighbour: Party;
  const ids: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  const assist = (body: object, key = enterprise.key) =>
    http().post('/v1/demands/assist').set('X-Api-Key', key).send(body);

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    institution = await makeParty(app, 'university', 'institution', '330106');
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330602');
    neighbour = await makeParty(app, 'enterprise', 'enterprise', '330602');
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined));
    const filler = others.map(([title, abstract, industryCode]) => ({
      title,
      abstract,
      industryCode,
      readinessLevel: 6,
      regionCode: '330106',
    }));
    for (const a of [...catalogue, ...filler, secret]) {
      const r = await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(a).expect(201);
      ids[a.title] = r.body.id;
    }
    // Another enterprise of the same town already asked for the same, in public; a third keeps its copy as a draft.
    const open = await http()
      .post('/v1/demands')
      .set('X-Api-Key', neighbour.key)
      .send({ ...draft, title: '布匹瑕疵自动检测设备', industryCode: '17' })
      .expect(201);
    ids.duplicate = open.body.id;
    const hidden = await http()
      .post('/v1/demands')
      .set('X-Api-Key', neighbour.key)
      .send({ ...draft, status: 'draft' })
      .expect(201);
    ids.hidden = hidden.body.id;
    await eventually(async () => {
      for (const path of ['achievements', 'demands']) {
        const r = await http()
          .get(`/v1/${path}`)
          .query({ embeddingStatus: 'pending' })
          .set('X-Api-Key', await makeAdminKey(app));
        if (r.body.items.length > 0) return undefined;
      }
      return true;
    }, 60_000);
    await app.get(SearchIndexService).syncAll();
  }, 120_000);
  afterAll(() => app.close());

  it('suggests the textile industry, and names the records it rests on and what decided', async () => {
    const res = await assist(draft).expect(200);
    const { suggestions, decidedBy } = res.body.industry;
    expect(suggestions).toHaveLength(3);
    expect(suggestions[0]).toMatchObject({ code: '17', name: '纺织业' });
    expect(suggestions[0].confidence).toBeGreaterThan(suggestions[1].confidence);
    expect(suggestions[0].basis.map((b: { id: string }) => b.id)).toEqual(
      expect.arrayContaining([ids[catalogue[0].title], ids[catalogue[1].title]]),
    );
    // Two of the catalogue's sixteen labelled records carry it, and they outweigh the names' prior.
    expect(decidedBy).toBe('catalogue');
  });

  it('suggests rare keywords of the draft shared with the nearest achievements, not generic words', async () => {
    const res = await assist(draft).expect(200);
    const keywords = res.body.keywords.map((k: { keyword: string }) => k.keyword);
    expect(keywords.length).toBeGreaterThan(0);
    expect(keywords.length).toBeLessThanOrEqual(5);
    expect(keywords).toEqual(expect.arrayContaining(['瑕疵', '布匹']));
    expect(keywords).not.toContain('我们');
    const shared = res.body.keywords.find((k: { keyword: string }) => k.keyword === '瑕疵');
    expect(shared.sharedWith).toBeGreaterThanOrEqual(1);
  });

  it('suggests the readiness and cooperation modes the nearest achievements offer', async () => {
    const res = await assist(draft).expect(200);
    // The two textile records offer TRL 7 and 5; the others, far from the draft, weigh next to nothing.
    expect(res.body.minReadinessLevel.value).toBeGreaterThanOrEqual(5);
    expect(res.body.minReadinessLevel.value).toBeLessThanOrEqual(7);
    expect(res.body.minReadinessLevel.basis[0].id).toBe(ids[catalogue[0].title]);
    expect(res.body.cooperationModes.map((m: { mode: string }) => m.mode)).toEqual(['licence', 'joint_development']);
  });

  it('shows the open demand that asks the same, never a draft of someone else', async () => {
    const res = await assist(draft).expect(200);
    const duplicates = res.body.possibleDuplicates.map((d: { id: string }) => d.id);
    expect(duplicates).toContain(ids.duplicate);
    expect(duplicates).not.toContain(ids.hidden);
    expect(res.body.possibleDuplicates[0].similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('previews the three best matches with their explanations, never a private achievement', async () => {
    const res = await assist(draft).expect(200);
    expect(res.body.preview).toHaveLength(3);
    expect(res.body.preview[0].id).toBe(ids[catalogue[0].title]);
    expect(res.body.preview[0].title).toBe(catalogue[0].title);
    expect(res.body.preview[0].explanation.zh).toContain('语义');
    const shown = JSON.stringify(res.body);
    expect(shown).not.toContain(ids[secret.title]);
    expect(shown).not.toContain('线阵相机与照明模组');
  });

  it('reads a draft in Traditional Chinese as its Simplified twin', async () => {
    const traditional = {
      title: '布匹瑕疵自動檢測',
      description: '我們是紹興的一家紡織廠，驗布全靠人工，漏檢多、效率低，想用攝像頭自動找出布面上的破洞和污漬。',
    };
    const res = await assist(traditional).expect(200);
    expect(res.body.industry.suggestions[0].code).toBe('17');
    expect(res.body.preview[0].id).toBe(ids[catalogue[0].title]);
    expect(res.body.keywords.map((k: { keyword: string }) => k.keyword)).toContain('瑕疵');
  });

  it('stores nothing', async () => {
    const admin = await makeAdminKey(app);
    const before = await http().get('/v1/demands').query({ limit: 100 }).set('X-Api-Key', admin).expect(200);
    await assist({ title: '一个新的需求草稿' }).expect(200);
    const after = await http().get('/v1/demands').query({ limit: 100 }).set('X-Api-Key', admin).expect(200);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('refuses a bad draft naming the field, and roles that write no demand', async () => {
    const missing = await assist({ description: '只有正文' }).expect(400);
    expect(JSON.stringify(missing.body)).toContain('title');
    const budget = await assist({ title: '布匹检测', budgetMin: 500, budgetMax: 100 }).expect(400);
    expect(JSON.stringify(budget.body)).toContain('budgetMax');
    const unknown = await assist({ title: '布匹检测', secretField: 1 }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('secretField');
    await assist(draft, institution.key).expect(403);
    const programme = await makeParty(app, 'programme', 'programme');
    await assist(draft, programme.key).expect(200);
  });

  // An oracle like the confidential-vector one: records the enterprise may not read, full of the draft's own words,
  // must not move its suggestions (keyword rarity once counted drafts and private records too).
  it('suggests the same keywords whatever drafts and private records of others hold', async () => {
    const before = (await assist(draft).expect(200)).body.keywords;
    expect(before.length).toBeGreaterThan(0);
    const admin = await makeAdminKey(app);
    const hidden = Array.from({ length: 24 }, (_, i) => ({
      title: `${draft.title}（内部资料${i}）`,
      abstract: draft.description,
      industryCode: '1751',
      readinessLevel: 6,
      regionCode: '330106',
      ...(i % 2 ? { visibility: 'private' } : { status: 'draft' }),
    }));
    for (const a of hidden) await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(a).expect(201);
    await eventually(async () => {
      const r = await http().get('/v1/achievements').query({ embeddingStatus: 'pending' }).set('X-Api-Key', admin);
      return r.body.items.length === 0 ? true : undefined;
    }, 60_000);
    await app.get(SearchIndexService).syncAll();
    expect(app.get(SearchIndexService).rarity('achievement').size).toBeGreaterThanOrEqual(hidden.length);
    expect((await assist(draft).expect(200)).body.keywords).toEqual(before);
  }, 90_000);
});
