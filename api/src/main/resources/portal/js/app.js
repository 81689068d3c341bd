// The portal shell: sign-in, navigation (hash routes, so the static files need no server routing),
// and one page at a time. Pages get {params, onLeave} and render into #page.
import { get, session, ApiError } from './api.js';
import { h, field, input, button, banner, showFieldError, clearErrors } from './dom.js';
import { DEFAULT_SUBSCRIPTION } from './api.js';
import * as resourceGroups from './pages/resourceGroups.js';
import * as virtualNetworks from './pages/virtualNetworks.js';
import * as publicIps from './pages/publicIps.js';
import * as gateways from './pages/gateways.js';
import * as gatewayOverview from './pages/gatewayOverview.js';
import * as p2sConfig from './pages/p2sConfig.js';
import * as sessions from './pages/sessions.js';

const WHOAMI = '/providers/P2sgw/whoami';

/** Route table: pattern → page module. */
const routes = [
  [/^\/resourceGroups$/, resourceGroups, 'resourceGroups'],
  [/^\/virtualNetworks$/, virtualNetworks, 'virtualNetworks'],
  [/^\/virtualNetworks\/([^/]+)\/([^/]+)$/, virtualNetworks, 'virtualNetworks', 'edit'],
  [/^\/publicIPAddresses$/, publicIps, 'publicIPAddresses'],
  [/^\/virtualNetworkGateways$/, gateways, 'virtualNetworkGateways'],
  [/^\/virtualNetworkGateways\/([^/]+)\/([^/]+)(?:\/overview)?$/, gatewayOverview, 'virtualNetworkGateways'],
  [/^\/virtualNetworkGateways\/([^/]+)\/([^/]+)\/pointToSite$/, p2sConfig, 'virtualNetworkGateways'],
  [/^\/virtualNetworkGateways\/([^/]+)\/([^/]+)\/sessions$/, sessions, 'virtualNetworkGateways'],
];

let leaveHooks = [];

/**
 * Unsaved edits: typing in any form of the page marks it; sending a form or a new page clears it. Leaving a page
 * with unsaved edits asks first (issue 16), for links and the browser's back button (the hash changes, so the
 * old hash is put back when the user stays) and for closing the tab (beforeunload).
 */
const LEAVE_QUESTION = 'This page has changes that are not saved. Leave it and lose them?';
let unsaved = false;
let currentHash = location.hash;
let restoringHash = false;

function onHashChange() {
  if (restoringHash) { restoringHash = false; return; }
  if (unsaved && !confirm(LEAVE_QUESTION)) {
    restoringHash = true;
    location.hash = currentHash;
    return;
  }
  route();
}

function runLeaveHooks() {
  for (const f of leaveHooks) { try { f(); } catch { /* a page's cleanup must not stop navigation */ } }
  leaveHooks = [];
}

/** Counts navigations: a page whose data arrives after the user moved on must not show (or keep polling). */
let navSeq = 0;

async function route() {
  const seq = ++navSeq;
  unsaved = false;
  currentHash = location.hash;
  runLeaveHooks();
  banner.clear();
  const root = document.getElementById('page');
  if (!session.token) { renderSignIn(root); return; }
  // Each navigation renders into its own view: a slower, earlier navigation that finishes later writes
  // into a view that is no longer in the document instead of replacing the current page.
  const page = h('div', { class: 'view' });
  root.replaceChildren(page);
  const path = decodeURI(location.hash.replace(/^#/, '')) || '/virtualNetworkGateways';
  for (const [pattern, mod, nav, mode] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    page.replaceChildren(h('p', { class: 'loading', text: 'Loading…' }));
    // A hash change keeps the old page's scroll position; a new page starts at its top.
    window.scrollTo(0, 0);
    const current = () => seq === navSeq;
    // A page that registers a cleanup after the user already left runs it at once (its timers stop).
    const onLeave = (f) => { if (current()) leaveHooks.push(f); else { try { f(); } catch { /* ignore */ } } };
    const ctx = { params: m.slice(1).map(decodeURIComponent), mode, onLeave };
    try {
      await mod.render(page, ctx);
    } catch (e) {
      if (!current()) return;
      page.replaceChildren(h('h1', { tabindex: '-1', text: 'Something went wrong' }));
      banner.error(e instanceof ApiError ? e : { message: String(e?.message ?? e) });
    }
    if (!current()) return;
    const h1 = page.querySelector('h1');
    if (h1 && document.activeElement === document.body) { h1.setAttribute('tabindex', '-1'); }
    document.title = (h1?.textContent ?? 'p2sgw') + ' · p2sgw portal';
    return;
  }
  location.hash = '#/virtualNetworkGateways';
}

function renderSignIn(page) {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const token = input({ type: 'password', name: 'token', autocomplete: 'current-password' });
  const sub = input({ name: 'subscription', value: session.subscription || DEFAULT_SUBSCRIPTION });
  const form = h('form', { class: 'card signin', novalidate: true },
    h('h1', { text: 'Sign in' }),
    h('p', { text: 'Use the admin token: "p2sgw server" writes it to the file admin-token in its data directory (./data/admin-token'
      + ' unless --data-dir says otherwise) and prints that path on start. Or a token issued with "p2sgw token create".' }),
    field('signin-token', 'Access token', token),
    field('signin-subscription', 'Subscription', sub, 'The subscription id your resources live in.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'signin-submit' }, 'Sign in')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const t = token.value.trim();
    if (!t) { showFieldError(form, 'signin-token', 'Enter a token.'); return; }
    try {
      const who = await get(WHOAMI, { token: t });
      session.signIn(t, sub.value.trim());
      applyIdentity(who);
      route();
    } catch (e) {
      showFieldError(form, 'signin-token', e.status === 401 || e.status === 403
        ? 'This token was not accepted.' : e.message);
    }
  });
  page.replaceChildren(form);
  token.focus();
}

function applyIdentity(who) {
  session.identity = { name: who?.name ?? 'unknown', role: who?.role ?? 'Reader' };
  if (who?.subscriptionId && !sessionStorage.getItem('p2sgw.subscription')) {
    session.signIn(session.token, who.subscriptionId);
  }
  document.getElementById('who-name').textContent = session.identity.name;
  const role = document.getElementById('who-role');
  role.textContent = session.canWrite ? session.identity.role : session.identity.role + ' (read-only)';
  document.getElementById('who').hidden = false;
  document.getElementById('nav').hidden = false;
  document.body.classList.toggle('read-only', !session.canWrite);
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', () => {
    unsaved = false; // signing out is a choice to leave
    session.signOut();
    location.hash = '';
    route();
  });
  window.addEventListener('p2sgw:unauthorized', () => {
    session.signOut();
    banner.info('Your session ended. Sign in again.');
    renderSignIn(document.getElementById('page'));
  });
  window.addEventListener('hashchange', onHashChange);
  const page = document.getElementById('page');
  page.addEventListener('input', (ev) => {
    if (ev.target.closest('form') && !ev.target.closest('form.signin')) unsaved = true;
  });
  page.addEventListener('submit', () => { unsaved = false; }, true);
  page.addEventListener('click', (ev) => { if (ev.target.closest('[data-discards]')) unsaved = false; }, true);
  window.addEventListener('beforeunload', (ev) => {
    if (!unsaved) return;
    ev.preventDefault();
    ev.returnValue = LEAVE_QUESTION;
  });
  if (session.token) {
    try {
      applyIdentity(await get(WHOAMI));
    } catch {
      session.signOut();
    }
  }
  route();
}

start();
