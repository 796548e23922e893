// Credit and performance: the published report of transfer organisations for a quarter or a year (printable) with
// the versions of the scoring rule; the signed-in organisation's (or broker's) own credit record in full, each event
// with its source, and the reports filed about it; the operators' forms for filing a report and a new rule version.
import { useContext, useState } from 'preact/hooks';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';
import { Field, Loading, Problem, money, useLoad, useSession } from './components.js';

/** The event kinds of a credit record, in the order the rule lists them (CREDIT_EVENT_KINDS). */
const EVENT_KINDS = [
  'contract_signed',
  'settled_on_exchange',
  'closed_won',
  'closed_lost',
  'offer_lapsed',
  'accepted_idle',
  'declined_after_acceptance',
  'award_honoured',
  'award_not_honoured',
  'bad_faith_report',
];

const thisYear = new Date().getFullYear();

/** The published performance report: every role reads it; the print button prints the table alone. */
export function PerformancePage() {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  // Until one is picked, the API's default: the last quarter that has ended.
  const [picked, setPeriod] = useState(null);
  const [report, error] = useLoad(() => api.get(`/reports/performance${picked ? `?period=${picked}` : ''}`), [picked]);
  const [rules, rulesError] = useLoad(() => api.get('/credit-rules'), []);
  const period = picked ?? report?.period ?? '';
  const periods = [thisYear, thisYear - 1].flatMap((y) => [`${y}`, ...[4, 3, 2, 1].map((q) => `${y}-Q${q}`)]);
  return html`<section class="report">
    <div class="section-head">
      <h1>${t('nav_report')}</h1>
      <div class="actions no-print">
        <label class="inline">
          ${t('period')}
          <select value=${period} onChange=${(e) => setPeriod(e.target.value)}>
            ${periods.map((p) => html`<option value=${p}>${p}</option>`)}
          </select>
        </label>
        <button type="button" class="button" onClick=${() => window.print()}>${t('print')}</button>
      </div>
    </div>
    <${Problem} error=${error} />
    ${
      report
        ? html`<p class="meta">
              ${t('reportPeriod', { period: report.period, from: report.from.slice(0, 10), to: report.to.slice(0, 10) })}
              ${report.final ? '' : ` · ${t('reportRunning')}`}
            </p>
            <table class="plain">
              <thead>
                <tr>
                  <th scope="col">${t('organisation')}</th>
                  <th scope="col">${t('contracts')}</th>
                  <th scope="col">${t('brokered')}</th>
                  <th scope="col">${t('offersAnswered')}</th>
                  <th scope="col">${t('medianResponse')}</th>
                  <th scope="col">${t('conversion')}</th>
                  <th scope="col">${t('creditScore')}</th>
                </tr>
              </thead>
              <tbody>
                ${report.organisations.map(
                  (r) =>
                    html`<tr>
                      <td>${r.name}</td>
                      <td class="num">${r.contracts}</td>
                      <td class="num">${money(r.brokeredAmount, lang)}</td>
                      <td class="num">${r.offers - r.lapsedOffers} / ${r.offers}</td>
                      <td class="num">${r.medianResponseHours === null ? '—' : `${r.medianResponseHours} h`}</td>
                      <td class="num">
                        ${r.conversion === null ? '—' : `${Math.round(r.conversion * 100)}% (${r.convertedLeads}/${r.acceptedLeads})`}
                      </td>
                      <td class="num">${r.creditScore}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : !error && html`<${Loading} />`
    }
    <${Problem} error=${rulesError} />
    ${rules ? html`<${CreditRules} rules=${rules} />` : !rulesError && html`<${Loading} />`}
  </section>`;
}

/** The scoring rule in force, what each event counts under it; and every version, retired ones kept. */
function CreditRules({ rules }) {
  const t = useT();
  const current = rules.find((r) => !r.retiredAt);
  return html`${
      current &&
      html`<h2 id="credit-rule">${t('creditRuleInForce', { version: current.version })}</h2>
        <table class="plain" aria-labelledby="credit-rule">
          <tbody>
            <tr>
              <th scope="row">${t('ruleBase')}</th>
              <td class="num">${current.base}</td>
            </tr>
            <tr>
              <th scope="row">${t('ruleWindow')}</th>
              <td class="num">${current.windowMonths}</td>
            </tr>
            ${EVENT_KINDS.map(
              (k) =>
                html`<tr>
                  <th scope="row">${t(`credit_${k}`)}</th>
                  <td class="num">${current.points[k] ?? 0}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
    }
    <h2 id="credit-rules">${t('creditRules')}</h2>
    <table class="plain" aria-labelledby="credit-rules">
      <thead>
        <tr>
          <th scope="col">${t('ruleVersion')}</th>
          <th scope="col">${t('ruleInForce')}</th>
          <th scope="col">${t('ruleSource')}</th>
        </tr>
      </thead>
      <tbody>
        ${rules.map(
          (r) =>
            html`<tr>
              <td>${r.version}</td>
              <td>${r.createdAt.slice(0, 10)} – ${r.retiredAt ? r.retiredAt.slice(0, 10) : t('ruleCurrent')}</td>
              <td>${r.source}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The signed-in party's own credit record: the score with its parts, and the reports filed about it, answered here. */
export function CreditPage() {
  const t = useT();
  const { api, me } = useSession();
  const path = me.broker ? `/brokers/${me.broker.id}/credit` : `/organisations/${me.organisation.id}/credit`;
  const [record, error, reload] = useLoad(() => api.get(path), [path]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!record) return html`<${Loading} />`;
  return html`<section>
    <h1>${t('nav_credit')}</h1>
    <p class="score" data-testid="credit-score">${t('creditScore')} ${record.score.score}</p>
    <p class="meta">${t('creditRule', { version: record.score.rule.version, base: record.score.base })}</p>
    <table class="plain">
      <caption class="sr-only">
        ${t('creditParts')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('creditEvent')}</th>
          <th scope="col">${t('count')}</th>
          <th scope="col">${t('points')}</th>
        </tr>
      </thead>
      <tbody>
        ${record.score.parts.map(
          (p) =>
            html`<tr>
              <td>${t(`credit_${p.kind}`)}</td>
              <td class="num">${p.count}</td>
              <td class="num">${p.subtotal}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2 id="credit-events">${t('creditEvents')}</h2>
    ${
      record.events.length === 0
        ? html`<p>${t('noCreditEvents')}</p>`
        : html`<table class="plain" aria-labelledby="credit-events">
            <thead>
              <tr>
                <th scope="col">${t('eventAt')}</th>
                <th scope="col">${t('creditEvent')}</th>
                <th scope="col">${t('eventSource')}</th>
              </tr>
            </thead>
            <tbody>
              ${record.events.map(
                (e) =>
                  html`<tr>
                    <td>${e.at.slice(0, 10)}</td>
                    <td>${t(`credit_${e.kind}`)}</td>
                    <td>
                      ${e.leadId ? html`<a href=${`#/leads/${e.leadId}`}>${t(`source_${e.source.kind}`)}</a>` : t(`source_${e.source.kind}`)}
                      ${' '}<code>${e.source.id.slice(0, 8)}</code>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h2>${t('creditReports')}</h2>
    ${record.reports.length === 0 ? html`<p>${t('noCreditReports')}</p>` : ''}
    ${record.reports.map((r) => html`<${CreditReport} report=${r} onAnswered=${reload} />`)}
  </section>`;
}

function CreditReport({ report, onAnswered }) {
  const t = useT();
  const { api } = useSession();
  const [answer, setAnswer] = useState(report.answer ?? '');
  const [problem, setProblem] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setProblem(null);
    try {
      await api.post(`/credit-reports/${report.id}/answer`, { answer });
      onAnswered();
    } catch (err) {
      setProblem(err);
    }
  };
  return html`<article class="card">
    <p>${report.summary}</p>
    <ul>
      ${report.evidence.map((e) => html`<li>${e.url ? html`<a href=${e.url}>${e.description}</a>` : e.description}</li>`)}
    </ul>
    <form onSubmit=${submit}>
      <label>
        ${t('yourAnswer')}
        <textarea rows="3" value=${answer} onInput=${(e) => setAnswer(e.target.value)}></textarea>
      </label>
      <${Problem} error=${problem} />
      <button type="submit" class="button">${t('answerReport')}</button>
    </form>
  </article>`;
}

/** Operators file a bad-faith report about an organisation, with one item of evidence; it counts from then on. */
export function CreditReportForm() {
  const t = useT();
  const { api } = useSession();
  const [organisations] = useLoad(() => api.get('/organisations?limit=100'), []);
  const empty = { subjectId: '', summary: '', description: '', url: '' };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [filed, setFiled] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      await api.post('/credit-reports', {
        subjectKind: 'organisation',
        subjectId: form.subjectId,
        summary: form.summary,
        evidence: [{ description: form.description, url: form.url || undefined }],
      });
      setFiled(organisations.items.find((o) => o.id === form.subjectId)?.name ?? form.subjectId);
      setForm(empty);
    } catch (err) {
      setErrors(err.fields ?? {});
      if (!err.fields || Object.keys(err.fields).length === 0) setProblem(err);
    }
  };
  return html`<form onSubmit=${submit} class="card" novalidate>
    <h2>${t('fileCreditReport')}</h2>
    <${Field} name="subjectId" label=${t('organisation')} error=${errors.subjectId} required>
      ${(p) =>
        html`<select ...${p} value=${form.subjectId} onChange=${set('subjectId')}>
          <option value="">—</option>
          ${(organisations?.items ?? []).map((o) => html`<option value=${o.id}>${o.name}</option>`)}
        </select>`}
    <//>
    <${Field} name="summary" label=${t('reportSummary')} error=${errors.summary} required>
      ${(p) => html`<input ...${p} value=${form.summary} onInput=${set('summary')} />`}
    <//>
    <${Field}
      name="evidence"
      label=${t('evidence')}
      error=${errors['evidence.0.description'] ?? errors.evidence}
      required
    >
      ${(p) => html`<textarea ...${p} rows="2" value=${form.description} onInput=${set('description')}></textarea>`}
    <//>
    <${Field} name="url" label=${t('evidenceUrl')} error=${errors['evidence.0.url']}>
      ${(p) => html`<input ...${p} type="url" value=${form.url} onInput=${set('url')} />`}
    <//>
    <${Problem} error=${problem} />
    ${filed && html`<p class="notice" role="status">${t('reportFiled', { name: filed })}</p>`}
    <button type="submit" class="button">${t('fileCreditReport')}</button>
  </form>`;
}

/**
 * Operators bring in the next version of the scoring rule, starting from the one in force; it is in force at once
 * and the one before is retired (kept and listed).
 */
export function CreditRuleForm() {
  const t = useT();
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const [rules, rulesError] = useLoad(() => api.get('/credit-rules'), [reload]);
  const [form, setForm] = useState(null);
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [added, setAdded] = useState(null);
  const current = rules?.find((r) => !r.retiredAt);
  const values = form ?? {
    base: String(current?.base ?? ''),
    windowMonths: String(current?.windowMonths ?? ''),
    source: '',
    points: Object.fromEntries(EVENT_KINDS.map((k) => [k, String(current?.points[k] ?? 0)])),
  };
  const set = (name) => (e) => setForm({ ...values, [name]: e.target.value });
  const setPoints = (kind) => (e) => setForm({ ...values, points: { ...values.points, [kind]: e.target.value } });
  const number = (v) => (v.trim() === '' ? undefined : Number(v));
  const submit = async (e) => {
    e.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      const rule = await api.post('/credit-rules', {
        base: number(values.base),
        windowMonths: number(values.windowMonths),
        source: values.source,
        points: Object.fromEntries(EVENT_KINDS.map((k) => [k, number(values.points[k])])),
      });
      setAdded(rule.version);
      setForm(null);
      setReload((n) => n + 1);
    } catch (err) {
      setErrors(err.fields ?? {});
      if (!err.fields || Object.keys(err.fields).length === 0) setProblem(err);
    }
  };
  if (rulesError) return html`<${Problem} error=${rulesError} />`;
  if (!rules) return html`<${Loading} />`;
  return html`<${CreditRules} rules=${rules} />
    <form onSubmit=${submit} class="card" novalidate>
      <h2>${t('newCreditRule')}</h2>
      <p class="hint">${t('newCreditRuleHint')}</p>
      <div class="grid-3">
        <${Field} name="base" label=${t('ruleBase')} error=${errors.base} required>
          ${(p) => html`<input ...${p} type="number" min="0" max="100" value=${values.base} onInput=${set('base')} />`}
        <//>
        <${Field} name="windowMonths" label=${t('ruleWindow')} error=${errors.windowMonths} required>
          ${(p) =>
            html`<input
              ...${p}
              type="number"
              min="1"
              max="120"
              value=${values.windowMonths}
              onInput=${set('windowMonths')}
            />`}
        <//>
        ${EVENT_KINDS.map(
          (k) =>
            html`<${Field} name=${`points.${k}`} label=${t(`credit_${k}`)} error=${errors[`points.${k}`]}>
              ${(p) =>
                html`<input
                  ...${p}
                  type="number"
                  min="-100"
                  max="100"
                  step="0.01"
                  value=${values.points[k]}
                  onInput=${setPoints(k)}
                />`}
            <//>`,
        )}
      </div>
      <${Field} name="source" label=${t('ruleSource')} error=${errors.source} required>
        ${(p) => html`<input ...${p} value=${values.source} onInput=${set('source')} />`}
      <//>
      <${Problem} error=${problem} />
      ${added && html`<p class="notice" role="status">${t('creditRuleAdded', { version: added })}</p>`}
      <button type="submit" class="button">${t('newCreditRule')}</button>
    </form>`;
}
