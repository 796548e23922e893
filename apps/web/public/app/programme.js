// Commissioner programme: partners by region, focus industries and free text, grouped by kind.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useT } from './i18n.js';
import { Explanation, Field, Problem, useSession, useTaxonomy } from './components.js';

export function PartnerSearch() {
  const t = useT();
  const { api, me } = useSession();
  const taxonomy = useTaxonomy();
  const [query, setQuery] = useState({ regionCode: me.organisation?.regionCode ?? '', industryCodes: [], text: '' });
  const [result, setResult] = useState(null);
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      setResult(
        await api.post(`/programmes/${me.organisation.id}/partners`, { ...query, text: query.text || undefined }),
      );
    } catch (err) {
      setErrors(err.fields ?? {});
      if (!err.fields || Object.keys(err.fields).length === 0) setProblem(err);
    }
  };
  const groups = result && [
    ['achievement', result.achievements],
    ['expert', result.experts],
    ['enterprisesWithDemands', result.demands],
  ];
  return html`<section>
    <h1>${t('partnerSearch')}</h1>
    <form onSubmit=${submit} class="search-form" novalidate>
      <${Field} name="regionCode" label=${t('regionCode')} required error=${errors.regionCode}>
        ${(a) =>
          html`<select
            ...${a}
            value=${query.regionCode}
            onChange=${(e) => setQuery({ ...query, regionCode: e.target.value })}
          >
            <option value="">${t('choose')}</option>
            ${taxonomy.regions.map((r) => html`<option value=${r.code} selected=${r.code === query.regionCode}>${r.name}</option>`)}
          </select>`}
      <//>
      <${Field} name="industryCodes" label=${t('focusIndustries')} error=${errors.industryCodes}>
        ${(a) =>
          html`<select
            ...${a}
            multiple
            size="6"
            onChange=${(e) => setQuery({ ...query, industryCodes: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            ${taxonomy.divisions.map((d) => html`<option value=${d.code} selected=${query.industryCodes.includes(d.code)}>${d.code} ${d.name}</option>`)}
          </select>`}
      <//>
      <${Field} name="text" label=${t('freeText')} error=${errors.text}>
        ${(a) => html`<input ...${a} type="text" maxlength="500" value=${query.text} onInput=${(e) => setQuery({ ...query, text: e.target.value })} />`}
      <//>
      <div class="actions"><button class="primary" type="submit">${t('search')}</button></div>
    </form>
    <${Problem} error=${problem} />
    ${
      groups &&
      html`<div class="grid-3">
        ${groups.map(
          ([label, items]) =>
            html`<section class="group" aria-label=${t(label)}>
              <h2>${t(label)} (${items.length})</h2>
              ${items.length === 0 && html`<p>${t('none')}</p>`}
              <ol class="matches">
                ${items.map(
                  (m) =>
                    html`<li class="card match">
                      <div class="match-head">
                        <strong>${m.record.title ?? m.record.name}</strong>
                        <span class="score">${m.total.toFixed(2)}</span>
                      </div>
                      <${Explanation} explanation=${m.explanation} />
                    </li>`,
                )}
              </ol>
            </section>`,
        )}
      </div>`
    }
  </section>`;
}
