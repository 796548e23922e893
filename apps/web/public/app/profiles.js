// Enterprise and institution pages: their demands or achievements, the form to post one, and what matches it.
import { useState } from 'preact/hooks';
import { DemandAssistant } from './assistant.js';
import { html } from './html.js';
import { useT } from './i18n.js';
import {
  CreditTag,
  Explanation,
  Field,
  Loading,
  MoreButton,
  Problem,
  StateBadge,
  useLoad,
  usePages,
  useSession,
  useTaxonomy,
} from './components.js';

const COOPERATION = ['transfer', 'licence', 'equity', 'joint_development', 'service'];
const TRL = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The form fields of each kind, with the limits the API checks (so the browser says it first). */
const FIELDS = {
  demand: [
    { name: 'title', type: 'text', required: true, maxLength: 200 },
    { name: 'description', type: 'textarea', required: true, maxLength: 5000, secret: true },
    { name: 'keywords', type: 'list', secret: true },
    { name: 'industryCode', type: 'industry' },
    { name: 'regionCode', type: 'region', required: true },
    { name: 'budgetMin', type: 'number', min: 0, secret: true },
    { name: 'budgetMax', type: 'number', min: 0, secret: true },
    { name: 'minReadinessLevel', type: 'select', options: TRL.map((n) => [n, `TRL ${n}`]) },
    { name: 'cooperationModes', type: 'checkboxes', options: COOPERATION.map((c) => [c, `coop_${c}`]) },
    { name: 'greenPreferred', type: 'checkbox' },
    { name: 'deadline', type: 'date', secret: true },
    { name: 'challengePrize', type: 'number', min: 0 },
  ],
  achievement: [
    { name: 'title', type: 'text', required: true, maxLength: 200 },
    { name: 'abstract', type: 'textarea', required: true, maxLength: 5000 },
    { name: 'keywords', type: 'list' },
    { name: 'industryCode', type: 'industry' },
    { name: 'readinessLevel', type: 'select', required: true, options: TRL.map((n) => [n, `TRL ${n}`]) },
    { name: 'askingPrice', type: 'number', min: 0 },
    {
      name: 'transactionMode',
      type: 'select',
      options: ['listing', 'auction', 'negotiated'].map((m) => [m, `mode_${m}`]),
    },
    { name: 'cooperationModes', type: 'checkboxes', options: COOPERATION.map((c) => [c, `coop_${c}`]) },
    { name: 'green', type: 'checkbox' },
    { name: 'regionCode', type: 'region', required: true },
    { name: 'visibility', type: 'select', options: ['public', 'private'].map((v) => [v, `vis_${v}`]) },
  ],
};

const PATH = { demand: 'demands', achievement: 'achievements' };

export function ProfileList({ kind }) {
  const t = useT();
  const { me } = useSession();
  const pages = usePages(`/${PATH[kind]}?organisationId=${me.organisation.id}&limit=20`, []);
  const page = pages.items && { items: pages.items };
  const error = pages.error;
  return html`<section>
    <div class="section-head">
      <h1>${t(kind === 'demand' ? 'nav_demands' : 'nav_achievements')}</h1>
      <div class="actions">
        <a class="button primary" href=${`#/${PATH[kind]}/new`}
          >${t(kind === 'demand' ? 'newDemand' : 'newAchievement')}</a
        >
        ${kind === 'achievement' && html`<a class="button" href="#/achievements/import">${t('import')}</a>`}
      </div>
    </div>
    <${Problem} error=${error} />
    ${!page && !error && html`<${Loading} />`} ${page && page.items.length === 0 && html`<p>${t('none')}</p>`}
    ${
      page &&
      page.items.length > 0 &&
      html`<ul class="cards">
        ${page.items.map(
          (r) =>
            html`<li class="card">
              <a href=${`#/${PATH[kind]}/${r.id}`}><strong>${r.title}</strong></a>
              <div class="meta">
                <span class="tag">${t(`status_${r.status}`)}</span>
                <span class="tag">${t(`emb_${r.embedding.status}`)}</span>
                ${r.confidentialFields?.length > 0 && html`<span class="tag tag-secret">${t('confidential')}</span>`}
              </div>
            </li>`,
        )}
      </ul>`
    }
    <${MoreButton} pages=${pages} />
  </section>`;
}

/** Post or edit a demand or achievement: the API's field errors appear beside each field. */
export function ProfileForm({ kind, id }) {
  const { api } = useSession();
  const [existing] = useLoad(() => (id ? api.get(`/${PATH[kind]}/${id}`) : Promise.resolve(null)), [kind, id]);
  if (id && !existing) return html`<${Loading} />`;
  return html`<${ProfileFormBody} kind=${kind} id=${id} existing=${existing} key=${id ?? 'new'} />`;
}

function ProfileFormBody({ kind, id, existing }) {
  const t = useT();
  const { api } = useSession();
  const taxonomy = useTaxonomy();
  const [values, setValues] = useState(() => initialValues(kind, existing));
  const [secret, setSecret] = useState(() => new Set(existing?.confidentialFields ?? []));
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name, value) => setValues({ ...values, [name]: value });
  // A suggestion of the demand assistant: a keyword or a cooperation mode is added, the rest replace.
  const take = (name, value) =>
    setValues((v) => {
      if (name === 'keywords') return { ...v, keywords: [v.keywords.trim(), value].filter(Boolean).join('，') };
      if (name === 'cooperationModes')
        return {
          ...v,
          cooperationModes: v.cooperationModes.includes(value) ? v.cooperationModes : [...v.cooperationModes, value],
        };
      return { ...v, [name]: value };
    });

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setProblem(null);
    try {
      const body = toBody(kind, values, secret);
      const saved = id ? await api.patch(`/${PATH[kind]}/${id}`, body) : await api.post(`/${PATH[kind]}`, body);
      location.hash = `#/${PATH[kind]}/${saved.id}`;
    } catch (err) {
      const fields = err.fields ?? {};
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(err);
      // Move focus to the first field in error, so keyboard and screen-reader users land on it.
      setTimeout(() => document.querySelector('.has-error input, .has-error textarea, .has-error select')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const control = (f, attrs) => {
    const v = values[f.name];
    switch (f.type) {
      case 'textarea':
        return html`<textarea
          ...${attrs}
          rows="5"
          maxlength=${f.maxLength}
          value=${v}
          onInput=${(e) => set(f.name, e.target.value)}
        />`;
      case 'number':
        return html`<input
          ...${attrs}
          type="number"
          inputmode="decimal"
          min=${f.min}
          step="0.01"
          value=${v}
          onInput=${(e) => set(f.name, e.target.value)}
        />`;
      case 'date':
        return html`<input ...${attrs} type="date" value=${v} onInput=${(e) => set(f.name, e.target.value)} />`;
      case 'checkbox':
        return html`<input
          ...${attrs}
          type="checkbox"
          checked=${v}
          onChange=${(e) => set(f.name, e.target.checked)}
        />`;
      case 'select':
      case 'industry':
      case 'region': {
        const options =
          f.type === 'industry'
            ? taxonomy.divisions.map((d) => [d.code, `${d.code} ${d.name}`])
            : f.type === 'region'
              ? taxonomy.regions.map((r) => [r.code, `${r.level === 'county' ? '　' : ''}${r.name}`])
              : f.options.map(([value, label]) => [value, t(label)]);
        return html`<select ...${attrs} value=${v} onChange=${(e) => set(f.name, e.target.value)}>
          <option value="">${t('choose')}</option>
          ${options.map(([value, label]) => html`<option value=${value} selected=${String(v) === String(value)}>${label}</option>`)}
        </select>`;
      }
      case 'checkboxes':
        return html`<div class="checks" role="group" aria-labelledby=${`${attrs.id}-legend`}>
          ${f.options.map(
            ([value, label]) =>
              html`<label class="check">
                <input
                  type="checkbox"
                  checked=${v.includes(value)}
                  onChange=${(e) => set(f.name, e.target.checked ? [...v, value] : v.filter((x) => x !== value))}
                />
                ${t(label)}
              </label>`,
          )}
        </div>`;
      default:
        return html`<input
          ...${attrs}
          type="text"
          maxlength=${f.maxLength}
          value=${v}
          onInput=${(e) => set(f.name, e.target.value)}
        />`;
    }
  };

  return html`<section>
    <h1>${id ? `${t('edit')} · ${existing.title}` : t(kind === 'demand' ? 'newDemand' : 'newAchievement')}</h1>
    ${kind === 'demand' && html`<p class="hint">${t('confidentialHint')}</p>`}
    <div class=${kind === 'demand' ? 'with-assistant' : ''}>
      <form onSubmit=${submit} novalidate>
        ${FIELDS[kind].map(
          (f) =>
            html`<div class="field-row">
              <${Field}
                name=${f.name}
                label=${t(f.name)}
                required=${f.required}
                error=${errors[f.name]}
                confidential=${secret.has(f.name)}
              >
                ${(attrs) => control(f, attrs)}
              <//>
              ${
                f.secret &&
                html`<label class="check secret-toggle">
                  <input
                    type="checkbox"
                    checked=${secret.has(f.name)}
                    onChange=${(e) => {
                      const next = new Set(secret);
                      if (e.target.checked) next.add(f.name);
                      else next.delete(f.name);
                      setSecret(next);
                    }}
                  />
                  ${t('confidential')}
                </label>`
              }
            </div>`,
        )}
        <${Problem} error=${problem} />
        <div class="actions">
          <button class="primary" type="submit" disabled=${busy}>${t('save')}</button>
          <a class="button" href=${`#/${PATH[kind]}`}>${t('cancel')}</a>
        </div>
      </form>
      ${kind === 'demand' && html`<${DemandAssistant} values=${values} take=${take} />`}
    </div>
  </section>`;
}

function initialValues(kind, existing) {
  const values = {};
  for (const f of FIELDS[kind]) {
    const v = existing?.[f.name];
    values[f.name] =
      f.type === 'checkboxes'
        ? (v ?? [])
        : f.type === 'checkbox'
          ? Boolean(v)
          : f.type === 'list'
            ? (v ?? []).join('，')
            : (v ?? '');
  }
  return values;
}

function toBody(kind, values, secret) {
  const body = {};
  for (const f of FIELDS[kind]) {
    const v = values[f.name];
    if (f.type === 'checkbox') body[f.name] = v;
    else if (f.type === 'checkboxes') body[f.name] = v;
    else if (f.type === 'list')
      body[f.name] = v
        .split(/[,，、;；]/)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (v === '' || v === null) continue;
    else if (f.type === 'number' || (f.type === 'select' && /Level$/.test(f.name))) body[f.name] = Number(v);
    else body[f.name] = v;
  }
  if (kind === 'demand') body.confidentialFields = [...secret];
  return body;
}

/** A demand or achievement with what matches it (and, for achievements, why its leads were declined). */
export function ProfileDetail({ kind, id }) {
  const t = useT();
  const { api } = useSession();
  const [record, error] = useLoad(() => api.get(`/${PATH[kind]}/${id}`), [kind, id]);
  const [target, setTarget] = useState('achievements');
  const [matches, matchError] = useLoad(
    () =>
      kind === 'demand'
        ? api.get(`/demands/${id}/matches?target=${target}&limit=10`)
        : api.get(`/achievements/${id}/matches?limit=10`),
    [kind, id, target],
  );
  const [declines] = useLoad(() => api.get(`/${PATH[kind]}/${id}/decline-reasons`), [kind, id]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!record) return html`<${Loading} />`;
  return html`<section>
    <div class="section-head">
      <h1>${record.title}</h1>
      <a class="button" href=${`#/${PATH[kind]}/${id}/edit`}>${t('edit')}</a>
    </div>
    <p class="meta">
      <span class="tag">${t(`status_${record.status}`)}</span>
      <span class="tag">${t(`emb_${record.embedding.status}`)}</span>
    </p>
    <p class="text">${record.description ?? record.abstract}</p>
    <h2>${kind === 'demand' ? t('matches') : t('matchesOf')}</h2>
    ${
      kind === 'demand' &&
      html`<div class="tabs" role="group">
        ${['achievements', 'experts'].map(
          (k) =>
            html`<button
              aria-pressed=${target === k}
              class=${target === k ? 'active' : ''}
              onClick=${() => setTarget(k)}
            >
              ${t(k === 'achievements' ? 'achievement' : 'expert')}
            </button>`,
        )}
      </div>`
    }
    <${Problem} error=${matchError} />
    ${matches && matches.length === 0 && html`<p>${t('noMatches')}</p>`}
    <ol class="matches">
      ${(matches ?? []).map(
        (m) =>
          html`<li class="card match">
            <div class="match-head">
              <strong>${m.record.title ?? m.record.name}</strong>
              <span class="score" title=${t('score')}>${m.total.toFixed(2)}</span>
            </div>
            <p class="meta">
              ${m.lead && html`<a href=${`#/leads/${m.lead.id}`}><${StateBadge} state=${m.lead.state} /></a>`}
              <${CreditTag} credit=${m.credit} />
            </p>
            <${Explanation} explanation=${m.explanation} />
          </li>`,
      )}
    </ol>
    ${
      declines &&
      declines.total > 0 &&
      html`<h2>${t('declineReasons')}</h2>
        <table class="plain">
          <tbody>
            ${declines.reasons.map(
              (r) =>
                html`<tr>
                  <th scope="row">${t(`reason_${r.reason}`)}</th>
                  <td>${r.count}</td>
                  <td>${r.notes.join('；')}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}

/** Bulk import of achievements with upload progress and the rejected rows counted by reason. */
export function ImportPage() {
  const t = useT();
  const { api } = useSession();
  const [file, setFile] = useState(null);
  const [progress, setProgress] = useState(0);
  const [summary, setSummary] = useState(null);
  const [problem, setProblem] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    if (!file) return;
    setSummary(null);
    setProblem(null);
    const type = file.name.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson';
    try {
      setSummary(await api.upload('/achievements/import', file, type, setProgress));
    } catch (err) {
      setProblem(err);
    }
  };
  return html`<section>
    <h1>${t('import')}</h1>
    <form onSubmit=${submit}>
      <${Field} name="file" label=${t('import')} hint=${t('importHint')}>
        ${(attrs) => html`<input ...${attrs} type="file" accept=".jsonl,.ndjson,.csv" onChange=${(e) => setFile(e.target.files[0])} />`}
      <//>
      <progress max="1" value=${progress} aria-label=${t('upload')}>${Math.round(progress * 100)}%</progress>
      <div class="actions"><button class="primary" type="submit" disabled=${!file}>${t('upload')}</button></div>
    </form>
    <${Problem} error=${problem} />
    ${
      summary &&
      html`<div class="card" role="status">
        <p>
          ${t('accepted_rows', { n: summary.accepted })} · ${t('updated_rows', { n: summary.updated })} ·
          ${t('rejected_rows', { n: summary.rejected })}
        </p>
        <ul>
          ${Object.entries(summary.rejectedByReason).map(([reason, n]) => html`<li>${reason}: ${n}</li>`)}
        </ul>
        ${
          summary.rejectedRows.length > 0 &&
          html`<p>${t('rejected_lines')}: ${summary.rejectedRows.map((r) => r.line).join(', ')}</p>`
        }
        ${summary.fatal && html`<p class="notice">${t('import_stopped', summary.fatal)}</p>`}
      </div>`
    }
  </section>`;
}
