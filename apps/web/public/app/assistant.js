// The demand assistant beside the demand form: suggestions as the enterprise types, each taken with one click.
// It asks POST /v1/demands/assist once the typing pauses, cancels a request a newer draft replaces, gives up on a
// slow one, and never stands in the form's way: when it is down the panel says so and the form works as before.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { useT } from './i18n.js';
import { Explanation, useSession } from './components.js';

/** A pause in typing this long asks the assistant. */
const DEBOUNCE_MS = 700;
/** An answer slower than this is given up (the form goes on without it). */
const TIMEOUT_MS = 8000;

/** The draft the assistant reads, from the form's values; null while there is no title. */
function draftOf(values) {
  const title = values.title.trim();
  if (!title) return null;
  const draft = { title };
  if (values.description.trim()) draft.description = values.description;
  if (values.regionCode) draft.regionCode = values.regionCode;
  if (values.industryCode) draft.industryCode = values.industryCode;
  for (const name of ['budgetMin', 'budgetMax']) {
    const n = Number(values[name]);
    if (values[name] !== '' && Number.isFinite(n) && n >= 0) draft[name] = n;
  }
  if (draft.budgetMin !== undefined && draft.budgetMax !== undefined && draft.budgetMax < draft.budgetMin)
    delete draft.budgetMax;
  return draft;
}

function useAssistance(values) {
  const { api } = useSession();
  const [state, setState] = useState({ status: 'idle', answer: null });
  const draft = draftOf(values);
  const key = JSON.stringify(draft);
  const current = useRef(null);
  useEffect(() => {
    if (!draft) {
      setState({ status: 'idle', answer: null });
      return undefined;
    }
    const controller = new AbortController();
    let timeout;
    const timer = setTimeout(() => {
      current.current?.abort();
      current.current = controller;
      setState((s) => ({ ...s, status: 'working' }));
      timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
      api
        .post('/demands/assist', draft, controller.signal)
        .then((answer) => setState({ status: 'ready', answer }))
        .catch(() => {
          // Aborted by a newer draft: that one answers. Anything else: the assistant is down or slow.
          if (current.current === controller) setState((s) => ({ ...s, status: 'down' }));
        })
        .finally(() => clearTimeout(timeout));
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      if (current.current === controller) {
        current.current = null;
        controller.abort();
      }
    };
  }, [key]);
  return state;
}

/**
 * `values` are the demand form's; `take(name, value)` applies a suggestion: the industry code and readiness replace,
 * a keyword or a cooperation mode is added.
 */
export function DemandAssistant({ values, take }) {
  const t = useT();
  const { status, answer } = useAssistance(values);
  const keywords = values.keywords
    .split(/[,，、;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const use = (taken, onClick, label) =>
    html`<button type="button" class="small" disabled=${taken} aria-pressed=${taken} onClick=${onClick}>
      ${taken ? t('as_used') : t('as_use')}<span class="sr-only"> ${label}</span>
    </button>`;
  return html`<aside class="assistant" aria-labelledby="assistant-title">
    <h2 id="assistant-title">${t('assistant')}</h2>
    <p class="hint">${t('assistantHint')}</p>
    <p class="assistant-status" role="status" aria-live="polite">
      ${status === 'idle' && !answer && t('assistantEmpty')} ${status === 'working' && t('assistantWorking')}
      ${status === 'down' && t('assistantDown')}
    </p>
    ${
      answer &&
      html`<div class=${status === 'working' ? 'assistant-body stale' : 'assistant-body'}>
        <h3>${t('as_industry')}</h3>
        <p class="hint">${t(`as_decided_${answer.industry.decidedBy}`)}</p>
        <ul class="suggestions">
          ${answer.industry.suggestions.map(
            (s) =>
              html`<li>
                <span>${s.code} ${s.name}</span>
                <span class="tag">${t('as_confidence', { n: Math.round(s.confidence * 100) })}</span>
                ${use(values.industryCode === s.code, () => take('industryCode', s.code), `${s.code} ${s.name}`)}
                ${s.basis.length > 0 && html`<div class="basis">${s.basis.map((b) => b.title).join('；')}</div>`}
              </li>`,
          )}
        </ul>
        ${
          answer.keywords.length > 0 &&
          html`<h3>${t('as_keywords')}</h3>
            <ul class="suggestions">
              ${answer.keywords.map(
                (k) =>
                  html`<li>
                    <span>${k.keyword}</span>
                    ${k.sharedWith > 0 && html`<span class="tag">${t('as_shared', { n: k.sharedWith })}</span>`}
                    ${use(keywords.includes(k.keyword), () => take('keywords', k.keyword), k.keyword)}
                  </li>`,
              )}
            </ul>`
        }
        ${
          answer.minReadinessLevel &&
          html`<h3>${t('as_readiness')}</h3>
            <ul class="suggestions">
              <li>
                <span>TRL ${answer.minReadinessLevel.value}</span>
                ${use(
                  String(values.minReadinessLevel) === String(answer.minReadinessLevel.value),
                  () => take('minReadinessLevel', String(answer.minReadinessLevel.value)),
                  `TRL ${answer.minReadinessLevel.value}`,
                )}
              </li>
            </ul>`
        }
        ${
          answer.cooperationModes.length > 0 &&
          html`<h3>${t('as_cooperation')}</h3>
            <ul class="suggestions">
              ${answer.cooperationModes.map(
                (m) =>
                  html`<li>
                    <span>${t(`coop_${m.mode}`)}</span>
                    ${use(
                      values.cooperationModes.includes(m.mode),
                      () => take('cooperationModes', m.mode),
                      t(`coop_${m.mode}`),
                    )}
                  </li>`,
              )}
            </ul>`
        }
        ${
          answer.possibleDuplicates.length > 0 &&
          html`<h3>${t('as_duplicates')}</h3>
            <ul class="suggestions">
              ${answer.possibleDuplicates.map(
                (d) =>
                  html`<li>
                    <span>${d.title}</span>
                    <span class="tag">${t('as_similarity', { n: d.similarity.toFixed(2) })}</span>
                  </li>`,
              )}
            </ul>`
        }
        ${
          answer.preview.length > 0 &&
          html`<h3>${t('as_preview')}</h3>
            <ol class="preview">
              ${answer.preview.map(
                (m) =>
                  html`<li>
                    <strong>${m.title}</strong>
                    <${Explanation} explanation=${m.explanation} />
                  </li>`,
              )}
            </ol>`
        }
      </div>`
    }
  </aside>`;
}
