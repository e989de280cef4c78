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
  const calls = h('section', { class: 'card', id: 'tool-calls', 'aria-busy': 'true', 'aria-labelledby': 'tool-calls-title' },
    h('h2', { id: 'tool-calls-title' }, server.value ? `Tool calls to ${server.value}, last 30 days` : 'Tool calls, last 30 days'), 'Loading…');
  page('Activity', form, calls, results);
  toolCalls(calls, server.value);
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

/**
 * The analytics API's daily counts (UTC, summed over tools) as a bar chart: SVG built node by node
 * (no markup strings, no inline style), with the same numbers in a table for screen readers.
 */
async function toolCalls(section, serverId) {
  const answer = await api.call('GET', api.paths.toolCalls(serverId, '?days=30&aggregate=true'));
  section.removeAttribute('aria-busy');
  const title = section.querySelector('h2');
  if (!answer.ok) {
    replace(section, title, failure(answer));
    return;
  }
  const { series, total } = answer.body.result;
  const max = Math.max(1, ...series.map((d) => d.count));
  const width = 600; const height = 120; const bar = width / Math.max(1, series.length);
  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height + 4}`, class: 'chart', role: 'img',
    'aria-label': `${total} tool calls in the last ${series.length} days` });
  series.forEach((d, i) => {
    const barHeight = Math.round((d.count / max) * height);
    const rect = svgNode('rect', { x: (i * bar + 1).toFixed(1), y: height - barHeight, width: Math.max(1, bar - 2).toFixed(1),
      height: Math.max(barHeight, d.count > 0 ? 1 : 0), class: 'bar' });
    rect.append(svgNode('title', {}, `${d.day}: ${d.count}`));
    svg.append(rect);
  });
  replace(section, title,
    h('p', {}, h('strong', { id: 'tool-calls-total' }, String(total)), ` tool calls since ${series.length ? series[0].day : 'today'} (UTC days)`),
    svg,
    h('table', { class: 'visually-hidden' }, h('caption', {}, 'Tool calls per day'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Calls'))),
      h('tbody', {}, series.map((d) => h('tr', {}, h('td', {}, d.day), h('td', {}, String(d.count)))))));
}

function svgNode(tag, attributes = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
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
