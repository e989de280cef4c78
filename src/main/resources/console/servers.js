// The server list: status, last sync, errors in words, counts, and the actions on each row.
import { h, replace, when, announce } from './dom.js';
import * as api from './api.js';
import { page, failure, note, statusBadge, errorInWords, confirmAction } from './ui.js';

export async function serversView() {
  const body = h('div', { class: 'loading', 'aria-busy': 'true' }, 'Loading servers…');
  const notices = h('div', { id: 'list-notices' });
  page('Servers',
    h('div', { class: 'toolbar' }, h('a', { href: '#/servers/new', class: 'button' }, 'Add a server')),
    notices, body);
  await load(body, notices);
}

async function load(body, notices) {
  const answer = await api.call('GET', api.paths.servers('?per_page=100'));
  body.removeAttribute('aria-busy');
  body.className = '';
  if (!answer.ok) {
    replace(body, failure(answer));
    return;
  }
  const servers = answer.body.result;
  if (servers.length === 0) {
    replace(body, note('No servers yet. Add one: the gateway connects to it, lists its tools and prompts, and serves them to agents.'));
    return;
  }
  const total = answer.body.result_info?.total_count ?? servers.length;
  replace(body,
    total > servers.length ? note(`Showing the first ${servers.length} of ${total} servers.`) : null,
    h('table', { class: 'list', id: 'servers' },
      h('caption', { class: 'visually-hidden' }, 'Registered MCP servers'),
      h('thead', {}, h('tr', {},
        ['Server', 'Status', 'Last sync', 'Tools', 'Prompts', 'Context', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, servers.map((server) => row(server, body, notices)))));
}

function row(server, body, notices) {
  const held = (server.held_tools || []).length;
  const sync = h('button', { type: 'button', class: 'secondary' }, 'Sync now', h('span', { class: 'visually-hidden' }, `: ${server.name}`));
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete', h('span', { class: 'visually-hidden' }, ` ${server.name}`));
  sync.addEventListener('click', async () => {
    sync.disabled = true;
    replace(sync, 'Syncing…', h('span', { class: 'visually-hidden' }, `: ${server.name}`));
    const answer = await api.call('POST', api.paths.sync(server.id));
    replace(notices, answer.ok ? syncNote(server, answer) : failure(answer));
    await load(body, notices);
  });
  remove.addEventListener('click', async () => {
    if (!await deleteServer(server, notices)) return;
    await load(body, notices);
  });
  return h('tr', { dataset: { server: server.id } },
    h('th', { scope: 'row' }, h('a', { href: `#/servers/${encodeURIComponent(server.id)}` }, server.name),
      h('div', { class: 'muted small' }, server.id, ' · ', server.hostname)),
    h('td', {}, statusBadge(server.status),
      held ? h('div', {}, h('a', { href: `#/servers/${encodeURIComponent(server.id)}`, class: 'badge held' }, `${held} changed tool${held > 1 ? 's' : ''} held`)) : null,
      server.authentication_status && server.authentication_status !== 'not_required'
        ? h('div', { class: 'small' }, `OAuth: ${server.authentication_status}`) : null,
      errorInWords(server)),
    h('td', {}, when(server.last_synced),
      server.last_successful_sync && server.last_successful_sync !== server.last_synced
        ? h('div', { class: 'small muted' }, 'last success ', when(server.last_successful_sync)) : null),
    h('td', { class: 'num' }, String((server.tools || []).length)),
    h('td', { class: 'num' }, String((server.prompts || []).length)),
    h('td', { class: 'num' }, server.context_tokens === undefined ? '—' : `${server.context_tokens.toLocaleString('en')} tokens`),
    h('td', { class: 'row-actions' }, sync, remove));
}

/** The sync's outcome in words: its status, its error, and its messages (held-back tools, stale overrides). */
export function syncNote(server, answer) {
  const result = answer.body.result || {};
  const messages = answer.body.messages.map((m) => h('li', {}, m.message));
  const text = result.status === 'ready' ? `Synced ${server.name}: ready.` : `Synced ${server.name}: ${result.status}.`;
  announce(text);
  return h('div', { class: `alert ${result.status === 'ready' ? 'success' : 'error'}`, role: 'status' },
    h('p', {}, text), errorInWords(result), messages.length ? h('ul', {}, messages) : null);
}

/** Deletes after a confirmation; true when deleted (the notice says so, or shows the API's refusal). */
export async function deleteServer(server, notices) {
  const confirmed = await confirmAction({
    title: `Delete ${server.name}?`,
    text: `Agents lose every tool and prompt of "${server.id}" at once, and its overrides and stored credentials are erased. This cannot be undone.`,
    confirm: 'Delete server',
  });
  if (!confirmed) return false;
  const answer = await api.call('DELETE', api.paths.server(server.id));
  if (!answer.ok) {
    replace(notices, failure(answer));
    return false;
  }
  replace(notices, note(`Deleted ${server.name}.`, 'success'));
  announce(`Deleted ${server.name}.`);
  return true;
}
