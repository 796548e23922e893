/**
 * A walk through the service with a small Zhejiang market written for it: institutions list achievements, brokers of
 * two transfer organisations register, enterprises post demands (one in Traditional Chinese, one with a confidential
 * description); the service embeds them, matches them, creates leads, assigns each to a broker and delivers it.
 * Prints the matches, what each broker received and why, then takes one lead to a signed contract with its subsidy
 * estimate; then runs a challenge (揭榜挂帅) on the fabric-inspection demand from publication to award: the solvers
 * matching invites, their proposals ranked, the award's lead signed as a challenge-winner contract. Last, the demand
 * assistant on a need in plain words, and the credit records: a broker's in full with the sources of its events, a
 * bad-faith report, the published performance report and the ranking that leaves out an organisation below the floor.
 *
 * Runs the service in this process on a throwaway embedded PostgreSQL and its own redis-server (both on spare ports),
 * so it touches no other data.
 *
 *   npm run demo
 */
import 'reflect-metadata';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import { ApiKeysService } from '@app/access';
import type { ChallengeFunnel, ChallengeInvitation, ChallengeView, RankedProposal } from '@app/challenges';
import type { FunnelRow, InboxItem, LeadView } from '@app/leads';
import type { Match } from '@app/matching';
import { startEmbeddedPostgres, runMigrations } from '@app/persistence';
import { ApiModule } from '../apps/api/src/api.module';
import { configureHttp } from '../apps/api/src/http/configure-http';
import { assistantChapter, creditChapter, type Call } from './lib/demo-chapters';
import { freePort, RedisServer } from './lib/services';

const institutions = [
  { key: 'zju', kind: 'university', name: '浙江大学', regionCode: '330106' },
  { key: 'nimte', kind: 'institute', name: '中国科学院宁波材料技术与工程研究所', regionCode: '330211' },
  { key: 'zjut', kind: 'university', name: '浙江工业大学', regionCode: '330105' },
] as const;

const achievements = [
  {
    by: 'zju',
    title: '退役动力电池正极材料高效湿法回收技术',
    abstract:
      '针对退役三元锂电池，采用选择性浸出与溶剂萃取分离工艺回收锂、钴、镍，金属回收率超过95%，废水近零排放，已完成千吨级中试。',
    keywords: ['动力电池', '回收', '湿法冶金'],
    industryCode: '42',
    readinessLevel: 6,
    askingPrice: 800_000,
    transactionMode: 'listing',
    cooperationModes: ['transfer', 'licence'],
    green: true,
  },
  {
    by: 'zjut',
    title: '基于机器视觉的织物瑕疵在线检测系统',
    abstract: '利用工业相机与深度学习模型在织造和印染产线上实时识别断经、破洞、色差等瑕疵，检出率98%，可替代人工验布。',
    keywords: ['机器视觉', '瑕疵检测', '纺织'],
    industryCode: '17',
    readinessLevel: 7,
    askingPrice: 1_200_000,
    transactionMode: 'negotiated',
    cooperationModes: ['licence', 'joint_development'],
  },
  {
    by: 'zju',
    title: '茶园病虫害智能识别与精准施药技术',
    abstract: '通过田间图像识别茶小绿叶蝉、茶尺蠖等主要病虫害，结合无人机变量喷施，农药用量减少30%以上。',
    keywords: ['茶园', '病虫害', '精准施药'],
    industryCode: '05',
    readinessLevel: 5,
    askingPrice: 300_000,
    transactionMode: 'negotiated',
    cooperationModes: ['service', 'joint_development'],
    green: true,
  },
  {
    by: 'nimte',
    title: '高性能碳纤维复合材料低成本快速成型工艺',
    abstract: '采用高压树脂传递模塑与快速固化树脂体系，将汽车结构件成型周期缩短至5分钟以内，成本降低40%。',
    keywords: ['碳纤维', '复合材料', '成型'],
    industryCode: '30',
    readinessLevel: 6,
    askingPrice: 3_000_000,
    transactionMode: 'auction',
    cooperationModes: ['transfer', 'equity'],
  },
  {
    by: 'nimte',
    title: '电镀废水重金属高效吸附材料',
    abstract: '一种改性多孔吸附材料，对电镀废水中的铬、镍、铜去除率超过99%，可再生循环使用20次以上。',
    keywords: ['废水处理', '重金属', '吸附材料'],
    industryCode: '77',
    readinessLevel: 6,
    askingPrice: 600_000,
    transactionMode: 'listing',
    cooperationModes: ['transfer', 'licence'],
    green: true,
  },
  {
    // Written in Traditional Chinese.
    by: 'zjut',
    title: '基於深度學習的電機故障早期診斷系統',
    abstract: '採集電機振動與電流信號，以卷積神經網絡識別軸承磨損、轉子偏心等早期故障，提前兩周預警，誤報率低於2%。',
    keywords: ['電機', '故障診斷', '振動'],
    industryCode: '38',
    readinessLevel: 6,
    askingPrice: 500_000,
    transactionMode: 'negotiated',
    cooperationModes: ['licence', 'service'],
  },
] as const;

const experts = [
  {
    by: 'zju',
    name: '王教授',
    expertise: '锂离子电池材料回收与再生，湿法冶金，退役动力电池梯次利用',
    regionCodes: ['330100'],
  },
  {
    by: 'zjut',
    name: '李研究员',
    expertise: '工业视觉检测，纺织品表面缺陷识别，深度学习',
    regionCodes: ['330100', '330600'],
  },
] as const;

const offices = [
  {
    name: '浙江省技术转移中心',
    regionCode: '330106',
    brokers: [
      {
        name: '陈经纪',
        expertise: '新能源与新材料领域技术转移，电池材料与复合材料',
        industryCodes: ['42', '30'],
        regionCodes: ['330000'],
      },
      {
        name: '林经纪',
        expertise: '现代农业与生物医药成果转化，茶产业',
        industryCodes: ['05', '27'],
        regionCodes: ['330000'],
      },
    ],
  },
  {
    name: '湖州科技大市场',
    regionCode: '330502',
    brokers: [
      {
        name: '周经纪',
        expertise: '智能制造、机器视觉与电机装备的技术经纪',
        industryCodes: ['38', '17', '39'],
        regionCodes: ['330500', '330600'],
      },
      {
        name: '吴经纪',
        expertise: '环保治理与资源循环利用项目对接',
        industryCodes: ['77', '42'],
        regionCodes: ['330500'],
      },
    ],
  },
] as const;

const enterprises = [
  {
    name: '湖州绿能新能源科技有限公司',
    regionCode: '330502',
    demand: {
      // Traditional Chinese, with a confidential description.
      title: '尋求退役動力電池回收處理技術',
      description: '我公司每年產生約兩千噸退役動力電池，希望引進正極材料高回收率、低污染的回收工藝，可聯合建設產線。',
      keywords: ['動力電池', '回收'],
      industryCode: '42',
      minReadinessLevel: 5,
      budgetMin: 500_000,
      budgetMax: 1_000_000,
      cooperationModes: ['transfer'],
      greenPreferred: true,
      confidentialFields: ['description'],
    },
  },
  {
    name: '绍兴柯桥华彩印染有限公司',
    regionCode: '330603',
    demand: {
      title: '布匹瑕疵人工检验效率低，希望引入自动检测',
      description: '验布全靠人工目检，漏检率高、招工难，希望在印染后整理工序上线自动识别破洞、色差等瑕疵的设备。',
      industryCode: '17',
      minReadinessLevel: 6,
      budgetMin: 800_000,
      budgetMax: 1_500_000,
      cooperationModes: ['licence'],
    },
  },
  {
    name: '丽水松阳茶叶专业合作社',
    regionCode: '331124',
    demand: {
      title: '茶园病虫害防治，希望减少农药使用',
      description: '合作社管理茶园三千亩，小绿叶蝉危害严重，希望用新技术及早发现虫害并减少农药，保证出口检测合格。',
      industryCode: '05',
      budgetMax: 400_000,
      cooperationModes: ['service'],
      greenPreferred: true,
    },
  },
] as const;

/** What the API answers, as the libs type it. */
interface Created {
  id: string;
  secret: string;
}
type Page<T> = { items: T[] };

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'techtransfer-demo-'));
  chmodSync(tmp, 0o755); // PostgreSQL runs as its own user when this runs as root
  mkdirSync(join(tmp, 'redis'));
  const quiet = pino({ level: 'error' });
  const pg = await startEmbeddedPostgres(join(tmp, 'pg'), await freePort(), quiet);
  const redis = new RedisServer(await freePort(), join(tmp, 'redis'));
  await redis.start();
  await runMigrations(pg.url, quiet);
  Object.assign(process.env, {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    INDEX_SNAPSHOT_DIR: '',
    LOG_LEVEL: 'error',
    OUTBOX_POLL_MS: '100',
  });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register({ runWorker: true }), {
    bodyParser: false,
    logger: ['error'],
  });
  configureHttp(app);
  const port = await freePort();
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}/v1`;
  const admin = (await app.get(ApiKeysService).create('system', { role: 'admin' })).secret;
  const call = async <T = Created>(key: string, method: string, path: string, body?: object): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: body && JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const keyFor = async (role: string, organisationId: string, brokerId?: string) =>
    (await call(admin, 'POST', '/api-keys', { role, organisationId, ...(brokerId ? { brokerId } : {}) })).secret;
  const waitEmbedded = async (path: string) => {
    for (;;) {
      const pending = await call<Page<unknown>>(admin, 'GET', `/${path}?embeddingStatus=pending`);
      if (pending.items.length === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  try {
    console.log('Loading the sample market …');
    const institutionKeys: Record<string, string> = {};
    const keyOfOrganisation: Record<string, string> = {};
    for (const i of institutions) {
      const org = await call(admin, 'POST', '/organisations', { kind: i.kind, name: i.name, regionCode: i.regionCode });
      institutionKeys[i.key] = keyOfOrganisation[org.id] = await keyFor('institution', org.id);
    }
    const titles: Record<string, string> = {};
    for (const { by, ...a } of achievements) {
      const org = institutions.find((i) => i.key === by)!;
      const created = await call(institutionKeys[by], 'POST', '/achievements', { ...a, regionCode: org.regionCode });
      titles[created.id] = a.title;
    }
    for (const { by, ...e } of experts) {
      const created = await call(institutionKeys[by], 'POST', '/experts', e);
      titles[created.id] = `${e.name}（专家）`;
    }
    const brokers: { id: string; name: string; office: string; key: string }[] = [];
    for (const office of offices) {
      const org = await call(admin, 'POST', '/organisations', {
        kind: 'transfer_organisation',
        name: office.name,
        regionCode: office.regionCode,
      });
      for (const b of office.brokers) {
        const broker = await call(admin, 'POST', '/brokers', { ...b, organisationId: org.id });
        brokers.push({
          id: broker.id,
          name: b.name,
          office: office.name,
          key: await keyFor('broker', org.id, broker.id),
        });
      }
    }
    for (const path of ['achievements', 'experts', 'brokers']) await waitEmbedded(path);
    console.log(`  ${achievements.length} achievements, ${experts.length} experts, ${brokers.length} brokers embedded`);

    const demands: { id: string; title: string; key: string }[] = [];
    for (const e of enterprises) {
      const org = await call(admin, 'POST', '/organisations', {
        kind: 'enterprise',
        name: e.name,
        regionCode: e.regionCode,
      });
      const key = await keyFor('enterprise', org.id);
      const d = await call(key, 'POST', '/demands', { ...e.demand, regionCode: e.regionCode });
      demands.push({ id: d.id, title: e.demand.title, key });
      titles[d.id] = e.demand.title;
    }
    await waitEmbedded('demands');

    // Leads are made by jobs after each embedding; wait until their number stops changing.
    let leads: LeadView[] = [];
    for (let stable = 0; stable < 10;) {
      await new Promise((r) => setTimeout(r, 300));
      const now = (await call<Page<LeadView>>(admin, 'GET', '/leads?limit=100')).items;
      const offered = now.filter((l) => l.state !== 'unassigned').length;
      stable =
        now.length === leads.length && offered === leads.filter((l) => l.state !== 'unassigned').length
          ? stable + 1
          : 0;
      leads = now;
    }

    console.log('\n== Matches of each demand (best three) ==');
    for (const d of demands) {
      console.log(`\n${d.title}`);
      const matches = await call<Match[]>(d.key, 'GET', `/demands/${d.id}/matches?limit=3`);
      for (const m of matches) console.log(`  ${m.total.toFixed(2)}  ${titles[m.id]}\n        ${m.explanation.zh}`);
    }

    console.log(`\n== Leads: ${leads.length} created (matches scoring at least LEAD_MIN_SCORE) ==`);
    for (const b of brokers) {
      const inbox = await call<InboxItem[]>(b.key, 'GET', '/inbox');
      console.log(`\n${b.name}（${b.office}）: ${inbox.length} lead(s)`);
      for (const item of inbox) {
        const lead = await call<LeadView>(b.key, 'GET', `/leads/${item.leadId}`);
        console.log(`  ${titles[lead.demandId]}  →  ${titles[lead.partnerId]}   score ${lead.score.toFixed(2)}`);
        console.log(`    match: ${item.explanation.zh}`);
        console.log(`    why this broker: ${item.why.zh}`);
      }
    }
    const waiting = leads.filter((l) => l.state === 'unassigned');
    if (waiting.length) console.log(`\n${waiting.length} lead(s) wait for a broker (none eligible)`);

    const first = leads.find((l) => l.state === 'offered');
    // The broker who takes it to a contract; the credit chapter reads this broker's record.
    const signer = first && brokers.find((b) => b.id === first.brokerId);
    if (first && signer) {
      console.log(`\n== ${signer.name} takes one lead to a contract ==`);
      for (const to of ['accepted', 'contacted', 'negotiating'])
        await call(signer.key, 'POST', `/leads/${first.id}/transitions`, { to });
      const signed = await call<LeadView>(signer.key, 'POST', `/leads/${first.id}/transitions`, {
        to: 'contract_signed',
        contract: {
          amount: 1_200_000,
          transactionMode: 'negotiated',
          registrationNumber: '2026330500000001',
          settledOnExchange: true,
        },
      });
      console.log(`  ${signed.events.map((e) => e.toState).join(' → ')}`);
      const subsidy = signed.subsidy!;
      console.log(`  subsidy estimate for the buyer: ${subsidy.total} CNY`);
      for (const item of subsidy.items) console.log(`    ${item.ruleId}: ${item.evidence.map((e) => e.zh).join('；')}`);
      console.log(`    ${subsidy.caveat.zh}`);
    }
    const funnel = await call<FunnelRow[]>(admin, 'GET', '/reports/funnel?by=organisation');
    console.log('\n== Funnel by transfer organisation ==');
    for (const row of funnel)
      console.log(
        `  ${(row.label ?? '(unassigned)').padEnd(12)} created ${row.created}, offered ${row.offered}, accepted ${row.accepted}, contracted ${row.contracted}`,
      );

    await challengeChapter(call, admin, demands[1], keyOfOrganisation, brokers, titles);
    await assistantChapter(call, demands[2].key);
    await creditChapter(call, admin, signer, demands[2].key);
  } finally {
    await app.close();
    await redis.stop();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(300);
  }
}

/** 揭榜挂帅: a challenge on a demand, from publication to the contract signed on its award. */
async function challengeChapter(
  call: Call,
  admin: string,
  demand: { id: string; title: string; key: string },
  keyOfOrganisation: Record<string, string>,
  brokers: { id: string; name: string; key: string }[],
  titles: Record<string, string>,
): Promise<void> {
  console.log(`\n== A challenge on "${demand.title}" ==`);
  const deadline = new Date(Date.now() + 20_000);
  const challenge = await call<ChallengeView>(demand.key, 'POST', '/challenges', {
    demandId: demand.id,
    title: '印染布匹瑕疵在线自动检测揭榜',
    statement:
      '征集能在印染后整理产线上实时识别破洞、色差、断经等瑕疵的自动检测方案，检出率不低于97%，可替代人工验布。',
    confidentialDetails: '现有产线车速与布幅数据见附件。',
    terms: '揭榜方对保密信息承担保密义务；方案知识产权归揭榜方所有。',
    prizeAmount: 1_000_000,
    prizeFor: '在企业产线完成试运行的检测系统',
    deadline: deadline.toISOString(),
    criteria: [
      { name: '检出率与误报率', description: '在企业布样上的检出率和误报率', weight: 2 },
      { name: '产线改造成本', description: '设备与改造投入', weight: 1 },
    ],
  });
  await call(demand.key, 'POST', `/challenges/${challenge.id}/transitions`, { to: 'open' });
  console.log(`  published: prize 1,000,000 CNY, proposals until ${deadline.toISOString()}`);

  // Matching chose the solvers when it opened; each organisation sees its invitation and why.
  const invited: ChallengeInvitation[] = [];
  for (const [organisationId, key] of Object.entries(keyOfOrganisation)) {
    const mine = await until(async () => {
      const all = await call<ChallengeInvitation[]>(key, 'GET', '/challenge-invitations');
      const found = all.find((i) => i.challengeId === challenge.id);
      // Give the invitation job a few seconds; an organisation matching did not choose has none.
      return found ?? (Date.now() > deadline.getTime() - 15_000 ? null : undefined);
    });
    if (mine) invited.push({ ...mine, organisationId });
  }
  invited.sort((a, b) => b.score - a.score);
  console.log(`  ${invited.length} organisation(s) invited by matching:`);
  for (const i of invited) console.log(`    ${titles[i.partnerId]}  ${i.score.toFixed(2)}\n      ${i.explanation.zh}`);

  // Each invited organisation registers (accepting the terms) and answers with what it was invited for.
  const proposals: Record<string, string> = {};
  for (const i of invited) {
    const key = keyOfOrganisation[i.organisationId];
    await call(key, 'POST', `/challenges/${challenge.id}/registrations`, { acceptTerms: true });
    const p = await call(key, 'POST', `/challenges/${challenge.id}/proposals`, {
      summary: `以「${titles[i.partnerId]}」为基础的检测方案`,
      approach: `将「${titles[i.partnerId]}」用于印染后整理产线：在线识别破洞、色差、断经，检出率97%以上。`,
      team: '教授1名、工程师4名',
      price: 900_000,
      timeline: '样机3个月，产线试运行3个月',
      ...(i.partnerKind === 'achievement' ? { achievementIds: [i.partnerId] } : { expertIds: [i.partnerId] }),
    });
    proposals[p.id] = titles[i.partnerId];
  }
  console.log(`  ${Object.keys(proposals).length} proposal(s) submitted; waiting for the deadline …`);
  await until(async () => {
    const c = await call<ChallengeView>(demand.key, 'GET', `/challenges/${challenge.id}`);
    return c.state === 'reviewing' ? c : undefined;
  });
  const ranked = await until(async () => {
    const r = await call<RankedProposal[]>(demand.key, 'GET', `/challenges/${challenge.id}/proposals`);
    return r.length > 0 && r.every((p) => p.fit !== null) ? r : undefined;
  });
  console.log('  ranked by fit to the statement and the criteria:');
  for (const p of ranked)
    console.log(
      `    ${p.rank}. ${p.fit!.toFixed(2)}  ${proposals[p.id]}\n       ${p.fitParts.map((f) => f.why.zh).join('；')}`,
    );

  const best = ranked[0];
  const partner = best.achievementIds[0]
    ? { partnerKind: 'achievement', partnerId: best.achievementIds[0] }
    : { partnerKind: 'expert', partnerId: best.expertIds[0] };
  const awarded = await call<ChallengeView>(demand.key, 'POST', `/challenges/${challenge.id}/award`, {
    proposalId: best.id,
    ...partner,
    reason: '匹配度最高，检出率指标明确',
  });
  const lead = await call<LeadView>(admin, 'GET', `/leads/${awarded.leadId}`);
  const broker = lead.brokerId ? brokers.find((b) => b.id === lead.brokerId) : undefined;
  console.log(
    `  awarded to: ${proposals[best.id]}; lead ${lead.state}, both sides agreed, broker ${broker?.name ?? '(none eligible)'}`,
  );
  if (broker) {
    for (const to of ['accepted', 'contacted', 'negotiating'])
      await call(broker.key, 'POST', `/leads/${lead.id}/transitions`, { to });
    const signed = await call<LeadView>(broker.key, 'POST', `/leads/${lead.id}/transitions`, {
      to: 'contract_signed',
      contract: {
        amount: 1_500_000,
        transactionMode: 'negotiated',
        registrationNumber: '2026330600000002',
        settledOnExchange: true,
      },
    });
    console.log(
      `  contract 1,500,000 CNY signed as a challenge-winner contract (${signed.contract!.challengeWinner}): subsidy estimate ${signed.subsidy!.total} CNY`,
    );
  }
  const funnel = await call<ChallengeFunnel>(admin, 'GET', '/reports/challenges');
  console.log(
    `  funnel: ${funnel.published} published, ${funnel.invitationsSent} invited, ${funnel.proposals} proposals, ${funnel.awarded} awarded, ${funnel.contracts} contract(s)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
