// Small building blocks shared by the pages: fields with their errors, state badges, bars, data loading.
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { createContext } from 'preact';
import { html } from './html.js';
import { LangContext, useT } from './i18n.js';

/** The signed-in session: the API client and who the key stands for. */
export const SessionContext = createContext(null);
export const useSession = () => useContext(SessionContext);

/** Loads with the API, again when `deps` change; returns [data, error, reload]. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const run = useCallback(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: undefined }),
      (error) => live && setState({ data: undefined, error }),
    );
    return () => (live = false);
  }, deps);
  useEffect(run, [run]);
  return [state.data, state.error, run];
}

/**
 * A cursor-paged list: the first page, then more on request. Returns {items, error, more, loading}; `more` is null
 * when there is nothing left.
 */
export function usePages(path, deps) {
  const { api } = useSession();
  const [state, setState] = useState({ items: undefined, cursor: null, error: undefined, loading: true });
  const fetchPage = useCallback(
    (cursor, previous) => {
      const separator = path.includes('?') ? '&' : '?';
      setState((s) => ({ ...s, loading: true }));
      api.get(`${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`).then(
        (page) =>
          setState({ items: [...previous, ...page.items], cursor: page.nextCursor, error: undefined, loading: false }),
        (error) => setState((s) => ({ ...s, error, loading: false })),
      );
    },
    [path, ...deps],
  );
  useEffect(() => fetchPage(null, []), [fetchPage]);
  return {
    items: state.items,
    error: state.error,
    loading: state.loading,
    more: state.cursor ? () => fetchPage(state.cursor, state.items) : null,
  };
}

/** "More" under a paged list; keeps keyboard focus in place. */
export function MoreButton({ pages }) {
  const t = useT();
  if (!pages.more) return null;
  return html`<div class="actions">
    <button onClick=${pages.more} disabled=${pages.loading} aria-busy=${pages.loading}>${t('more')}</button>
  </div>`;
}

let taxonomy;
/** Zhejiang regions and industry divisions, fetched once per page load. */
export function useTaxonomy() {
  const { api } = useSession();
  const [data] = useLoad(async () => {
    taxonomy ??= Promise.all([api.get('/taxonomy/regions?within=330000'), api.get('/taxonomy/industries')]);
    const [regions, sections] = await taxonomy;
    return { regions, divisions: sections.flatMap((s) => s.divisions) };
  }, []);
  return data ?? { regions: [], divisions: [] };
}

let fieldSeq = 0;
/**
 * A labelled input whose API error shows beside it (aria-invalid, aria-describedby). `children` renders the control
 * given its id and described-by id.
 */
export function Field({ name, label, error, hint, required, confidential, children }) {
  const t = useT();
  const [id] = useState(() => `f-${name}-${++fieldSeq}`);
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return html`<div class=${`field${error ? ' has-error' : ''}`} data-field=${name}>
    <label for=${id}>
      ${label}${required ? html` <span class="req" aria-hidden="true">*</span>` : ''}
      ${confidential ? html` <span class="tag tag-secret">${t('confidential')}</span>` : ''}
    </label>
    ${children({ id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy, required })}
    ${hint && html`<small id=${`${id}-hint`} class="hint">${hint}</small>`}
    ${error && html`<small id=${`${id}-error`} class="error" role="alert">${error}</small>`}
  </div>`;
}

/** An error that belongs to no field (403, 409, network). */
export function Problem({ error }) {
  if (!error) return null;
  const allowed = error.body?.allowed;
  return html`<p class="problem" role="alert">${error.message}${allowed ? ` (${allowed.join(', ')})` : ''}</p>`;
}

export function StateBadge({ state }) {
  const t = useT();
  return html`<span class=${`badge badge-${state}`}>${t(`state_${state}`)}</span>`;
}

export function Explanation({ explanation }) {
  const { lang } = useContext(LangContext);
  if (!explanation) return null;
  const text = lang === 'zh' ? explanation.zh : explanation.en;
  return html`<ul class="why">
    ${text.split(lang === 'zh' ? '；' : '; ').map((line) => html`<li>${line}</li>`)}
  </ul>`;
}

/** A party's credit record as others see it: the score, and its bad-faith reports when there are any. */
export function CreditTag({ credit, label }) {
  const t = useT();
  if (!credit) return null;
  const reports = credit.counts.bad_faith_report;
  const text = [
    label,
    `${t('creditScore')} ${credit.score}`,
    reports > 0 && `${t('credit_bad_faith_report')} ${reports}`,
  ].filter(Boolean);
  return html`<span class=${`tag${reports > 0 ? ' tag-warn' : ''}`} data-testid="credit-tag"
    >${text.join(' · ')}</span
  >`;
}

export function money(value, lang) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 }).format(value);
}

/**
 * Horizontal bars as a table: readable by screen readers (the numbers are the cells) and on a phone.
 * `series` is [{key, label}] and each row has those keys.
 */
export function BarChart({ rows, series, caption }) {
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => r[s.key])));
  return html`<table class="bars">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col"></th>
        ${series.map((s) => html`<th scope="col">${s.label}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${r.label ?? '—'}</th>
            ${series.map(
              (s, i) =>
                html`<td>
                  <span class=${`bar bar-${i}`} style=${`width:${(100 * r[s.key]) / max}%`}></span>
                  <span class="bar-value">${r[s.key]}</span>
                </td>`,
            )}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function Loading() {
  const t = useT();
  return html`<p class="loading" aria-busy="true">${t('loading')}</p>`;
}
