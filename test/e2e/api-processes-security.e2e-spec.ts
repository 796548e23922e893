import { request as httpRequest } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiKeysService } from '@app/access';
import { Db } from '@app/persistence';
import { startApiProcesses, type ApiProcesses } from '../api-processes';
import { startApi } from '../app';
import { batteryDemand, emptyMarket, eventually, makeAdminKey, makeParty, type Party } from '../fixtures';

// Rules that must hold in every API process at once: API_PROCESSES=2 as `npm start` runs them (a primary and two
// processes sharing one port), beside an in-process API whose worker embeds and runs the deadline jobs.
const port = 42000 + (process.pid % 1000);

/** One request on a connection of its own: connections, not requests, are handed round the processes. */
function call(method: string, path: string, key: string, body?: object): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        headers: { 'x-api-key': key, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('access rules across API processes', () => {
  let app: NestExpressApplication;
  let processes: ApiProcesses;
  let admin: string;

  beforeAll(async () => {
    await emptyMarket();
    app = await startApi();
    admin = await makeAdminKey(app);
    processes = await startApiProcesses(port);
  }, 150_000);

  afterAll(async () => {
    await processes.stop();
    await app.close();
  });

  it('refuses a revoked key in every process within a second, though each had just served it', async () => {
    const party = await makeParty(app, 'enterprise', 'enterprise');
    const { id, secret } = await app
      .get(ApiKeysService)
      .create('system', { role: 'enterprise', organisationId: party.organisationId });
    for (let i = 0; i < 8; i++) expect((await call('GET', '/v1/me', secret)).status).toBe(200);
    expect((await call('DELETE', `/v1/api-keys/${id}`, admin)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await Promise.all(Array.from({ length: 8 }, () => call('GET', '/v1/me', secret)));
    expect(after.map((r) => r.status)).toEqual(Array(8).fill(401));
  });

  it('refuses an expired key, and shows operators each key with its expiry and last use, never its secret', async () => {
    const party = await makeParty(app, 'enterprise', 'enterprise');
    const keys = app.get(ApiKeysService);
    const made = await keys.create('system', {
      role: 'enterprise',
      organisationId: party.organisationId,
      expiresInDays: 7,
    });
    expect(new Date(made.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    expect((await call('GET', '/v1/me', made.secret)).status).toBe(200);
    const listed = await call('GET', `/v1/api-keys?organisationId=${party.organisationId}`, admin);
    const mine = (listed.body as { items: { id: string; lastUsedAt: string | null; expiresAt: string }[] }).items;
    expect(mine.find((k) => k.id === made.id)).toMatchObject({
      expiresAt: made.expiresAt,
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(listed.body)).not.toContain(made.secret.slice(12));
    expect((await call('GET', '/v1/api-keys', party.key)).status).toBe(403);
    // A key past its expiry (one no process has cached; a cached lookup is never trusted past the expiry it read).
    const soon = await keys.create('system', { role: 'enterprise', organisationId: party.organisationId });
    await app.get(Db).query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [soon.id]);
    expect((await call('GET', '/v1/me', soon.secret)).status).toBe(401);
  });

  it('of many awards of one challenge sent at once, lets exactly one win and the others change nothing', async () => {
    const solvers = 8;
    const owner = await makeParty(app, 'enterprise', 'enterprise', '330502');
    const demandId = (await call('POST', '/v1/demands', owner.key, batteryDemand)).body as { id: string };
    const parties: (Party & { achievementId: string })[] = [];
    for (let i = 0; i < solvers; i++) {
      const party = await makeParty(app, 'university', 'institution', '330106');
      const created = await call('POST', '/v1/achievements', party.key, {
        title: `退役三元电池正极材料回收工艺 ${i}`,
        abstract: '选择性浸出与萃取分离回收镍钴锰锂，回收率98%，已完成中试。',
        readinessLevel: 6,
        regionCode: '330106',
        industryCode: '42',
      });
      expect(created.status).toBe(201);
      parties.push({ ...party, achievementId: (created.body as { id: string }).id });
    }
    await eventually(async () => {
      const r = await call('GET', '/v1/achievements?embeddingStatus=pending', admin);
      const d = await call('GET', '/v1/demands?embeddingStatus=pending', admin);
      return (r.body as { items: [] }).items.length + (d.body as { items: [] }).items.length === 0 ? true : undefined;
    }, 60_000);

    const deadline = new Date(Date.now() + 10_000);
    const created = await call('POST', '/v1/challenges', owner.key, {
      demandId: demandId.id,
      title: '退役动力电池正极材料回收技术攻关',
      statement: '征集镍钴锰锂综合回收率不低于98%的工艺方案。',
      confidentialDetails: '现有产线数据见附件。',
      terms: '揭榜方须对保密信息承担保密义务。',
      prizeAmount: 1_000_000,
      prizeFor: '通过中试验证的工艺包',
      deadline: deadline.toISOString(),
      eligibleRegions: ['33'],
      eligibleKinds: ['university'],
      criteria: [{ name: '技术路线可行性', description: '回收率与能耗', weight: 1 }],
    });
    expect(created.status).toBe(201);
    const challengeId = (created.body as { id: string }).id;
    expect((await call('POST', `/v1/challenges/${challengeId}/transitions`, owner.key, { to: 'open' })).status).toBe(
      200,
    );
    const proposals: string[] = [];
    for (const p of parties) {
      expect(
        (await call('POST', `/v1/challenges/${challengeId}/registrations`, p.key, { acceptTerms: true })).status,
      ).toBe(200);
      const proposal = await call('POST', `/v1/challenges/${challengeId}/proposals`, p.key, {
        summary: '选择性浸出—萃取联合工艺',
        approach: '选择性浸出，萃取分离镍钴锰，碳酸锂沉淀回收锂。',
        team: '教授2名',
        price: 2_000_000,
        timeline: '中试6个月',
        achievementIds: [p.achievementId],
      });
      expect(proposal.status).toBe(201);
      proposals.push((proposal.body as { id: string }).id);
    }
    await eventually(async () => {
      const r = await call('GET', `/v1/challenges/${challengeId}`, owner.key);
      return (r.body as { state: string }).state === 'reviewing' ? true : undefined;
    }, 30_000);

    const answers = await Promise.all(
      parties.map((p, i) =>
        call('POST', `/v1/challenges/${challengeId}/award`, owner.key, {
          proposalId: proposals[i],
          partnerKind: 'achievement',
          partnerId: p.achievementId,
          reason: '技术路线更契合',
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(solvers - 1);
    const winner = statuses.indexOf(200);

    const db = app.get(Db);
    const awardedLeads = await db.query<{ partner_id: string }>(
      'SELECT partner_id FROM leads WHERE challenge_id = $1',
      [challengeId],
    );
    expect(awardedLeads).toEqual([{ partner_id: parties[winner].achievementId }]);
    const losers = parties.filter((_, i) => i !== winner).map((p) => p.achievementId);
    const losersWidened = await db.query(
      `SELECT id FROM leads WHERE partner_id = ANY ($1::uuid[]) AND (challenge_id IS NOT NULL OR consent_at IS NOT NULL)`,
      [losers],
    );
    expect(losersWidened).toEqual([]);
    const outcomes = await db.query<{ outcome: string; n: number }>(
      'SELECT outcome, count(*)::int AS n FROM proposals WHERE challenge_id = $1 GROUP BY outcome ORDER BY outcome',
      [challengeId],
    );
    expect(outcomes).toEqual([
      { outcome: 'not_awarded', n: solvers - 1 },
      { outcome: 'won', n: 1 },
    ]);
    const awardedEvents = await db.query(
      `SELECT 1 FROM challenge_events WHERE challenge_id = $1 AND to_state = 'awarded'`,
      [challengeId],
    );
    expect(awardedEvents).toHaveLength(1);
  }, 120_000);
});
