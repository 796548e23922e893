// The web app: sign in with an API key, then the pages of that key's role. Hash routes, no build step.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createApi } from './api.js';
import { Loading, SessionContext } from './components.js';
import { html } from './html.js';
import { LangContext, translate } from './i18n.js';
import { ChallengeDetail, ChallengeForm, ChallengeList, Invitations } from './challenges.js';
import { Inbox, LeadDetail, LeadList } from './leads.js';
import { CreditPage, PerformancePage } from './credit.js';
import { OperatorPage } from './operator.js';
import { ImportPage, ProfileDetail, ProfileForm, ProfileList } from './profiles.js';
import { PartnerSearch } from './programme.js';

/** The pages each role sees in its navigation; the API refuses anything else anyway. */
const NAV = {
  enterprise: [
    ['#/demands', 'nav_demands'],
    ['#/leads', 'nav_leads'],
    ['#/challenges', 'nav_challenges'],
    ['#/invitations', 'nav_invitations'],
    ['#/credit', 'nav_credit'],
    ['#/report', 'nav_report'],
  ],
  institution: [
    ['#/achievements', 'nav_achievements'],
    ['#/leads', 'nav_leads'],
    ['#/challenges', 'nav_challenges'],
    ['#/invitations', 'nav_invitations'],
    ['#/credit', 'nav_credit'],
    ['#/report', 'nav_report'],
  ],
  broker: [
    ['#/inbox', 'nav_inbox'],
    ['#/credit', 'nav_credit'],
    ['#/report', 'nav_report'],
  ],
  programme: [
    ['#/partners', 'nav_partners'],
    ['#/demands', 'nav_demands'],
    ['#/challenges', 'nav_challenges'],
    ['#/invitations', 'nav_invitations'],
    ['#/credit', 'nav_credit'],
    ['#/report', 'nav_report'],
  ],
  admin: [
    ['#/operator', 'nav_operator'],
    ['#/leads', 'nav_leads'],
    ['#/challenges', 'nav_challenges'],
    ['#/report', 'nav_report'],
  ],
};

/** The first path segment of the pages each role may open; anything else leads back to the role's home page. */
const PAGES = {
  enterprise: ['demands', 'leads', 'challenges', 'invitations', 'credit', 'report'],
  institution: ['achievements', 'leads', 'challenges', 'invitations', 'credit', 'report'],
  broker: ['inbox', 'leads', 'credit', 'report'],
  programme: ['partners', 'demands', 'challenges', 'invitations', 'credit', 'report'],
  admin: ['operator', 'leads', 'demands', 'achievements', 'challenges', 'report'],
};

function route(hash, role) {
  const [, first, second, third] = hash.replace(/^#/, '').split('/');
  if (!PAGES[role].includes(first)) {
    location.replace(NAV[role][0][0]);
    return null;
  }
  const kind = { demands: 'demand', achievements: 'achievement' }[first];
  if (kind && second === 'new') return html`<${ProfileForm} kind=${kind} />`;
  if (first === 'achievements' && second === 'import') return html`<${ImportPage} />`;
  if (kind && second && third === 'edit') return html`<${ProfileForm} kind=${kind} id=${second} />`;
  if (kind && second) return html`<${ProfileDetail} kind=${kind} id=${second} />`;
  if (kind) return html`<${ProfileList} kind=${kind} />`;
  if (first === 'leads' && second) return html`<${LeadDetail} id=${second} />`;
  if (first === 'leads') return html`<${LeadList} />`;
  if (first === 'inbox') return html`<${Inbox} />`;
  if (first === 'partners') return html`<${PartnerSearch} />`;
  if (first === 'challenges' && second === 'new') return html`<${ChallengeForm} />`;
  if (first === 'challenges' && second) return html`<${ChallengeDetail} id=${second} />`;
  if (first === 'challenges') return html`<${ChallengeList} />`;
  if (first === 'invitations') return html`<${Invitations} />`;
  if (first === 'operator') return html`<${OperatorPage} />`;
  if (first === 'credit') return html`<${CreditPage} />`;
  if (first === 'report') return html`<${PerformancePage} />`;
  location.replace(NAV[role][0][0]);
  return null;
}

function SignIn({ onSignedIn, t }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await createApi(key.trim()).get('/me');
      onSignedIn(key.trim(), me);
    } catch {
      setError(t('badKey'));
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="signin">
    <h1>${t('appName')}</h1>
    <form onSubmit=${submit} class="card">
      <div class=${`field${error ? ' has-error' : ''}`}>
        <label for="api-key">${t('apiKey')}</label>
        <input
          id="api-key"
          type="password"
          autocomplete="current-password"
          required
          value=${key}
          aria-invalid=${error ? 'true' : undefined}
          aria-describedby="api-key-hint${error ? ' api-key-error' : ''}"
          onInput=${(e) => setKey(e.target.value)}
        />
        <small id="api-key-hint" class="hint">${t('apiKeyHint')}</small>
        ${error && html`<small id="api-key-error" class="error" role="alert">${error}</small>`}
      </div>
      <button class="primary" type="submit" disabled=${busy || !key}>${t('signIn')}</button>
    </form>
  </main>`;
}

function App() {
  const [lang, setLang] = useState(() => localStorage.getItem('lang') ?? 'zh');
  const [session, setSession] = useState(null);
  const [restoring, setRestoring] = useState(true);
  const [hash, setHash] = useState(location.hash);
  const t = (key, vars) => translate(lang, key, vars);

  useEffect(() => {
    const onHash = () => setHash(location.hash);
    addEventListener('hashchange', onHash);
    // The key lives for this tab only (sessionStorage), never in a cookie or the URL.
    const key = sessionStorage.getItem('apiKey');
    if (key)
      createApi(key)
        .get('/me')
        .then((me) => setSession({ api: createApi(key), me }))
        .catch(() => sessionStorage.removeItem('apiKey'))
        .finally(() => setRestoring(false));
    else setRestoring(false);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    localStorage.setItem('lang', lang);
  }, [lang]);
  // After a page change, focus its heading so screen readers announce it.
  useEffect(() => {
    setTimeout(() => {
      const heading = document.querySelector('main h1');
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }, 50);
  }, [hash]);

  const toggle = html`<button
    class="link"
    onClick=${() => setLang(lang === 'zh' ? 'en' : 'zh')}
    lang=${lang === 'zh' ? 'en' : 'zh'}
  >
    ${t('language')}
  </button>`;
  if (restoring) return html`<${Loading} />`;
  return html`<${LangContext.Provider} value=${{ lang, setLang }}>
    ${
      !session
        ? html`<div class="topbar">${toggle}</div>
            <${SignIn}
              t=${t}
              onSignedIn=${(key, me) => {
                sessionStorage.setItem('apiKey', key);
                setSession({ api: createApi(key), me });
                location.hash = NAV[me.role][0][0];
              }}
            />`
        : html`<${SessionContext.Provider} value=${session}>
            <header class="topbar">
              <a class="brand" href=${NAV[session.me.role][0][0]}>${t('appName')}</a>
              <span class="who">
                ${t(`role_${session.me.role}`)}${session.me.organisation ? ` · ${session.me.organisation.name}` : ''}${
                  session.me.broker ? ` · ${session.me.broker.name}` : ''
                }
              </span>
              ${toggle}
              <button
                class="link"
                onClick=${() => {
                  sessionStorage.removeItem('apiKey');
                  setSession(null);
                }}
              >
                ${t('signOut')}
              </button>
            </header>
            <nav aria-label="main">
              ${NAV[session.me.role].map(
                ([href, label]) =>
                  html`<a href=${href} aria-current=${hash.startsWith(href) ? 'page' : undefined}>${t(label)}</a>`,
              )}
            </nav>
            <main tabindex="-1">${route(hash, session.me.role)}</main>
          <//>`
    }
  <//>`;
}

render(html`<${App} />`, document.getElementById('app'));
