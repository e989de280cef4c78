// The audit trail: who changed what, newest first, filtered by server (the API's server_id) and
// by actor (the API's actor).
import { h, replace, when, field } from './dom.js';
import * as api from './api.js';
import { page, failure, note } from './ui.js';

const ACTIONS = {
  create: 'created', update: 'updated', delete: 'deleted', sync: 'synced', rotate: 'rotated', refresh: 'refreshed',
};

export async function activityView() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const server = h('input', { type: 'text', name: 'server_id', autocomplete: 'off', spellcheck: 'false' });
  server.value = params.get('server_id') || '';
  const actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off', spellcheck: 'false' });
  actor.value = params.get('actor') || '';
  const results = h('div', { 'aria-busy': 'true', id: 'audit-results' }, 'Loading…');
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Filter the activity' },
    h('div', { class: 'grid' },
      field({ label: 'Server id', input: server, hint: 'Only changes to this server.' }),
      field({ label: 'Actor', input: actor, hint: 'Only changes by this API token name (or user).' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (server.value.trim()) query.set('server_id', server.value.trim());
    if (actor.value.trim()) query.set('actor', actor.value.trim());
    location.hash = `#/activity${query.toString() ? `?${query}` : ''}`;
  });
  page('Activity', form, results);
  const query = new URLSearchParams({ per_page: '100' });
  if (server.value) query.set('server_id', server.value);
  if (actor.value) query.set('actor', actor.value);
  const answer = await api.call('GET', api.paths.audit(`?${query}`));
  results.removeAttribute('aria-busy');
  // which filter these results answer (so a reader, or a test, can tell a fresh answer from the previous one)
  query.delete('per_page');
  results.dataset.query = query.toString();
  if (!answer.ok) {
    replace(results, failure(answer));
    return;
  }
  const entries = answer.body.result;
  if (entries.length === 0) {
    replace(results, note('Nothing recorded for this filter.'));
    return;
  }
  replace(results, h('table', { class: 'list', id: 'audit' },
    h('caption', { class: 'visually-hidden' }, 'Audit trail, newest first'),
    h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Changed'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, entries.map((e) => h('tr', {},
      h('td', {}, when(e.at)),
      h('td', {}, e.actor),
      h('td', {}, `${subject(e)} ${ACTIONS[e.action] || e.action}`),
      h('td', {}, changes(e)))))));
}

function subject(e) {
  if (e.server_id) return `Server ${e.server_id}`;
  if (e.portal_id) return `Portal ${e.portal_id}`;
  if (e.service_token_id) return 'Service token';
  if (e.policy_id) return 'Access policy';
  return 'Item';
}

/** The fields that differ between before and after, by name (values of secrets are never in the trail). */
function changes(e) {
  if (!e.before || !e.after) return '';
  const keys = new Set([...Object.keys(e.before), ...Object.keys(e.after)]);
  const changed = [...keys].filter((k) => JSON.stringify(e.before[k]) !== JSON.stringify(e.after[k]));
  return changed.length ? changed.join(', ') : 'nothing';
}
