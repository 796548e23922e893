// Challenges (揭榜挂帅): the open ones to browse, publishing one on a demand, answering one, and, for its owner and
// judges, the ranked proposals, their scores and the award. What each viewer may do comes from the API (`party`,
// `next`, `mayAnswer`); the page only shows it.
import { useContext, useState } from 'preact/hooks';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';
import {
  Explanation,
  Field,
  Loading,
  MoreButton,
  Problem,
  money,
  useLoad,
  usePages,
  useSession,
  useTaxonomy,
} from './components.js';

const KINDS = ['university', 'institute', 'enterprise', 'transfer_organisation', 'programme'];
const date = (iso, lang) => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');

/** Runs an API call, sorting its errors into fields (400) and a problem (anything else). */
function useSubmit() {
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (call) => {
    setErrors({});
    setProblem(null);
    setBusy(true);
    try {
      return await call();
    } catch (err) {
      setErrors(err.fields ?? {});
      if (!err.fields || Object.keys(err.fields).length === 0) setProblem(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { errors, problem, busy, run };
}

export function ChallengeBadge({ state }) {
  const t = useT();
  return html`<span class=${`badge badge-challenge-${state}`}>${t(`challenge_${state}`)}</span>`;
}

/** 揭榜: open challenges with filters, or the organisation's own in every state. */
export function ChallengeList() {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { me } = useSession();
  const taxonomy = useTaxonomy();
  const publishes = ['enterprise', 'programme', 'admin'].includes(me.role);
  const [mine, setMine] = useState(false);
  const [filters, setFilters] = useState({ regionCode: '', industryCode: '', prizeMin: '', deadlineBefore: '' });
  const query = new URLSearchParams({ limit: '20' });
  if (mine) query.set('mine', 'true');
  for (const [k, v] of Object.entries(filters))
    if (v) query.set(k, k === 'deadlineBefore' ? new Date(`${v}T23:59:59`).toISOString() : v);
  const pages = usePages(`/challenges?${query}`, []);
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.target.value });
  return html`<section>
    <h1>${t('nav_challenges')}</h1>
    ${publishes && html`<p class="actions"><a class="button primary" href="#/challenges/new">${t('newChallenge')}</a></p>`}
    ${
      publishes &&
      html`<div class="tabs" role="group">
        <button aria-pressed=${!mine} class=${!mine ? 'active' : ''} onClick=${() => setMine(false)}>
          ${t('openChallenges')}
        </button>
        <button aria-pressed=${mine} class=${mine ? 'active' : ''} onClick=${() => setMine(true)}>
          ${t('myChallenges')}
        </button>
      </div>`
    }
    <form class="search-form" onSubmit=${(e) => e.preventDefault()}>
      <${Field} name="regionCode" label=${t('regionCode')}>
        ${(a) =>
          html`<select ...${a} value=${filters.regionCode} onChange=${set('regionCode')}>
            <option value="">${t('any')}</option>
            ${taxonomy.regions.map((r) => html`<option value=${r.code}>${r.name}</option>`)}
          </select>`}
      <//>
      <${Field} name="industryCode" label=${t('industryCode')}>
        ${(a) =>
          html`<select ...${a} value=${filters.industryCode} onChange=${set('industryCode')}>
            <option value="">${t('any')}</option>
            ${taxonomy.divisions.map((d) => html`<option value=${d.code}>${d.code} ${d.name}</option>`)}
          </select>`}
      <//>
      <${Field} name="prizeMin" label=${t('prizeMin')}>
        ${(a) => html`<input ...${a} type="number" min="0" step="10000" value=${filters.prizeMin} onInput=${set('prizeMin')} />`}
      <//>
      <${Field} name="deadlineBefore" label=${t('deadlineBefore')}>
        ${(a) => html`<input ...${a} type="date" value=${filters.deadlineBefore} onInput=${set('deadlineBefore')} />`}
      <//>
    </form>
    <${Problem} error=${pages.error} />
    ${
      pages.items
        ? pages.items.length === 0
          ? html`<p>${t('none')}</p>`
          : html`<ul class="cards">
              ${pages.items.map(
                (c) =>
                  html`<li class="card">
                    <a href=${`#/challenges/${c.id}`}><strong>${c.title}</strong></a>
                    <div class="meta">
                      <${ChallengeBadge} state=${c.state} />
                      <span class="tag">${t('prize')} ${money(c.prizeAmount, lang)}</span>
                      <span class="tag">${t('deadline')} ${date(c.deadline, lang)}</span>
                    </div>
                  </li>`,
              )}
            </ul>`
        : !pages.error && html`<${Loading} />`
    }
    <${MoreButton} pages=${pages} />
  </section>`;
}

/** A draft on one of the organisation's demands (an operator picks any). */
export function ChallengeForm() {
  const t = useT();
  const { api } = useSession();
  const taxonomy = useTaxonomy();
  const [demands] = useLoad(() => api.get('/demands?limit=100'), []);
  const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const [form, setForm] = useState({
    demandId: '',
    title: '',
    statement: '',
    confidentialDetails: '',
    terms: '',
    prizeAmount: '',
    prizeFor: '',
    deadline: inAMonth,
    eligibleRegions: [],
    eligibleKinds: [],
    criteria: [{ name: '', description: '', weight: 1 }],
  });
  const { errors, problem, busy, run } = useSubmit();
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const setCriterion = (i, k, v) =>
    setForm({ ...form, criteria: form.criteria.map((c, j) => (j === i ? { ...c, [k]: v } : c)) });
  const submit = async (e) => {
    e.preventDefault();
    const made = await run(() =>
      api.post('/challenges', {
        ...form,
        confidentialDetails: form.confidentialDetails || null,
        prizeAmount: form.prizeAmount === '' ? undefined : Number(form.prizeAmount),
        deadline: form.deadline ? new Date(`${form.deadline}T23:59:59`).toISOString() : undefined,
        criteria: form.criteria.map((c) => ({ ...c, weight: Number(c.weight) })),
      }),
    );
    if (made) location.hash = `#/challenges/${made.id}`;
  };
  const text = (k, rows) =>
    html`<${Field}
      name=${k}
      label=${t(`ch_${k}`)}
      required=${k !== 'confidentialDetails'}
      error=${errors[k]}
      hint=${k === 'confidentialDetails' ? t('ch_confidentialHint') : undefined}
    >
      ${(a) =>
        rows
          ? html`<textarea ...${a} rows=${rows} value=${form[k]} onInput=${set(k)}></textarea>`
          : html`<input ...${a} type="text" value=${form[k]} onInput=${set(k)} />`}
    <//>`;
  return html`<section>
    <h1>${t('newChallenge')}</h1>
    <form onSubmit=${submit} class="card form" novalidate>
      <${Field} name="demandId" label=${t('demand')} required error=${errors.demandId}>
        ${(a) =>
          html`<select ...${a} value=${form.demandId} onChange=${set('demandId')}>
            <option value="">${t('choose')}</option>
            ${(demands?.items ?? []).map((d) => html`<option value=${d.id}>${d.title}</option>`)}
          </select>`}
      <//>
      ${text('title')} ${text('statement', 5)} ${text('confidentialDetails', 3)} ${text('terms', 3)}
      <${Field} name="prizeAmount" label=${t('ch_prizeAmount')} required error=${errors.prizeAmount}>
        ${(a) => html`<input ...${a} type="number" min="1" step="10000" value=${form.prizeAmount} onInput=${set('prizeAmount')} />`}
      <//>
      ${text('prizeFor')}
      <${Field} name="deadline" label=${t('ch_deadline')} required error=${errors.deadline}>
        ${(a) => html`<input ...${a} type="date" value=${form.deadline} onInput=${set('deadline')} />`}
      <//>
      <${Field}
        name="eligibleRegions"
        label=${t('ch_eligibleRegions')}
        hint=${t('ch_anywhere')}
        error=${errors.eligibleRegions}
      >
        ${(a) =>
          html`<select
            ...${a}
            multiple
            size="5"
            onChange=${(e) => setForm({ ...form, eligibleRegions: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            <option value="33">${t('zhejiang')}</option>
            ${taxonomy.regions.map((r) => html`<option value=${r.code}>${r.name}</option>`)}
          </select>`}
      <//>
      <fieldset class="field">
        <legend>${t('ch_eligibleKinds')}</legend>
        <div class="checks">
          ${KINDS.map(
            (k) =>
              html`<label class="check">
                <input
                  type="checkbox"
                  checked=${form.eligibleKinds.includes(k)}
                  onChange=${(e) =>
                    setForm({
                      ...form,
                      eligibleKinds: e.target.checked
                        ? [...form.eligibleKinds, k]
                        : form.eligibleKinds.filter((x) => x !== k),
                    })}
                />
                ${t(`kind_${k}`)}
              </label>`,
          )}
        </div>
        ${errors.eligibleKinds && html`<small class="error" role="alert">${errors.eligibleKinds}</small>`}
      </fieldset>
      <fieldset class="field">
        <legend>${t('ch_criteria')}</legend>
        ${form.criteria.map(
          (c, i) =>
            html`<div class="field-row">
              <${Field}
                name=${`criteria.${i}.name`}
                label=${t('ch_criterionName', { n: i + 1 })}
                required
                error=${errors[`criteria.${i}.name`]}
              >
                ${(a) => html`<input ...${a} type="text" value=${c.name} onInput=${(e) => setCriterion(i, 'name', e.target.value)} />`}
              <//>
              <${Field} name=${`criteria.${i}.weight`} label=${t('ch_weight')} error=${errors[`criteria.${i}.weight`]}>
                ${(a) => html`<input ...${a} type="number" min="0.1" step="0.1" value=${c.weight} onInput=${(e) => setCriterion(i, 'weight', e.target.value)} />`}
              <//>
            </div>`,
        )}
        ${errors.criteria && html`<small class="error" role="alert">${errors.criteria}</small>`}
        <button
          type="button"
          onClick=${() => setForm({ ...form, criteria: [...form.criteria, { name: '', description: '', weight: 1 }] })}
        >
          ${t('ch_addCriterion')}
        </button>
      </fieldset>
      <${Problem} error=${problem} />
      <div class="actions"><button class="primary" type="submit" disabled=${busy}>${t('ch_saveDraft')}</button></div>
    </form>
  </section>`;
}

/** The owner's and operators' moves: open, extend the deadline, cancel or close without award (with a reason). */
function OwnerActions({ challenge, reload }) {
  const t = useT();
  const { api } = useSession();
  const { errors, problem, busy, run } = useSubmit();
  const [reason, setReason] = useState('');
  const [deadline, setDeadline] = useState('');
  const move = async (to) => {
    if (
      (await run(() => api.post(`/challenges/${challenge.id}/transitions`, { to, reason: reason || undefined }))) !==
      undefined
    )
      reload();
  };
  const extend = async (e) => {
    e.preventDefault();
    const iso = deadline ? new Date(`${deadline}T23:59:59`).toISOString() : undefined;
    if ((await run(() => api.patch(`/challenges/${challenge.id}`, { deadline: iso }))) !== undefined) reload();
  };
  if (challenge.next.length === 0 && challenge.state !== 'open') return null;
  const needsReason = challenge.next.some((to) => to === 'cancelled' || to === 'closed');
  return html`<section class="card" aria-labelledby="owner-actions">
    <h2 id="owner-actions">${t('ch_manage')}</h2>
    ${
      needsReason &&
      html`<${Field} name="reason" label=${t('ch_reason')} hint=${t('ch_reasonHint')} error=${errors.reason}>
        ${(a) => html`<input ...${a} type="text" value=${reason} onInput=${(e) => setReason(e.target.value)} />`}
      <//>`
    }
    <div class="actions">
      ${challenge.next.map(
        (to) =>
          html`<button class=${to === 'open' ? 'primary' : ''} disabled=${busy} onClick=${() => move(to)}>
            ${t(`ch_to_${to}`)}
          </button>`,
      )}
    </div>
    ${
      challenge.state === 'open' &&
      (challenge.party === 'owner' || challenge.party === 'admin') &&
      html`<form onSubmit=${extend} class="inline-form" novalidate>
        <${Field} name="deadline" label=${t('ch_newDeadline')} error=${errors.deadline}>
          ${(a) => html`<input ...${a} type="date" value=${deadline} onInput=${(e) => setDeadline(e.target.value)} />`}
        <//>
        <button type="submit" disabled=${busy}>${t('ch_extend')}</button>
      </form>`
    }
    <${Problem} error=${problem} />
  </section>`;
}

/** A solver's side: register accepting the terms, then one proposal, edited until the deadline. */
function Answer({ challenge, reload }) {
  const t = useT();
  const { api } = useSession();
  const [mine, , reloadMine] = useLoad(() => api.get(`/challenges/${challenge.id}/proposals/mine`), [challenge.id]);
  const [achievements] = useLoad(() => api.get('/achievements?limit=100'), []);
  const [accepted, setAccepted] = useState(false);
  const [form, setForm] = useState(null);
  const { errors, problem, busy, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const registered = challenge.party === 'registered';
  const current = form ?? {
    summary: mine?.summary ?? '',
    approach: mine?.approach ?? '',
    team: mine?.team ?? '',
    price: mine?.price ?? '',
    timeline: mine?.timeline ?? '',
    achievementIds: mine?.achievementIds ?? [],
  };
  const set = (k) => (e) => setForm({ ...current, [k]: e.target.value });
  const register = async () => {
    if (
      (await run(() => api.post(`/challenges/${challenge.id}/registrations`, { acceptTerms: accepted }))) !== undefined
    )
      reload();
  };
  const submit = async (e) => {
    e.preventDefault();
    setSaved(false);
    const body = { ...current, price: current.price === '' ? null : Number(current.price) };
    const done = await run(() =>
      mine ? api.put(`/proposals/${mine.id}`, body) : api.post(`/challenges/${challenge.id}/proposals`, body),
    );
    if (done) {
      setSaved(true);
      setForm(null);
      reloadMine();
    }
  };
  if (mine === undefined) return html`<${Loading} />`;
  if (!registered && !mine)
    return html`<section class="card" aria-labelledby="register">
      <h2 id="register">${t('ch_register')}</h2>
      <p class="text">${challenge.terms}</p>
      <label class="check">
        <input type="checkbox" checked=${accepted} onChange=${(e) => setAccepted(e.target.checked)} />
        ${t('ch_acceptTerms')}
      </label>
      <${Problem} error=${problem} />
      <div class="actions">
        <button class="primary" disabled=${!accepted || busy} onClick=${register}>${t('ch_register')}</button>
      </div>
    </section>`;
  const text = (k, rows) =>
    html`<${Field} name=${k} label=${t(`pr_${k}`)} required error=${errors[k]}>
      ${(a) =>
        rows
          ? html`<textarea ...${a} rows=${rows} value=${current[k]} onInput=${set(k)}></textarea>`
          : html`<input ...${a} type="text" value=${current[k]} onInput=${set(k)} />`}
    <//>`;
  return html`<section class="card" aria-labelledby="proposal">
    <h2 id="proposal">${mine ? t('pr_mine') : t('pr_new')}</h2>
    ${mine?.outcome && html`<p class="notice">${t(`pr_outcome_${mine.outcome}`)}${mine.outcomeReason ? `：${mine.outcomeReason}` : ''}</p>`}
    <form onSubmit=${submit} novalidate>
      ${text('summary')} ${text('approach', 5)} ${text('team', 2)}
      <${Field} name="price" label=${t('pr_price')} error=${errors.price}>
        ${(a) => html`<input ...${a} type="number" min="0" step="10000" value=${current.price} onInput=${set('price')} />`}
      <//>
      ${text('timeline')}
      <${Field} name="achievementIds" label=${t('pr_achievements')} error=${errors.achievementIds}>
        ${(a) =>
          html`<select
            ...${a}
            multiple
            size="4"
            onChange=${(e) => setForm({ ...current, achievementIds: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            ${(achievements?.items ?? []).map(
              (x) => html`<option value=${x.id} selected=${current.achievementIds.includes(x.id)}>${x.title}</option>`,
            )}
          </select>`}
      <//>
      <${Problem} error=${problem} />
      ${saved && html`<p class="notice" role="status">${t('saved')}</p>`}
      ${challenge.state === 'open' && html`<div class="actions"><button class="primary" type="submit" disabled=${busy}>${mine ? t('save') : t('pr_submit')}</button></div>`}
    </form>
  </section>`;
}

/** One judge's scores of one proposal, 0-10 per criterion. */
function ScoreForm({ challenge, proposal, onSaved }) {
  const t = useT();
  const { api } = useSession();
  const [scores, setScores] = useState({});
  const { errors, problem, busy, run } = useSubmit();
  const submit = async (e) => {
    e.preventDefault();
    const given = Object.fromEntries(
      Object.entries(scores)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => [k, Number(v)]),
    );
    if ((await run(() => api.put(`/proposals/${proposal.id}/scores`, { scores: given }))) !== undefined) onSaved();
  };
  return html`<form onSubmit=${submit} class="inline-form" novalidate aria-label=${t('pr_scoreIt')}>
    ${challenge.criteria.map(
      (c) =>
        html`<${Field} name=${`score-${c.name}`} label=${`${c.name} (0–10)`} error=${errors.scores}>
          ${(a) =>
            html`<input
              ...${a}
              type="number"
              min="0"
              max="10"
              step="1"
              value=${scores[c.name] ?? ''}
              onInput=${(e) => setScores({ ...scores, [c.name]: e.target.value })}
            />`}
        <//>`,
    )}
    <button type="submit" disabled=${busy}>${t('pr_saveScores')}</button>
    <${Problem} error=${problem} />
  </form>`;
}

/** The owner's, judges' and operators' view: proposals ranked, scored, and (in review) the award. */
function Proposals({ challenge, reload }) {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [ranked, error, reloadRanked] = useLoad(
    () => api.get(`/challenges/${challenge.id}/proposals`),
    [challenge.id, challenge.state],
  );
  const [award, setAward] = useState({ proposalId: '', reason: '' });
  const { errors, problem, busy, run } = useSubmit();
  const mayScore = challenge.party === 'judge' || challenge.party === 'owner' || challenge.party === 'admin';
  const mayAward = (challenge.party === 'owner' || challenge.party === 'admin') && challenge.state === 'reviewing';
  const submitAward = async (e) => {
    e.preventDefault();
    const p = ranked.find((x) => x.id === award.proposalId);
    const partner = p && (p.achievementIds[0] ? ['achievement', p.achievementIds[0]] : ['expert', p.expertIds[0]]);
    const body = {
      proposalId: award.proposalId || undefined,
      partnerKind: partner?.[0],
      partnerId: partner?.[1],
      reason: award.reason,
    };
    if ((await run(() => api.post(`/challenges/${challenge.id}/award`, body))) !== undefined) reload();
  };
  if (error) return html`<${Problem} error=${error} />`;
  if (!ranked) return html`<${Loading} />`;
  return html`<section aria-labelledby="ranked">
    <h2 id="ranked">${t('pr_ranked')} (${ranked.length})</h2>
    ${ranked.length === 0 && html`<p>${t('none')}</p>`}
    <ol class="cards">
      ${ranked.map(
        (p) =>
          html`<li class="card proposal">
            <div class="match-head">
              <strong>${p.rank}. ${p.summary}</strong>
              <span class="score">${t('pr_fit')} ${p.fit === null ? '…' : p.fit.toFixed(2)}</span>
              <span class="score"
                >${t('pr_judges')} ${p.judgeTotal === null ? '—' : `${p.judgeTotal.toFixed(1)} (${p.judges})`}</span
              >
            </div>
            <p class="text">${p.approach}</p>
            <p class="meta">${t('pr_price')}: ${money(p.price, lang)} · ${p.timeline}</p>
            ${p.outcome && html`<p class="notice">${t(`pr_outcome_${p.outcome}`)}</p>`}
            <ul class="why">
              ${p.fitParts.map((f) => html`<li>${lang === 'zh' ? f.why.zh : f.why.en}</li>`)}
            </ul>
            ${mayScore && !challenge.awardedProposalId && html`<${ScoreForm} challenge=${challenge} proposal=${p} onSaved=${reloadRanked} />`}
          </li>`,
      )}
    </ol>
    ${
      mayAward &&
      ranked.length > 0 &&
      html`<form onSubmit=${submitAward} class="card" novalidate aria-labelledby="award">
        <h2 id="award">${t('ch_award')}</h2>
        <${Field} name="proposalId" label=${t('ch_winner')} required error=${errors.proposalId}>
          ${(a) =>
            html`<select
              ...${a}
              value=${award.proposalId}
              onChange=${(e) => setAward({ ...award, proposalId: e.target.value })}
            >
              <option value="">${t('choose')}</option>
              ${ranked.map((p) => html`<option value=${p.id}>${p.rank}. ${p.summary}</option>`)}
            </select>`}
        <//>
        <${Field}
          name="reason"
          label=${t('ch_awardReason')}
          hint=${t('ch_awardReasonHint')}
          required
          error=${errors.reason}
        >
          ${(a) => html`<input ...${a} type="text" value=${award.reason} onInput=${(e) => setAward({ ...award, reason: e.target.value })} />`}
        <//>
        <${Problem} error=${problem} />
        <div class="actions"><button class="primary" type="submit" disabled=${busy}>${t('ch_award')}</button></div>
      </form>`
    }
  </section>`;
}

export function ChallengeDetail({ id }) {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [challenge, error, reload] = useLoad(() => api.get(`/challenges/${id}`), [id]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!challenge) return html`<${Loading} />`;
  const c = challenge;
  const insider = c.party === 'owner' || c.party === 'judge' || c.party === 'admin';
  return html`<section>
    <h1>${c.title}</h1>
    <p class="meta">
      <${ChallengeBadge} state=${c.state} />
      <span class="tag">${t('prize')} ${money(c.prizeAmount, lang)}</span>
      <span class="tag">${t('deadline')} ${date(c.deadline, lang)}</span>
    </p>
    ${c.stateReason && html`<p class="notice">${t('ch_reason')}: ${c.stateReason}</p>`}
    ${c.leadId && html`<p><a href=${`#/leads/${c.leadId}`}>${t('ch_lead')}</a></p>`}
    <div class="grid-2">
      <article class="card">
        <h2>${t('ch_statement')}</h2>
        <p class="text">${c.statement}</p>
        <p><strong>${t('ch_prizeFor')}</strong>: ${c.prizeFor}</p>
        ${
          c.confidentialDetails &&
          html`<h3>${t('ch_confidentialDetails')} <span class="tag tag-secret">${t('confidential')}</span></h3>
            <p class="text">${c.confidentialDetails}</p>`
        }
      </article>
      <article class="card">
        <h2>${t('ch_criteria')}</h2>
        <ul>
          ${c.criteria.map((x) => html`<li>${x.name} × ${x.weight}</li>`)}
        </ul>
        <h3>${t('ch_eligibility')}</h3>
        <p>
          ${c.eligibleRegions.length ? c.eligibleRegions.join(', ') : t('ch_anywhere')} ·
          ${c.eligibleKinds.length ? c.eligibleKinds.map((k) => t(`kind_${k}`)).join('、') : t('ch_anyKind')}
        </p>
      </article>
    </div>
    <${OwnerActions} challenge=${c} reload=${reload} />
    ${(c.mayAnswer || c.party === 'registered') && html`<${Answer} challenge=${c} reload=${reload} />`}
    ${insider && c.state !== 'draft' && html`<${Proposals} challenge=${c} reload=${reload} />`}
  </section>`;
}

/** An organisation's invitations to answer challenges, with why it was chosen; declined with a reason. */
export function Invitations() {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [items, error, reload] = useLoad(() => api.get('/challenge-invitations'), []);
  const [declining, setDeclining] = useState(null);
  const [reason, setReason] = useState('');
  const { errors, problem, busy, run } = useSubmit();
  const decline = async (e) => {
    e.preventDefault();
    if ((await run(() => api.post(`/challenge-invitations/${declining}/decline`, { reason }))) !== undefined) {
      setDeclining(null);
      setReason('');
      reload();
    }
  };
  if (error) return html`<${Problem} error=${error} />`;
  if (!items) return html`<${Loading} />`;
  return html`<section>
    <h1>${t('nav_invitations')}</h1>
    ${items.length === 0 && html`<p>${t('none')}</p>`}
    <ul class="cards">
      ${items.map(
        (i) =>
          html`<li class="card">
            <a href=${`#/challenges/${i.challengeId}`}><strong>${i.challengeTitle}</strong></a>
            <div class="meta">
              <span class="tag">${t('prize')} ${money(i.prizeAmount, lang)}</span>
              <span class="tag">${t('deadline')} ${date(i.deadline, lang)}</span>
              <span class="tag">${t('score')} ${i.score.toFixed(2)}</span>
              ${i.declinedAt && html`<span class="tag">${t('inv_declined')}: ${i.declineReason}</span>`}
            </div>
            <${Explanation} explanation=${i.explanation} />
            ${
              !i.declinedAt &&
              (declining === i.id
                ? html`<form onSubmit=${decline} class="inline-form" novalidate>
                    <${Field} name="reason" label=${t('inv_reason')} required error=${errors.reason}>
                      ${(a) => html`<input ...${a} type="text" value=${reason} onInput=${(e) => setReason(e.target.value)} />`}
                    <//>
                    <button type="submit" disabled=${busy}>${t('inv_decline')}</button>
                    <button type="button" onClick=${() => setDeclining(null)}>${t('cancel')}</button>
                    <${Problem} error=${problem} />
                  </form>`
                : html`<div class="actions">
                    <button onClick=${() => setDeclining(i.id)}>${t('inv_decline')}</button>
                  </div>`)
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

/** Operators: the funnel of the challenges opened this year. */
export function ChallengeFunnel() {
  const t = useT();
  const { lang } = useContext(LangContext);
  const { api } = useSession();
  const [funnel, error] = useLoad(() => api.get('/reports/challenges'), []);
  if (error) return html`<${Problem} error=${error} />`;
  if (!funnel) return html`<${Loading} />`;
  const rows = [
    'published',
    'open',
    'reviewing',
    'awarded',
    'closedWithoutAward',
    'cancelled',
    'invitationsSent',
    'invitationsDeclined',
    'invitationsAnswered',
    'proposals',
    'proposalsUninvited',
    'contracts',
  ];
  return html`<section aria-labelledby="challenge-funnel">
    <h2 id="challenge-funnel">${t('funnel_challenges')}</h2>
    <table class="plain">
      <caption class="sr-only">
        ${t('funnel_challenges')} ${funnel.from} – ${funnel.to}
      </caption>
      <tbody>
        ${rows.map(
          (k) =>
            html`<tr>
              <th scope="row">${t(`cf_${k}`)}</th>
              <td>${funnel[k]}</td>
            </tr>`,
        )}
        <tr>
          <th scope="row">${t('cf_prizeAwarded')}</th>
          <td>${money(funnel.prizeAwarded, lang)}</td>
        </tr>
        <tr>
          <th scope="row">${t('cf_contractAmount')}</th>
          <td>${money(funnel.contractAmount, lang)}</td>
        </tr>
      </tbody>
    </table>
  </section>`;
}
