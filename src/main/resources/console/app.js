// The console's entry point: sign-in, then a hash router over the views. No framework, no build:
// the browser loads these ES modules as they are in the jar.
import { h, replace, field } from './dom.js';
import * as api from './api.js';
import { page, failure } from './ui.js';
import { serversView } from './servers.js';
import { serverView, newServerView } from './server.js';
import { portalsView, portalView } from './portals.js';
import { activityView } from './activity.js';

const routes = [
  [/^#\/servers\/?$/, () => serversView()],
  [/^#\/servers\/new$/, () => newServerView()],
  [/^#\/servers\/([^/]+)$/, (id) => serverView(decodeURIComponent(id))],
  [/^#\/portals\/?$/, () => portalsView()],
  [/^#\/portals\/([^/]+)$/, (id) => portalView(decodeURIComponent(id))],
  [/^#\/activity\/?$/, () => activityView()],
];

function route() {
  if (!api.signedIn()) {
    signInView();
    return;
  }
  const hash = location.hash || '#/servers';
  const section = hash.split('/')[1] || 'servers';
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const [pattern, view] of routes) {
    const match = pattern.exec(hash.split('?')[0]);
    if (match) {
      view(...match.slice(1));
      return;
    }
  }
  location.hash = '#/servers';
}

function signInView() {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const account = h('input', { type: 'text', name: 'account', autocomplete: 'off', required: true, spellcheck: 'false' });
  const problems = h('div', { id: 'sign-in-problems' });
  const form = h('form', { class: 'card narrow', id: 'sign-in', novalidate: true },
    h('p', {}, 'Sign in with a management API token. The console keeps it in this tab\'s memory only: '
      + 'reloading or closing the tab signs you out.'),
    field({ label: 'API token', input: token, hint: 'The bearer token an administrator or automation uses (GATEWAY_ADMIN_TOKEN, security.api_tokens, or the one printed at first start).' }),
    field({ label: 'Account id', input: account, hint: 'The account whose servers and portals to manage, as in /accounts/{account_id}/… .' }),
    problems,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(problems);
    if (!token.value.trim() || !account.value.trim()) {
      replace(problems, h('div', { class: 'alert error', role: 'alert' }, h('p', {}, 'Both the API token and the account id are needed.')));
      return;
    }
    api.signIn(token.value.trim(), account.value.trim());
    const answer = await api.call('GET', api.paths.servers('?per_page=1'));
    if (!answer.ok) {
      api.signOut();
      replace(problems, failure(answer));
      token.focus();
      return;
    }
    token.value = '';
    document.getElementById('nav').hidden = false;
    document.getElementById('who').hidden = false;
    document.getElementById('who-account').textContent = `Account ${api.accountId()}`;
    if (!location.hash || location.hash === '#/') location.hash = '#/servers';
    else route();
  });
  page('Sign in', form);
}

document.getElementById('sign-out').addEventListener('click', () => {
  api.signOut();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
