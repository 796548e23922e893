import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Db } from '@app/persistence';
import { startApi } from '../app';
import { eventually, makeAdminKey, makeParty, type Party } from '../fixtures';
import { emptyTestQueues } from '../test-database';

const achievements = [
  {
    title: '高效光伏组件清洗机器人',
    abstract: '一种适用于大型光伏电站的自主清洗机器人，节水80%。',
    readinessLevel: 7,
    regionCode: '330100',
    industryCode: '35',
  },
  {
    title: '生物可降解聚乳酸包装材料',
    abstract: '以玉米淀粉为原料的聚乳酸改性技术，耐热性提高至95℃。',
    readinessLevel: 5,
    regionCode: '330100',
    green: true,
  },
  {
    title: '纺織印染廢水深度處理技術',
    abstract: '採用臭氧催化氧化與膜分離組合工藝，出水可回用。',
    readinessLevel: 6,
    regionCode: '330600',
  },
];

const jsonl = [
  JSON.stringify(achievements[0]),
  '{"title": "broken json',
  JSON.stringify(achievements[1]),
  JSON.stringify({ ...achievements[0], readinessLevel: 12 }),
  '',
  JSON.stringify(achievements[2]),
].join('\n');

const csv = [
  'title,abstract,readinessLevel,regionCode,keywords,green',
  '智能温室环境控制系统,基于物联网的温室温湿度与光照联动控制。,6,330500,物联网|温室,false',
  '海水淡化反渗透膜,抗污染改性反渗透膜，通量提高30%。,abc,330200,,',
  '稀土永磁晶界扩散技术,降低重稀土用量的钕铁硼磁体制备技术。,7,999999,,',
].join('\n');

describe('bulk import (e2e)', () => {
  let app: NestExpressApplication;
  let institution: Party;
  let enterprise: Party;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startApi();
    institution = await makeParty(app, 'university', 'institution', '330100');
    enterprise = await makeParty(app, 'enterprise', 'enterprise');
    admin = await makeAdminKey(app);
  });
  afterAll(() => app.close());

  it('imports the valid rows of a JSON Lines file and counts the rejected ones by reason', async () => {
    const res = await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', institution.key)
      .set('Content-Type', 'application/x-ndjson')
      .send(jsonl)
      .expect(201);
    expect(res.body).toMatchObject({
      accepted: 3,
      rejected: 2,
      rejectedByReason: { 'row: not valid JSON': 1, 'readinessLevel: max': 1 },
    });
    expect(res.body.rejectedRows.map((r: { line: number }) => r.line)).toEqual([2, 4]);
  });

  it('imports CSV with the same rules', async () => {
    const res = await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', institution.key)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toBe(2);
    expect(Object.keys(res.body.rejectedByReason)).toEqual(
      expect.arrayContaining(['readinessLevel: isInt', 'regionCode: isRegionCode']),
    );
  });

  it('embeds every imported record, then each role reads them back', async () => {
    const list = (key: string) =>
      http()
        .get('/v1/achievements')
        .query({ organisationId: institution.organisationId, limit: 100 })
        .set('X-Api-Key', key);
    const ready = await eventually(async () => {
      const r = await list(institution.key).expect(200);
      return r.body.items.length === 4 &&
        r.body.items.every((a: { embedding: { status: string } }) => a.embedding.status === 'ready')
        ? r.body.items
        : undefined;
    }, 60_000);
    expect(ready.map((a: { title: string }) => a.title)).toContain('纺織印染廢水深度處理技術');
    const greenhouse = ready.find((a: { title: string }) => a.title === '智能温室环境控制系统');
    expect(greenhouse).toMatchObject({ keywords: ['物联网', '温室'], green: false, readinessLevel: 6 });

    for (const key of [enterprise.key, admin]) {
      const r = await list(key).expect(200);
      expect(r.body.items).toHaveLength(4);
    }
  });

  it('updates instead of duplicating when a catalogue is imported again with its own ids', async () => {
    const catalogue = await makeParty(app, 'institute', 'institution', '330200');
    const rows = (abstractOfSecond: string) =>
      [
        JSON.stringify({ ...achievements[0], externalId: 'NB-001' }),
        JSON.stringify({ ...achievements[1], abstract: abstractOfSecond, externalId: 'NB-002' }),
      ].join('\n');
    const upload = (body: string) =>
      http()
        .post('/v1/achievements/import')
        .set('X-Api-Key', catalogue.key)
        .set('Content-Type', 'application/x-ndjson')
        .send(body)
        .expect(201);
    expect((await upload(rows(achievements[1].abstract))).body).toMatchObject({ accepted: 2, updated: 0 });
    const list = async () =>
      (
        await http()
          .get('/v1/achievements')
          .query({ organisationId: catalogue.organisationId })
          .set('X-Api-Key', catalogue.key)
          .expect(200)
      ).body.items as { id: string; externalId: string; abstract: string; embedding: { status: string } }[];
    const first = await eventually(async () => {
      const items = await list();
      return items.every((a) => a.embedding.status === 'ready') ? items : undefined;
    }, 60_000);
    // The same file again, one abstract changed: two rows accepted, both updates, still two records.
    const changed = '改进后的聚乳酸改性技术，耐热性提高至110℃。';
    expect((await upload(rows(changed))).body).toMatchObject({ accepted: 2, updated: 2 });
    const second = await list();
    expect(second.map((a) => a.id).sort()).toEqual(first.map((a) => a.id).sort());
    const byId = Object.fromEntries(second.map((a) => [a.externalId, a]));
    expect(byId['NB-002']).toMatchObject({ abstract: changed });
    // Only the changed record is embedded again.
    expect(byId['NB-001'].embedding.status).toBe('ready');
    await eventually(async () => ((await list()).every((a) => a.embedding.status === 'ready') ? true : undefined));
    // One record per id: a second record with a used id is a 409.
    const taken = await http()
      .post('/v1/achievements')
      .set('X-Api-Key', catalogue.key)
      .send({ ...achievements[2], externalId: 'NB-001' })
      .expect(409);
    expect(taken.body.error).toBe('EXTERNAL_ID_TAKEN');
  });

  it('refuses an import by a role that may not create the kind, and an unknown content type', async () => {
    await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', enterprise.key)
      .set('Content-Type', 'application/x-ndjson')
      .send(jsonl)
      .expect(403);
    await http()
      .post('/v1/demands/import')
      .set('X-Api-Key', enterprise.key)
      .set('Content-Type', 'application/xml')
      .send('<x/>')
      .expect(415);
  });

  it('rejects a row with a NUL character by its line and stores every other row (600 rows, NUL on 551)', async () => {
    const rows = Array.from({ length: 600 }, (_, i) =>
      JSON.stringify({
        title: i === 550 ? `批量成果\u0000${i}` : `批量成果 ${i}`,
        abstract: `第 ${i} 项批量导入的成果摘要。`,
        readinessLevel: 5,
        regionCode: '330100',
      }),
    );
    // An institution of its own, whose 600 records are deleted afterwards: embedding them all would only slow the
    // suites that follow.
    const own = await makeParty(app, 'university', 'institution', '330100');
    const res = await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', own.key)
      .set('Content-Type', 'application/x-ndjson')
      .send(rows.join('\n'))
      .expect(201);
    expect(res.body).toMatchObject({ accepted: 599, rejected: 1 });
    expect(res.body.rejectedRows).toEqual([{ line: 551, reasons: ['title: must not contain the NUL character'] }]);
    await app.get(Db).query('DELETE FROM achievements WHERE organisation_id = $1', [own.organisationId]);
    await emptyTestQueues();
  });

  it('reports CSV rows by the line they start on, refuses 0x10 as a number, and ends with a summary on a broken quote', async () => {
    const broken = [
      'title,abstract,readinessLevel,regionCode',
      '"多行摘要的成果","第一行',
      '第二行",6,330100',
      '十六进制的成熟度,摘要文本,0x10,330100',
      '引号错误的成果,"摘要"后面还有字,5,330100',
      '不会被读到的成果,摘要文本,5,330100',
    ].join('\n');
    const own = await makeParty(app, 'university', 'institution', '330100');
    const res = await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', own.key)
      .set('Content-Type', 'text/csv')
      .send(broken)
      .expect(201);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejectedRows).toEqual([{ line: 4, reasons: expect.arrayContaining(['readinessLevel: isInt']) }]);
    expect(res.body.fatal).toEqual({
      line: 5,
      reason: 'a quote inside an unquoted field, or text after a closing quote',
    });
    const unclosed = await http()
      .post('/v1/achievements/import')
      .set('X-Api-Key', own.key)
      .set('Content-Type', 'text/csv')
      .send(
        ['title,abstract,readinessLevel,regionCode', '正常的成果,摘要文本,5,330100', '"未闭合,摘要,5,330100'].join(
          '\n',
        ),
      )
      .expect(201);
    expect(unclosed.body).toMatchObject({ accepted: 1, fatal: { line: 3, reason: 'a quote opened and never closed' } });
  });
});
