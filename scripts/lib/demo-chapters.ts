/**
 * The last chapters of `npm run demo`: the demand assistant on a need written in an enterprise's own words, and the
 * credit records the service keeps from verifiable events, with the published report and ranking they take part in.
 */
import type { Assistance } from '@app/assistant';
import type { CreditRecord } from '@app/credit';
import type { PerformanceReport, Ranking } from '@app/leads';

/** The demo's API client: a key, a method, a path under /v1 and a JSON body; throws on a status that is not 2xx. */
export type Call = <T = { id: string; secret: string }>(
  key: string,
  method: string,
  path: string,
  body?: object,
) => Promise<T>;

/** 凝练技术需求: a small enterprise's own words, and what the assistant makes of them before anything is stored. */
export async function assistantChapter(call: Call, enterpriseKey: string): Promise<void> {
  const draft = {
    title: '厂里的旧电池怎么处理',
    description: '我们每年换下来很多用过的锂电池，想找能把里面的钴和镍提出来的办法，最好污染小一点。',
  };
  console.log('\n== Demand assistant: a draft in plain words ==');
  console.log(`  ${draft.title}：${draft.description}`);
  const a = await call<Assistance>(enterpriseKey, 'POST', '/demands/assist', draft);
  console.log(`  industry (decided by the ${a.industry.decidedBy}):`);
  for (const s of a.industry.suggestions)
    console.log(
      `    ${s.code} ${s.name}  ${(s.confidence * 100).toFixed(0)}%  ${s.basis.map((b) => b.title).join('；')}`,
    );
  console.log(`  keywords: ${a.keywords.map((k) => k.keyword).join('、')}`);
  if (a.minReadinessLevel) console.log(`  minimum readiness: TRL ${a.minReadinessLevel.value}`);
  console.log(`  cooperation: ${a.cooperationModes.map((m) => `${m.mode} ${(m.share * 100).toFixed(0)}%`).join(', ')}`);
  for (const d of a.possibleDuplicates)
    console.log(`  possibly the same need: ${d.title} (similarity ${d.similarity.toFixed(2)})`);
  console.log('  what this wording would find:');
  for (const m of a.preview) console.log(`    ${m.total.toFixed(2)}  ${m.title}\n          ${m.explanation.zh}`);
}

/**
 * 信用记录: an operator files a bad-faith report about the transfer organisation with the fewest contracts; the
 * broker who signed first sees its record in full, each event with the row that proves it; everyone sees the
 * published report and the ranking, which leaves out the organisation below the credit floor.
 */
export async function creditChapter(
  call: Call,
  admin: string,
  broker: { id: string; name: string; key: string } | undefined,
  enterpriseKey: string,
): Promise<void> {
  const year = new Date().getFullYear();
  console.log('\n== Credit records ==');
  if (broker) {
    const record = await call<CreditRecord>(broker.key, 'GET', `/brokers/${broker.id}/credit`);
    console.log(
      `  ${broker.name}, own record in full: score ${record.score.score} (rule v${record.score.rule.version})`,
    );
    for (const p of record.score.parts.filter((p) => p.count > 0))
      console.log(`    ${p.kind} × ${p.count}  ${p.subtotal >= 0 ? '+' : ''}${p.subtotal}`);
    for (const e of record.events ?? [])
      console.log(`    ${e.at.slice(0, 10)} ${e.kind}  source: ${e.source.kind} ${e.source.id}`);
  }
  // Complaints about the organisation with the lowest score, one per matter, until it falls below the ranking's floor.
  const { minCreditScore } = await call<Ranking>(admin, 'GET', `/reports/ranking?year=${year}`);
  const before = await call<PerformanceReport>(enterpriseKey, 'GET', `/reports/performance?period=${year}`);
  const target = [...before.organisations].sort((a, b) => a.creditScore - b.creditScore)[0];
  const matters = ['受托对接后长期不履行居间服务约定', '隐瞒成果权属纠纷促成签约', '虚报技术合同成交额'];
  let score = target.creditScore;
  for (const summary of matters) {
    if (score < minCreditScore) break;
    const report = await call(admin, 'POST', '/credit-reports', {
      subjectKind: 'organisation',
      subjectId: target.organisationId,
      summary,
      evidence: [{ description: '委托方投诉材料与往来记录' }],
    });
    const seen = await call<CreditRecord>(enterpriseKey, 'GET', `/organisations/${target.organisationId}/credit`);
    console.log(
      `  report ${report.id.slice(0, 8)} about ${target.name} (${summary}): score ${score} → ${seen.score.score}`,
    );
    score = seen.score.score;
  }
  console.log(
    `  (an enterprise sees the summary of another party's record: its score and how many events of each kind)`,
  );

  const published = await call<PerformanceReport>(enterpriseKey, 'GET', `/reports/performance?period=${year}`);
  console.log(`\n== Published performance report, ${published.period}${published.final ? '' : ' (still running)'} ==`);
  for (const r of published.organisations)
    console.log(
      `  ${r.name.padEnd(10)} contracts ${r.contracts}, ${r.brokeredAmount.toLocaleString('en')} CNY, offers ${r.offers} (lapsed ${r.lapsedOffers}),` +
        ` median answer ${r.medianResponseHours ?? '—'} h, conversion ${r.conversion === null ? '—' : `${Math.round(r.conversion * 100)}%`}, credit ${r.creditScore}`,
    );
  const ranking = await call<Ranking>(admin, 'GET', `/reports/ranking?year=${year}`);
  console.log(`\n== Ranking ${year} (credit score at least ${ranking.minCreditScore}) ==`);
  for (const r of ranking.rows)
    console.log(`  ${r.rank}. ${r.name}  ${r.amount.toLocaleString('en')} CNY, credit ${r.creditScore}`);
  for (const r of ranking.leftOut) console.log(`  not ranked: ${r.name} (credit ${r.creditScore})`);
}
