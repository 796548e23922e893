// Operators: the funnel by organisation, industry or region; the yearly ranking; subsidy estimates of contracts; the
// score weight versions learned from outcomes, with their held-out metrics, and the switch between them.
import { useContext, useState } from 'preact/hooks';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';
import { ChallengeFunnel } from './challenges.js';
import { CreditReportForm, CreditRuleForm } from './credit.js';
import { BarChart, Loading, Problem, StateBadge, money, useLoad, useSession } from './components.js';

export function OperatorPage() {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [by, setBy] = useState('organisation');
  const [year, setYear] = useState(new Date().getFullYear());
  const [funnel, funnelError] = useLoad(() => api.get(`/reports/funnel?by=${by}`), [by]);
  const [ranking, rankingError] = useLoad(() => api.get(`/reports/ranking?year=${year}`), [year]);
  const [contracts] = useLoad(async () => {
    const [signed, won] = await Promise.all([
      api.get('/leads?state=contract_signed&limit=100'),
      api.get('/leads?state=closed_won&limit=100'),
    ]);
    return [...signed.items, ...won.items];
  }, []);
  return html`<section>
    <h1>${t('nav_operator')}</h1>
    <div class="section-head">
      <h2>${t('funnel')}</h2>
      <label class="inline">
        ${t('by')}
        <select value=${by} onChange=${(e) => setBy(e.target.value)}>
          ${['organisation', 'industry', 'region', 'broker'].map((b) => html`<option value=${b}>${t(`by_${b}`)}</option>`)}
        </select>
      </label>
    </div>
    <${Problem} error=${funnelError} />
    ${
      funnel
        ? html`<${BarChart}
            caption=${`${t('funnel')} · ${t(`by_${by}`)}`}
            rows=${funnel}
            series=${[
              { key: 'offered', label: t('offered') },
              { key: 'accepted', label: t('accepted') },
              { key: 'contracted', label: t('contracted') },
            ]}
          />`
        : html`<${Loading} />`
    }
    <div class="section-head">
      <h2 id="ranking-heading">${t('ranking')}</h2>
      <label class="inline">
        ${t('year')}
        <input type="number" min="2000" max="2100" value=${year} onChange=${(e) => setYear(Number(e.target.value))} />
      </label>
    </div>
    <${Problem} error=${rankingError} />
    ${ranking && html`<${RankingTable} ranking=${ranking} lang=${lang} />`}
    <${CreditReportForm} />
    <${CreditRuleForm} />
    <${ChallengeFunnel} />
    <${WeightVersions} />
    <h2>${t('subsidies')}</h2>
    ${
      contracts &&
      html`<table class="plain">
        <thead>
          <tr>
            <th scope="col">${t('lead')}</th>
            <th scope="col">${t('state')}</th>
            <th scope="col">${t('amount')}</th>
            <th scope="col">${t('subsidy')}</th>
          </tr>
        </thead>
        <tbody>
          ${contracts.map(
            (l) =>
              html`<tr>
                <td>
                  <a href=${`#/leads/${l.id}`}
                    >${l.demandTitle ?? t('notVisible')} → ${l.partnerTitle ?? t('notVisible')}</a
                  >
                </td>
                <td><${StateBadge} state=${l.state} /></td>
                <td class="num">${money(l.contract?.amount, lang)}</td>
                <td class="num">${money(l.subsidy?.total, lang)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  </section>`;
}

/** The ranked organisations; those whose credit score is below the floor are listed apart, with their score. */
function RankingTable({ ranking, lang }) {
  const t = useT();
  return html`<table class="plain" aria-labelledby="ranking-heading">
      <thead>
        <tr>
          <th scope="col">${t('rank')}</th>
          <th scope="col">${t('organisation')}</th>
          <th scope="col">${t('contracts')}</th>
          <th scope="col">${t('brokered')}</th>
          <th scope="col">${t('creditScore')}</th>
          <th scope="col">${t('rewardEligible')}</th>
        </tr>
      </thead>
      <tbody>
        ${ranking.rows.map(
          (r) =>
            html`<tr>
              <td>${r.rank}</td>
              <td>${r.name}</td>
              <td>${r.contracts}</td>
              <td class="num">${money(r.amount, lang)}</td>
              <td class="num">${r.creditScore}</td>
              <td>${r.rewardEligible ? '✓' : '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      ranking.leftOut.length > 0 &&
      html`<p class="notice" data-testid="left-out">
        ${t('leftOut', { score: ranking.minCreditScore })}
        ${ranking.leftOut.map((r) => `${r.name} (${r.creditScore})`).join('、')}
      </p>`
    }`;
}

const fixed = (x, digits = 3) => (typeof x === 'number' ? x.toFixed(digits) : '—');

/** Fitted weight versions, newest first: which one matching uses, its metrics and calibration; switch or roll back. */
function WeightVersions() {
  const t = useT();
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const [versions, error] = useLoad(() => api.get('/matching/weights?limit=20'), [reload]);
  const [active] = useLoad(() => api.get('/matching/weights/active'), [reload]);
  const [switchError, setSwitchError] = useState(null);
  const use = async (version) => {
    setSwitchError(null);
    try {
      await api.put('/matching/weights/active', { version });
      setReload((n) => n + 1);
    } catch (e) {
      setSwitchError(e);
    }
  };
  const shown = versions?.find((v) => v.status === 'active') ?? versions?.[0];
  return html`<div class="section-head">
      <h2>${t('weights')}</h2>
      ${active?.version !== null && active && html`<button type="button" onClick=${() => use(null)}>${t('useConfigured')}</button>`}
    </div>
    <${Problem} error=${error ?? switchError} />
    ${active && html`<p>${active.version === null ? t('configuredInForce') : `${t('versionInForce')} #${active.version}`}</p>`}
    ${
      versions &&
      (versions.length === 0
        ? html`<p class="hint">${t('noVersions')}</p>`
        : html`<table class="plain">
            <caption>
              ${t('weightVersions')}
            </caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">${t('state')}</th>
                <th scope="col">${t('outcomes')}</th>
                <th scope="col">AUC</th>
                <th scope="col">${t('logLoss')}</th>
                <th scope="col">${t('weights')}</th>
                <th scope="col"><span class="sr-only">${t('actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${versions.map(
                (v) =>
                  html`<tr>
                    <td>${v.id}</td>
                    <td>${t(`version_${v.status}`)}<br /><small>${v.note}</small></td>
                    <td class="num">${v.trainingOutcomes} + ${v.heldoutOutcomes}</td>
                    <td class="num">${fixed(v.metrics.auc)} / ${fixed(v.metrics.baseline.auc)}</td>
                    <td class="num">${fixed(v.metrics.logLoss)} / ${fixed(v.metrics.baseline.logLoss)}</td>
                    <td>
                      ${Object.entries(v.weights)
                        .map(([name, w]) => `${t(`part_${name}`)} ${fixed(w, 2)}`)
                        .join(' · ')}
                    </td>
                    <td>
                      ${
                        v.status !== 'active' &&
                        html`<button type="button" onClick=${() => use(v.id)}>${t('switchOn')} #${v.id}</button>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
    ${
      shown &&
      html`<table class="plain">
        <caption>
          ${t('calibration')} #${shown.id}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('predicted')}</th>
            <th scope="col">${t('observed')}</th>
            <th scope="col">${t('outcomes')}</th>
          </tr>
        </thead>
        <tbody>
          ${shown.metrics.calibration.map(
            (b) =>
              html`<tr>
                <td class="num">${fixed(b.from, 1)}–${fixed(b.to, 1)}: ${fixed(b.predicted, 2)}</td>
                <td class="num">${fixed(b.observed, 2)}</td>
                <td class="num">${b.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }`;
}
