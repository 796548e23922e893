import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { ApiKeysService } from '@app/access';
import { SearchIndexService } from '@app/vector-index';
import { startApi } from '../app';
import { emptyMarket, eventually, makeAdminKey, makeOrganisation, makeParty, type Party } from '../fixtures';

const SHOTS = join(__dirname, '../../test-artifacts/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Not the text of the other suites' battery result: identical listings would be folded into one across suites.
const battery = {
  title: '退役锂电池有价金属破碎分选与浸出回收工艺',
  abstract: '通过破碎分选与湿法浸出回收退役锂电池中的锂、钴、镍，金属回收率超过95%，已建成示范线。',
  keywords: ['动力电池', '回收', '湿法冶金'],
  industryCode: '42',
  readinessLevel: 6,
  askingPrice: 800000,
  transactionMode: 'negotiated',
  cooperationModes: ['transfer', 'licence'],
  regionCode: '330106',
};

describe('web app (Chromium, real service)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let admin: string;
  let institution: Party;
  let enterprise: Party;
  let programme: Party;
  const brokerKeys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const http = () => request(app.getHttpServer());

  async function signIn(key: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const page = await browser.newPage({ viewport, locale: 'zh-CN' });
    page.on('pageerror', (e) => {
      throw e;
    });
    // The app runs under the service's Content-Security-Policy: anything it blocks is a failure.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) throw new Error(`blocked by the CSP: ${m.text()}`);
    });
    await page.goto(base);
    await page.getByLabel('API 密钥').fill(key);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('nav[aria-label="main"]').waitFor();
    return page;
  }

  const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** WCAG 2 A/AA violations axe-core finds on the page as it is (labels, names, contrast, landmarks …). */
  const accessibilityProblems = async (page: Page): Promise<string[]> => {
    // Evaluated through the browser's debugging protocol, which the page's CSP does not govern (an injected script
    // tag would rightly be refused by it).
    await page.evaluate(AXE);
    const result = await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })`,
    );
    return (result as { violations: { id: string; nodes: { target: string[] }[] }[] }).violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await emptyMarket();
    app = await startApi();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    admin = await makeAdminKey(app);
    institution = await makeParty(app, 'university', 'institution', '330106');
    enterprise = await makeParty(app, 'enterprise', 'enterprise', '330502');
    programme = await makeParty(app, 'programme', 'programme', '330500');
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
    ids.broker = b.body.id;
    brokerKeys.chen = (
      await app
        .get(ApiKeysService)
        .create('system', { role: 'broker', organisationId: office.organisationId, brokerId: b.body.id })
    ).secret;
    ids.battery = (
      await http().post('/v1/achievements').set('X-Api-Key', institution.key).send(battery).expect(201)
    ).body.id;
    await http()
      .post('/v1/experts')
      .set('X-Api-Key', programme.key)
      .send({ name: '赵特派员', expertise: '动力电池回收利用与资源化', regionCodes: ['330500'] })
      .expect(201);
    await eventually(() => Promise.resolve(app.get(SearchIndexService).state === 'ready' ? true : undefined));
    await eventually(async () => {
      const pending = await Promise.all(
        ['achievements', 'brokers', 'experts'].map((p) =>
          http().get(`/v1/${p}`).query({ embeddingStatus: 'pending' }).set('X-Api-Key', admin),
        ),
      );
      return pending.every((r) => r.body.items.length === 0) ? true : undefined;
    }, 60_000);
    await app.get(SearchIndexService).syncAll();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('enterprise: posts a demand, sees field errors beside the fields, then its ranked matches', async () => {
    const page = await signIn(enterprise.key);
    await page.getByRole('link', { name: '发布需求' }).click();
    await page.getByRole('button', { name: '保存' }).click();
    // The API's 400 names the fields; each error shows beside its field.
    await expect(page.locator('[data-field="title"] .error').textContent()).resolves.toMatch(/title/);
    await expect(page.locator('[data-field="regionCode"] .error').isVisible()).resolves.toBe(true);
    // Focus moves to the first field in error.
    await expect(page.locator('[data-field]:focus-within').getAttribute('data-field')).resolves.toBe('title');
    await page.getByLabel('标题', { exact: false }).first().fill('尋求退役動力電池回收技術');
    await page
      .getByLabel('需求描述', { exact: false })
      .fill('我公司每年產生約兩千噸退役動力電池，希望引進正極材料高回收率的回收工藝。');
    await page.locator('[data-field="description"] ~ .secret-toggle input').check();
    await page.getByLabel('行业', { exact: false }).selectOption('42');
    await page.getByLabel('地区', { exact: false }).selectOption('330502');
    await page.getByLabel('最低技术成熟度').selectOption('5');
    await page.getByLabel('预算下限（元）', { exact: false }).fill('500000');
    await page.getByLabel('预算上限（元）', { exact: false }).fill('1000000');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '匹配结果' }).waitFor();
    ids.demand = page.url().split('/').at(-1)!;
    // Matches appear once the demand is embedded.
    await eventually(async () => {
      await page.reload();
      return (await page.locator('.match').count()) > 0 ? true : undefined;
    }, 60_000);
    await expect(page.locator('.match').first().textContent()).resolves.toContain(battery.title);
    await expect(page.locator('.match .why').first().textContent()).resolves.toContain('成熟度 TRL 6 ≥ 要求 5');
    // The counterpart's credit record as others see it: its score.
    await expect(page.locator('.match').first().getByTestId('credit-tag').textContent()).resolves.toMatch(/信用分 \d+/);
    await shot(page, 'enterprise-demand-matches');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Editing keeps what was there and saves the change.
    await page.getByRole('link', { name: '编辑' }).click();
    await expect(page.getByLabel('预算上限（元）', { exact: false }).inputValue()).resolves.toBe('1000000');
    await page.getByLabel('预算上限（元）', { exact: false }).fill('1200000');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '匹配结果' }).waitFor();
    const saved = await http().get(`/v1/demands/${ids.demand}`).set('X-Api-Key', enterprise.key).expect(200);
    expect(saved.body).toMatchObject({ budgetMax: 1200000, confidentialFields: ['description'] });
    await page.close();
  });

  it('broker: sees the lead in the inbox with why it was assigned, and takes it to a signed contract', async () => {
    await eventually(async () => {
      const r = await http().get('/v1/leads').query({ demandId: ids.demand }).set('X-Api-Key', admin);
      return r.body.items.find((l: { state: string }) => l.state === 'offered');
    }, 60_000);
    const page = await signIn(brokerKeys.chen);
    await page.getByRole('button', { name: '新线索' }).click();
    await page.locator('.lead-row').first().waitFor();
    await shot(page, 'broker-inbox');
    await page.locator('.lead-row a').first().click();
    await page.getByRole('heading', { name: '为何分配给您' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('专长相似度');
    // The records of both sides and of the broker, score and counts.
    await expect(page.getByTestId('credit-tag').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^\s*经纪人 · 信用分 \d+/),
      expect.stringMatching(/^\s*信用分 \d+/),
      expect.stringMatching(/^\s*信用分 \d+/),
    ]);
    // Before accepting, the broker sees the public teaser only.
    await expect(page.locator('.notice').textContent()).resolves.toContain('公开摘要');
    await page.getByRole('button', { name: '接受' }).click();
    await page.getByRole('button', { name: '已联系双方' }).click();
    await page.getByRole('button', { name: '进入洽谈' }).click();
    await page.getByRole('button', { name: '登记合同' }).click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.locator('[data-field="amount"] .error').waitFor();
    await page.getByLabel('合同金额（元）', { exact: false }).fill('3000000');
    await page.getByLabel('技术合同登记号', { exact: false }).fill('2026330500000123');
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByRole('heading', { name: /补助估算/ }).waitFor();
    await expect(page.getByRole('heading', { name: /补助估算/ }).textContent()).resolves.toContain('450,000');
    await shot(page, 'broker-lead-contract');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}#/inbox`);
    await page.locator('.lead-row').first().waitFor();
    await shot(page, 'broker-inbox-phone');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('enterprise: agrees to the introduction on the lead page', async () => {
    const page = await signIn(enterprise.key);
    await page.getByRole('link', { name: '对接线索' }).click();
    await page.locator('.lead-row a').first().click();
    await page.getByRole('button', { name: '同意对接' }).click();
    await page.getByRole('button', { name: '同意对接' }).waitFor({ state: 'detached' });
    await expect(page.locator('.timeline').textContent()).resolves.toContain('同意对接');
    await page.close();
  });

  it('institution: sees the demands matching its achievement, and imports achievements with a summary', async () => {
    const page = await signIn(institution.key);
    await page.locator('.card a', { hasText: battery.title }).click();
    await page.getByRole('heading', { name: '与之匹配的需求' }).waitFor();
    await page.locator('.match').first().waitFor();
    // Only the public form of the demand: its confidential description never reaches the page.
    await expect(page.locator('main').textContent()).resolves.not.toContain('兩千噸');
    await shot(page, 'institution-achievement-matches');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto(`${base}#/achievements/import`);
    const file = join(SHOTS, 'import.jsonl');
    writeFileSync(
      file,
      [
        ...Array.from({ length: 22 }, (_, i) =>
          JSON.stringify({
            title: `名优绿茶加工工艺第${i + 1}号`,
            abstract: `第${i + 1}种名优绿茶的杀青、揉捻与干燥工艺参数优化。`,
            industryCode: '01',
            readinessLevel: 5,
            regionCode: '330106',
          }),
        ),
        JSON.stringify({ ...battery, title: '', readinessLevel: 12 }),
      ].join('\n'),
    );
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByRole('status').waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('成功 22 条');
    await expect(page.getByRole('status').textContent()).resolves.toContain('拒绝 1 条');
    await shot(page, 'institution-import');
    // The list pages by 20: the rest on request.
    await page.goto(`${base}#/achievements`);
    await page.locator('.cards .card').nth(19).waitFor();
    await expect(page.locator('.cards .card').count()).resolves.toBe(20);
    await page.getByRole('button', { name: '加载更多' }).click();
    await page.locator('.cards .card').nth(22).waitFor();
    await expect(page.getByRole('button', { name: '加载更多' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('programme: searches partners by region and industries, grouped by kind', async () => {
    const page = await signIn(programme.key);
    await page.getByLabel('地区', { exact: false }).selectOption('330000');
    await page.getByLabel('重点产业', { exact: false }).selectOption(['42']);
    await page.getByLabel('补充描述').fill('动力电池回收');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByRole('heading', { name: /有需求的企业/ }).waitFor();
    await expect(page.locator('section.group').first().textContent()).resolves.toContain(battery.title);
    await shot(page, 'programme-partners');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('operator: the funnel as bars, the ranking and the subsidy estimates; English on request', async () => {
    const page = await signIn(admin);
    await page.locator('table.bars tbody tr').first().waitFor();
    // Sections load independently, so the ranking is found by its name, not by its place on the page.
    const ranking = page.getByRole('table', { name: '年度机构排名' });
    await ranking.locator('tbody tr').first().waitFor();
    await expect(ranking.textContent()).resolves.toContain('3,000,000');
    await shot(page, 'operator-dashboard');
    await page.getByRole('heading', { name: '评分权重' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('当前使用配置的权重');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Funnel', exact: true }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.close();
  });

  it('credit: an operator files a report, the enterprise reads its record and answers; the published report, printable', async () => {
    const operator = await signIn(admin);
    await operator.getByRole('heading', { name: '登记失信举报' }).waitFor();
    await operator.getByRole('button', { name: '登记失信举报' }).click();
    await operator.locator('[data-field="subjectId"] .error').waitFor(); // the API's field errors beside the fields
    await operator.locator('[data-field="subjectId"] select').selectOption(enterprise.organisationId);
    await operator.getByLabel('举报事由').fill('签订技术合同后无故拒绝履约');
    await operator.locator('[data-field="evidence"] textarea').fill('往来邮件与合同文本');
    await operator.getByRole('button', { name: '登记失信举报' }).click();
    await operator.getByText(/已登记对 .+ 的举报/).waitFor();
    // A new version of the scoring rule, from the one in force (the same points: the scores below stay as they are).
    await operator.getByRole('heading', { name: '发布新版评分规则' }).waitFor();
    await operator.getByLabel('依据', { exact: false }).fill('浙江省技术转移机构信用评价办法（浏览器测试）');
    await operator.getByRole('button', { name: '发布新版评分规则' }).click();
    await operator.getByText(/第 \d+ 版评分规则已生效/).waitFor();
    // The table reloads after the confirmation: wait for the new version to head it.
    const rules = operator.getByRole('table', { name: '信用评分规则（各版本）' });
    await rules.locator('tbody tr').first().filter({ hasText: '浏览器测试' }).waitFor();
    expect(await accessibilityProblems(operator)).toEqual([]);
    await operator.close();

    const page = await signIn(enterprise.key);
    await page.getByRole('link', { name: '信用记录' }).click();
    await page.getByTestId('credit-score').waitFor();
    await expect(page.getByTestId('credit-score').textContent()).resolves.toMatch(/^信用分 \d+(\.\d)?$/);
    // The parts: the registered contract above counts for its parties, the report against them.
    const parts = await page.getByRole('table', { name: '信用分构成' }).locator('tbody').textContent();
    expect(parts).toContain('登记签订技术合同');
    expect(parts).toContain('-15');
    // Each event with its source: the contract's lead record, linked.
    const events = page.getByRole('table', { name: '信用事件（含来源）' });
    await expect(events.textContent()).resolves.toContain('登记签订技术合同');
    await expect(events.getByRole('link', { name: '对接记录' }).first().getAttribute('href')).resolves.toMatch(
      /^#\/leads\//,
    );
    await expect(page.locator('main').textContent()).resolves.toContain('签订技术合同后无故拒绝履约');
    await page.getByLabel('我方回应').fill('合同已于十月履行，附银行回单');
    const [answered] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/answer') && r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交回应' }).click(),
    ]);
    expect(answered.status()).toBe(200);
    await shot(page, 'credit-record');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: '绩效与信用公示' }).click();
    await page.getByLabel('期间').selectOption(String(new Date().getFullYear()));
    // The last quarter's table stays until the year's arrives: wait for the year's figures, not for any row.
    await page.locator('table.plain', { hasText: '3,000,000' }).waitFor();
    await expect(page.getByRole('table', { name: '信用评分规则（各版本）' }).textContent()).resolves.toContain('现行');
    await expect(page.getByRole('button', { name: '打印' }).isVisible()).resolves.toBe(true);
    await shot(page, 'performance-report');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('challenge: published on a demand, answered by the invited institution, ranked and awarded', async () => {
    // The enterprise drafts it (the API's field errors beside the fields first), then publishes it.
    const owner = await signIn(enterprise.key);
    await owner.getByRole('link', { name: '揭榜挂帅' }).click();
    await owner.getByRole('link', { name: '发布榜单' }).click();
    await owner.getByRole('button', { name: '保存草稿' }).click();
    await expect(owner.locator('[data-field="title"] .error').textContent()).resolves.toMatch(/title/);
    await owner.getByLabel('技术需求', { exact: false }).selectOption(ids.demand);
    await owner.getByLabel('榜单标题', { exact: false }).fill('退役动力电池正极材料回收技术揭榜');
    await owner
      .getByLabel('公开的问题描述', { exact: false })
      .fill('征集退役动力电池中锂、钴、镍的高回收率湿法回收工艺，要求金属回收率不低于95%。');
    await owner.getByLabel('保密信息', { exact: false }).fill('现有产线浸出段的能耗数据见附件。');
    await owner.getByLabel('参与条款', { exact: false }).fill('揭榜方对保密信息承担保密义务。');
    await owner.getByLabel('奖金（元）', { exact: false }).fill('800000');
    await owner.getByLabel('奖金对应的成果', { exact: false }).fill('通过中试验证的工艺包');
    await owner.getByLabel('标准 1', { exact: false }).fill('技术路线可行性');
    expect(await accessibilityProblems(owner)).toEqual([]);
    await owner.getByRole('button', { name: '保存草稿' }).click();
    await owner.getByText('草稿', { exact: true }).waitFor();
    const challengeId = owner.url().split('/').at(-1)!;
    await owner.getByRole('button', { name: '发布' }).click();
    await owner.locator('.badge', { hasText: '征集中' }).waitFor();
    await shot(owner, 'challenge-owner');
    expect(await accessibilityProblems(owner)).toEqual([]);

    // Matching invited the institution (its battery achievement fits): it sees why, registers and answers.
    const solver = await signIn(institution.key);
    await solver.getByRole('link', { name: '揭榜邀请' }).click();
    await eventually(async () => {
      await solver.reload();
      return (await solver.getByRole('link', { name: '退役动力电池正极材料回收技术揭榜' }).count()) > 0 || undefined;
    }, 30_000);
    await expect(solver.locator('main .why').first().textContent()).resolves.toMatch(/语义相似度/);
    expect(await accessibilityProblems(solver)).toEqual([]);
    await solver.getByRole('link', { name: '退役动力电池正极材料回收技术揭榜' }).click();
    await expect(solver.locator('main').textContent()).resolves.not.toContain('能耗数据');
    await solver.getByLabel('我方接受以上条款').check();
    await solver.getByRole('button', { name: '报名揭榜' }).click();
    await solver.getByText('现有产线浸出段的能耗数据见附件。').waitFor();
    await solver.getByLabel('方案概要', { exact: false }).fill('破碎分选与湿法浸出联合回收锂钴镍');
    await solver.getByLabel('技术路线', { exact: false }).fill('破碎分选后湿法浸出，萃取分离钴镍，碳酸锂沉淀回收锂。');
    await solver.getByLabel('团队与条件', { exact: false }).fill('教授2名，示范线一条');
    await solver.getByLabel('进度安排', { exact: false }).fill('中试6个月');
    await solver.getByLabel('依托的成果', { exact: false }).selectOption(ids.battery);
    await solver.getByRole('button', { name: '提交方案' }).click();
    await solver.getByRole('status').getByText('已保存').waitFor();
    await shot(solver, 'challenge-solver');
    expect(await accessibilityProblems(solver)).toEqual([]);

    // The deadline brought forward to now (through the API: the form takes days), the review begins.
    await http()
      .patch(`/v1/challenges/${challengeId}`)
      .set('X-Api-Key', enterprise.key)
      .send({ deadline: new Date(Date.now() + 1_500).toISOString() })
      .expect(200);
    await eventually(async () => {
      const r = await http().get(`/v1/challenges/${challengeId}`).set('X-Api-Key', enterprise.key);
      return r.body.state === 'reviewing' || undefined;
    }, 30_000);
    await owner.reload();
    await owner.getByRole('heading', { name: /方案排名/ }).waitFor();
    await owner.getByLabel('技术路线可行性 (0–10)').fill('8');
    await owner.getByRole('button', { name: '保存评分' }).click();
    await owner.locator('.proposal .score', { hasText: /专家评分 8\.0/ }).waitFor();
    await owner.getByLabel('中榜方案', { exact: false }).selectOption({ index: 1 });
    await owner.getByLabel('授奖理由', { exact: false }).fill('回收率最高且已有示范线');
    await owner.getByRole('button', { name: '授奖', exact: true }).click();
    await owner.locator('.badge', { hasText: '已揭榜' }).waitFor();
    await owner.locator('.proposal .notice', { hasText: '已中榜' }).waitFor();
    await owner.getByRole('link', { name: '查看授奖形成的对接线索' }).waitFor();
    await shot(owner, 'challenge-awarded');
    expect(await accessibilityProblems(owner)).toEqual([]);
    await owner.getByRole('button', { name: 'English' }).click();
    await owner.locator('.badge', { hasText: 'Awarded' }).waitFor();
    await owner.close();
    await solver.close();

    // Operators see it in the challenge funnel.
    const operator = await signIn(admin);
    await operator.getByRole('heading', { name: /揭榜挂帅漏斗/ }).waitFor();
    const funnel = operator.locator('section[aria-labelledby="challenge-funnel"]');
    await expect(funnel.locator('tr', { hasText: '已授奖金' }).textContent()).resolves.toContain('800,000');
    expect(await accessibilityProblems(operator)).toEqual([]);
    await operator.close();
  });

  it('enterprise: the demand assistant suggests as it types, a click takes a suggestion, and the form works without it', async () => {
    const page = await signIn(enterprise.key);
    const asked: string[] = [];
    page.on('request', (r) => r.url().endsWith('/v1/demands/assist') && asked.push(r.postData() ?? ''));
    await page.getByRole('link', { name: '发布需求' }).click();
    await page.locator('.assistant').getByText('填写标题后').waitFor();
    // Typed a character at a time: one request once the typing pauses, not one per keystroke.
    await page.getByLabel('标题', { exact: false }).first().pressSequentially('动力电池回收', { delay: 60 });
    await page
      .getByLabel('需求描述', { exact: false })
      .fill('我们每年有大量退役动力电池，希望找到能回收锂、钴、镍的湿法冶金工艺。');
    const panel = page.locator('.assistant');
    await panel.locator('.preview').getByText(battery.title).waitFor();
    expect(asked).toHaveLength(1);
    expect(JSON.parse(asked[0])).toMatchObject({ title: '动力电池回收', description: expect.stringContaining('锂') });
    const industry = (await panel.locator('.suggestions').first().locator('li span').first().textContent())!;
    const code = industry.split(' ')[0];
    expect(code).toMatch(/^\d{2}$/);
    await panel.getByRole('button', { name: new RegExp(`采用\\s+${code}`) }).click();
    await expect(page.getByLabel('行业', { exact: false }).inputValue()).resolves.toBe(code);
    const keyword = (await panel.locator('.suggestions').nth(1).locator('li span').first().textContent())!;
    await panel.getByRole('button', { name: new RegExp(`采用\\s+${keyword}`) }).click();
    await expect(page.getByLabel('关键词', { exact: false }).inputValue()).resolves.toContain(keyword);
    await expect(panel.getByRole('button', { name: new RegExp(`已采用\\s+${keyword}`) }).isDisabled()).resolves.toBe(
      true,
    );
    await shot(page, 'enterprise-demand-assistant');
    expect(await accessibilityProblems(page)).toEqual([]);

    // The assistant goes down: the panel says so, and the demand is saved as before.
    await page.route('**/v1/demands/assist', (route) => route.abort());
    await page.getByLabel('标题', { exact: false }).first().fill('动力电池回收工艺');
    await panel.getByText('助手暂不可用').waitFor();
    await page.getByLabel('地区', { exact: false }).selectOption('330502');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '匹配结果' }).waitFor();
    const id = page.url().split('/').at(-1)!;
    const saved = await http().get(`/v1/demands/${id}`).set('X-Api-Key', enterprise.key).expect(200);
    expect(saved.body).toMatchObject({ title: '动力电池回收工艺', industryCode: code });
    expect(saved.body.keywords).toContain(keyword);
    await http().post(`/v1/demands/${id}/withdraw`).set('X-Api-Key', enterprise.key).expect(200);
    await page.close();
  });

  it('signs in with the keyboard alone, and the sign-in page passes the accessibility checks', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(base);
    await page.getByLabel('API 密钥').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    // Tab until the key field has the focus: it must be reachable within the first few stops.
    for (let i = 0; i < 5 && (await page.locator('#api-key:focus').count()) === 0; i++)
      await page.keyboard.press('Tab');
    await expect(page.locator('#api-key:focus').count()).resolves.toBe(1);
    await page.keyboard.type(institution.key);
    await page.keyboard.press('Enter');
    await page.locator('nav[aria-label="main"]').waitFor();
    await expect(page.locator('main h1').textContent()).resolves.toBe('我的成果');
    await page.close();
  });

  it("shows no page a role may not see: another role's page leads back to its own", async () => {
    const page = await signIn(enterprise.key);
    await expect(page.locator('nav').textContent()).resolves.not.toContain('运营看板');
    await page.goto(`${base}#/operator`);
    await page.waitForURL(/#\/demands$/);
    await expect(page.locator('table.bars').count()).resolves.toBe(0);
    // And the API refuses the data anyway.
    await http().get('/v1/reports/funnel').query({ by: 'region' }).set('X-Api-Key', enterprise.key).expect(403);
    await page.close();
  });
});
