// Operators: the funnel by organisation, industry or region; the yearly ranking; subsidy estimates of contracts.
import { useContext, useState } from 'preact/hooks';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';
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
      <h2>${t('ranking')}</h2>
      <label class="inline">
        ${t('year')}
        <input type="number" min="2000" max="2100" value=${year} onChange=${(e) => setYear(Number(e.target.value))} />
      </label>
    </div>
    <${Problem} error=${rankingError} />
    ${
      ranking &&
      html`<table class="plain">
        <thead>
          <tr>
            <th scope="col">${t('rank')}</th>
            <th scope="col">${t('organisation')}</th>
            <th scope="col">${t('contracts')}</th>
            <th scope="col">${t('brokered')}</th>
            <th scope="col">${t('rewardEligible')}</th>
          </tr>
        </thead>
        <tbody>
          ${ranking.map(
            (r) =>
              html`<tr>
                <td>${r.rank}</td>
                <td>${r.name}</td>
                <td>${r.contracts}</td>
                <td class="num">${money(r.amount, lang)}</td>
                <td>${r.rewardEligible ? '✓' : '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
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
