// Leads: the broker's inbox, everyone's lead list, and one lead with the moves the viewer may make.
import { useContext, useState } from 'preact/hooks';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';
import {
  CreditTag,
  Explanation,
  Field,
  Loading,
  MoreButton,
  Problem,
  StateBadge,
  money,
  useLoad,
  usePages,
  useSession,
} from './components.js';

const REASONS = ['too_early_stage', 'benefit_unclear', 'price_mismatch', 'wrong_field', 'already_in_contact', 'other'];
const FILTERS = { all: '', new: 'state=offered', soon: 'due=soon', overdue: 'due=overdue' };

function LeadRows({ items }) {
  const t = useT();
  const { lang } = useContext(LangContext);
  if (items.length === 0) return html`<p>${t('none')}</p>`;
  return html`<ul class="cards">
    ${items.map(
      (l) =>
        html`<li class="card lead-row">
          <a href=${`#/leads/${l.id}`}>
            <strong>${l.demandTitle ?? t('notVisible')}</strong>
            <span aria-hidden="true"> → </span>
            <span class="sr-only">${t('partner')}:</span> ${l.partnerTitle ?? t('notVisible')}
          </a>
          <div class="meta">
            <${StateBadge} state=${l.state} />
            <span class="tag">${t('score')} ${l.score.toFixed(2)}</span>
            ${
              l.state === 'offered' &&
              l.dueAt &&
              html`<span class=${`tag${new Date(l.dueAt) < new Date() ? ' tag-late' : ''}`}>
                ${t('dueAt')} ${new Date(l.dueAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}
              </span>`
            }
          </div>
        </li>`,
    )}
  </ul>`;
}

/** A broker's leads: new, due soon, overdue. */
export function Inbox() {
  const t = useT();
  const [filter, setFilter] = useState('all');
  const pages = usePages(`/leads?limit=20&${FILTERS[filter]}`, []);
  return html`<section>
    <h1>${t('nav_inbox')}</h1>
    <div class="tabs" role="group">
      ${Object.keys(FILTERS).map(
        (f) =>
          html`<button aria-pressed=${filter === f} class=${filter === f ? 'active' : ''} onClick=${() => setFilter(f)}>
            ${t(`filter_${f}`)}
          </button>`,
      )}
    </div>
    <${Problem} error=${pages.error} />
    ${pages.items ? html`<${LeadRows} items=${pages.items} />` : !pages.error && html`<${Loading} />`}
    <${MoreButton} pages=${pages} />
  </section>`;
}

export function LeadList() {
  const t = useT();
  const pages = usePages('/leads?limit=20', []);
  return html`<section>
    <h1>${t('leads')}</h1>
    <${Problem} error=${pages.error} />
    ${pages.items ? html`<${LeadRows} items=${pages.items} />` : !pages.error && html`<${Loading} />`}
    <${MoreButton} pages=${pages} />
  </section>`;
}

export function LeadDetail({ id }) {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [lead, error, reload] = useLoad(() => api.get(`/leads/${id}`), [id]);
  const [pending, setPending] = useState(null); // 'declined' | 'contract_signed' while its form is open
  const [problem, setProblem] = useState(null);
  const [errors, setErrors] = useState({});

  const act = async (action, body = {}) => {
    setProblem(null);
    setErrors({});
    try {
      if (action === 'consent') await api.post(`/leads/${id}/consent`);
      else await api.post(`/leads/${id}/transitions`, { to: action, ...body });
      setPending(null);
      reload();
    } catch (err) {
      setErrors(err.fields ?? {});
      if (!err.fields || Object.keys(err.fields).length === 0) setProblem(err);
    }
  };

  if (error) return html`<${Problem} error=${error} />`;
  if (!lead) return html`<${Loading} />`;
  // A side the viewer may no longer see (withdrawn, made private) comes as null.
  const demand = lead.demand;
  const partner = lead.partner;
  const hidden = t('notVisible');
  return html`<section>
    <h1>
      ${demand?.title ?? hidden} <span aria-hidden="true">→</span> ${partner ? (partner.title ?? partner.name) : hidden}
    </h1>
    <p class="meta">
      <${StateBadge} state=${lead.state} />
      <span class="tag">${t('score')} ${lead.score.toFixed(2)}</span>
      ${lead.dueAt && lead.state === 'offered' && html`<span class="tag">${t('dueAt')} ${new Date(lead.dueAt).toLocaleString()}</span>`}
      <${CreditTag} credit=${lead.credit.broker} label=${t('broker')} />
    </p>
    <div class="grid-2">
      <article class="card">
        <h2>${t('demand')}</h2>
        ${
          demand
            ? html`${lead.demandForm === 'public' ? html`<p class="notice">${t('teaser')}</p>` : html`<p><span class="tag">${t('fullDemand')}</span></p>`}
                <p><strong>${demand.title}</strong> <${CreditTag} credit=${lead.credit.demandOrganisation} /></p>
                ${demand.description && html`<p class="text">${demand.description}</p>`}
                ${
                  (demand.budgetMin || demand.budgetMax) &&
                  html`<p>${t('budget')}: ${money(demand.budgetMin, lang)} – ${money(demand.budgetMax, lang)}</p>`
                }`
            : html`<p class="notice">${hidden}</p>`
        }
      </article>
      <article class="card">
        <h2>${t('partner')}</h2>
        ${
          partner
            ? html`<p>
                  <strong>${partner.title ?? partner.name}</strong>
                  <${CreditTag} credit=${lead.credit.partnerOrganisation} />
                </p>
                <p class="text">${partner.abstract ?? partner.expertise}</p>`
            : html`<p class="notice">${hidden}</p>`
        }
      </article>
    </div>
    <h2>${t('whyMatch')}</h2>
    <${Explanation} explanation=${lead.match.explanation} />
    ${
      lead.assignment &&
      html`<h2>${t('whyYou')}</h2>
        <${Explanation} explanation=${lead.assignment.explanation} />`
    }
    ${
      lead.subsidy &&
      html`<h2>${t('subsidy')}: ${money(lead.subsidy.total, lang)}</h2>
        ${lead.subsidy.items.map((i) => html`<${Explanation} explanation=${{ zh: i.evidence.map((e) => e.zh).join('；'), en: i.evidence.map((e) => e.en).join('; ') }} />`)}
        <p class="hint">${lang === 'zh' ? lead.subsidy.caveat.zh : lead.subsidy.caveat.en}</p>`
    }
    <div class="actions lead-actions">
      ${lead.actions.map((a) =>
        a === 'declined' || a === 'contract_signed'
          ? html`<button
              class=${a === 'contract_signed' ? 'primary' : 'danger'}
              aria-expanded=${pending === a}
              onClick=${() => setPending(a)}
            >
              ${t(`act_${a}`)}
            </button>`
          : html`<button
              class=${a === 'accepted' || a === 'consent' || a === 'closed_won' ? 'primary' : ''}
              onClick=${() => act(a)}
            >
              ${t(`act_${a}`)}
            </button>`,
      )}
    </div>
    ${pending === 'declined' && html`<${DeclineForm} errors=${errors} onSubmit=${(body) => act('declined', body)} onCancel=${() => setPending(null)} />`}
    ${
      pending === 'contract_signed' &&
      html`<${ContractForm}
        errors=${errors}
        onSubmit=${(contract) => act('contract_signed', { contract })}
        onCancel=${() => setPending(null)}
      />`
    }
    <${Problem} error=${problem} />
    <h2>${t('events')}</h2>
    <ol class="timeline">
      ${lead.events.map(
        (e) =>
          html`<li>
            <time datetime=${e.at}>${new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</time>
            <${StateBadge} state=${e.toState} />
            ${e.data?.consent ? ` ${t('act_consent')}` : ''} ${e.data?.reason ? ` ${t(`reason_${e.data.reason}`)}` : ''}
          </li>`,
      )}
    </ol>
  </section>`;
}

function DeclineForm({ errors, onSubmit, onCancel }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  return html`<form
    class="card"
    novalidate
    onSubmit=${(e) => (e.preventDefault(), onSubmit({ reason: reason || undefined, ...(note ? { note } : {}) }))}
  >
    <${Field} name="reason" label=${t('reason')} required error=${errors.reason}>
      ${(attrs) =>
        html`<select ...${attrs} value=${reason} onChange=${(e) => setReason(e.target.value)}>
          <option value="">${t('choose')}</option>
          ${REASONS.map((r) => html`<option value=${r}>${t(`reason_${r}`)}</option>`)}
        </select>`}
    <//>
    <${Field} name="note" label=${t('note')} error=${errors.note}>
      ${(attrs) => html`<textarea ...${attrs} rows="2" maxlength="1000" value=${note} onInput=${(e) => setNote(e.target.value)} />`}
    <//>
    <div class="actions">
      <button class="danger" type="submit">${t('confirm')}</button>
      <button type="button" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}

function ContractForm({ errors, onSubmit, onCancel }) {
  const t = useT();
  const [c, setC] = useState({
    amount: '',
    paidAmount: '',
    transactionMode: 'negotiated',
    registrationNumber: '',
    settledOnExchange: true,
    challengeWinner: false,
  });
  const set = (k, v) => setC({ ...c, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    onSubmit({
      ...c,
      amount: c.amount === '' ? undefined : Number(c.amount),
      paidAmount: c.paidAmount === '' ? undefined : Number(c.paidAmount),
    });
  };
  const err = (k) => errors[`contract.${k}`];
  return html`<form class="card" novalidate onSubmit=${submit}>
    <${Field} name="amount" label=${t('amount')} required error=${err('amount')}>
      ${(a) => html`<input ...${a} type="number" min="0" step="0.01" value=${c.amount} onInput=${(e) => set('amount', e.target.value)} />`}
    <//>
    <${Field} name="paidAmount" label=${t('paidAmount')} error=${err('paidAmount')}>
      ${(a) => html`<input ...${a} type="number" min="0" step="0.01" value=${c.paidAmount} onInput=${(e) => set('paidAmount', e.target.value)} />`}
    <//>
    <${Field} name="transactionMode" label=${t('transactionMode')} required error=${err('transactionMode')}>
      ${(a) =>
        html`<select ...${a} value=${c.transactionMode} onChange=${(e) => set('transactionMode', e.target.value)}>
          ${['listing', 'auction', 'negotiated'].map((m) => html`<option value=${m}>${t(`mode_${m}`)}</option>`)}
        </select>`}
    <//>
    <${Field} name="registrationNumber" label=${t('registrationNumber')} required error=${err('registrationNumber')}>
      ${(a) => html`<input ...${a} type="text" value=${c.registrationNumber} onInput=${(e) => set('registrationNumber', e.target.value)} />`}
    <//>
    <label class="check"
      ><input
        type="checkbox"
        checked=${c.settledOnExchange}
        onChange=${(e) => set('settledOnExchange', e.target.checked)}
      />
      ${t('settledOnExchange')}</label
    >
    <label class="check"
      ><input
        type="checkbox"
        checked=${c.challengeWinner}
        onChange=${(e) => set('challengeWinner', e.target.checked)}
      />
      ${t('challengeWinner')}</label
    >
    <div class="actions">
      <button class="primary" type="submit">${t('confirm')}</button>
      <button type="button" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}
