import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { emptyMarket, eventually, makeAdminKey, makeParty, type Party } from '../fixtures';

/** Ten confidential topics, each with a paraphrase an outsider might search for, and an achievement that fits it. */
const TOPICS = [
  ['退役动力电池正极材料的湿法回收，提取锂钴镍', '废旧锂电池里回收钴和镍的工艺', '锂离子电池正极材料湿法冶金回收技术'],
  ['印染废水的臭氧催化氧化深度处理与回用', '纺织厂染色污水怎么处理后再利用', '印染废水臭氧催化氧化处理工艺'],
  ['大型风电叶片的碳纤维主梁成型工艺', '风力发电机叶片用碳纤维材料制造', '风电叶片碳纤维拉挤主梁技术'],
  ['水稻稻瘟病的抗病基因编辑育种', '培育不容易得稻瘟病的水稻品种', '基于基因编辑的水稻抗稻瘟病育种方法'],
  ['盾构机滚刀磨损的实时监测与预测', '隧道掘进机刀具磨损太快怎么提前知道', '基于神经网络的TBM滚刀磨损实时预测方法'],
  ['半导体晶圆化学机械抛光液的国产化配方', '芯片晶圆研磨抛光用的浆料', '集成电路化学机械抛光液及其制备方法'],
  ['茶叶加工过程中的智能杀青与揉捻设备', '做绿茶的机器自动控制炒茶', '名优绿茶智能化连续加工生产线'],
  ['医用可降解镁合金心血管支架', '心脏血管里能自己降解的支架材料', '可降解镁合金血管支架及其表面涂层'],
  ['港口集装箱起重机的远程自动化控制', '码头吊车不用司机在上面操作', '岸桥远程操控与自动化作业系统'],
  ['食用菌工厂化栽培的环境智能调控', '蘑菇工厂温度湿度自动调节', '食用菌工厂化生产环境智能控制系统'],
] as const;

/**
 * The probe's oracle: ten demands with the same public form and different confidential descriptions. Whatever
 * others can reach (dense search, their matches, lead scores) is computed from the public form, so a paraphrase of a
 * confidential topic finds its demand no better than chance; the owner's own matches still use the whole text.
 */
describe('confidential text stays out of shared vectors (e2e: real model and index)', () => {
  let app: NestExpressApplication;
  let owner: Party;
  let outsider: Party;
  let institution: Party;
  let admin: string;
  const demandIds: string[] = [];
  const achievementIds: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    admin = await makeAdminKey(app);
    owner = await makeParty(app, 'enterprise', 'enterprise');
    outsider = await makeParty(app, 'enterprise', 'enterprise');
    institution = await makeParty(app, 'university', 'institution', '330106');
    for (const [secret, , achievement] of TOPICS) {
      const d = await http()
        .post('/v1/demands')
        .set('X-Api-Key', owner.key)
        .send({
          title: '寻求技术合作',
          description: secret,
          keywords: [secret.slice(0, 6)],
          regionCode: '330502',
          confidentialFields: ['description', 'keywords'],
        })
        .expect(201);
      demandIds.push(d.body.id);
      const a = await http()
        .post('/v1/achievements')
        .set('X-Api-Key', institution.key)
        .send({ title: achievement, abstract: `${achievement}，已完成中试。`, readinessLevel: 6, regionCode: '330106' })
        .expect(201);
      achievementIds.push(a.body.id);
    }
    await eventually(async () => {
      const pending = await Promise.all(
        ['demands', 'achievements'].map((c) =>
          http().get(`/v1/${c}`).query({ embeddingStatus: 'pending', limit: 100 }).set('X-Api-Key', admin),
        ),
      );
      return pending.every((r) => r.body.items.length === 0) ? true : undefined;
    }, 90_000);
    await app.get(SearchIndexService).syncAll();
  }, 120_000);
  afterAll(() => app.close());

  it('a paraphrased dense search finds the right demand first no more often than chance (at most 2 of 10)', async () => {
    let first = 0;
    for (const [i, [, paraphrase]] of TOPICS.entries()) {
      const r = await http()
        .get('/v1/search')
        .query({ collection: 'demands', mode: 'dense', q: paraphrase, limit: 10 })
        .set('X-Api-Key', outsider.key)
        .expect(200);
      expect(r.body).toHaveLength(10);
      if (r.body[0].id === demandIds[i]) first++;
      expect(JSON.stringify(r.body)).not.toContain(TOPICS[i][0]);
    }
    expect(first).toBeLessThanOrEqual(2);
  });

  it("gives others' matches the same similarity for every one of the ten: nothing confidential in it", async () => {
    const r = await http()
      .get(`/v1/achievements/${achievementIds[0]}/matches`)
      .query({ limit: 10 })
      .set('X-Api-Key', institution.key)
      .expect(200);
    const similarities = r.body
      .filter((m: { id: string }) => demandIds.includes(m.id))
      .map((m: { similarity: number }) => m.similarity.toFixed(4));
    expect(similarities).toHaveLength(10);
    expect(new Set(similarities).size).toBe(1);
  });

  it("still matches the owner's own demand on its whole text (its private vector)", async () => {
    let right = 0;
    for (const [i, id] of demandIds.entries()) {
      const r = await http()
        .get(`/v1/demands/${id}/matches`)
        .query({ limit: 3 })
        .set('X-Api-Key', owner.key)
        .expect(200);
      if (r.body[0]?.id === achievementIds[i]) right++;
    }
    expect(right).toBeGreaterThanOrEqual(8);
  });
});
