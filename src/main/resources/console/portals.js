// Portals: many servers behind one MCP endpoint. The list, and one portal's members, its URLs
// and a client configuration snippet to copy.
import { h, replace, when, announce } from './dom.js';
import * as api from './api.js';
import { page, failure, note, statusBadge } from './ui.js';

export async function portalsView() {
  const body = h('div', { 'aria-busy': 'true' }, 'Loading portals…');
  page('Portals', h('p', {}, 'A portal serves several servers at one URL, each tool named {server_id}_{tool}. '
    + 'Create and change portals through the API (see the README\'s "Portals"); here you can look them up and copy their client configuration.'), body);
  const answer = await api.call('GET', api.paths.portals('?per_page=100'));
  body.removeAttribute('aria-busy');
  if (!answer.ok) {
    replace(body, failure(answer));
    return;
  }
  const portals = answer.body.result;
  if (portals.length === 0) {
    replace(body, note('No portals yet.'));
    return;
  }
  replace(body, h('table', { class: 'list', id: 'portals' },
    h('caption', { class: 'visually-hidden' }, 'Portals'),
    h('thead', {}, h('tr', {}, ['Portal', 'Hostname', 'Members', 'Context (all tools)'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, portals.map((p) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#/portals/${encodeURIComponent(p.id)}` }, p.name), h('div', { class: 'small muted' }, p.id)),
      h('td', {}, h('code', {}, p.hostname)),
      h('td', { class: 'num' }, String((p.servers || []).length)),
      h('td', { class: 'num' }, p.context_tokens ? `${Object.values(p.context_tokens)[0].toLocaleString('en')} tokens` : '—'))))));
}

export async function portalView(id) {
  const answer = await api.call('GET', api.paths.portal(id));
  const back = h('p', {}, h('a', { href: '#/portals' }, '← All portals'));
  if (!answer.ok) {
    page(`Portal ${id}`, back, failure(answer));
    return;
  }
  const p = answer.body.result;
  const hostUrl = `https://${p.hostname}/mcp`;
  const pathUrl = `${location.origin}/mcp/${api.accountId()}/portals/${p.id}`;
  const snippet = JSON.stringify({ mcpServers: { [p.id]: { type: 'http', url: hostUrl } } }, null, 2);
  const copied = h('span', { role: 'status', class: 'small' });
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy configuration');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      copied.textContent = 'Copied.';
    } catch {
      copied.textContent = 'The browser refused the clipboard: select the text and copy it.';
    }
    announce(copied.textContent);
  });
  const members = p.servers || [];
  page(p.name, back,
    p.description ? h('p', {}, p.description) : null,
    h('section', { class: 'card', 'aria-labelledby': 'urls-heading' },
      h('h2', { id: 'urls-heading' }, 'Connecting agents'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Portal URL'), h('dd', {}, h('code', { id: 'portal-url' }, hostUrl)),
        h('dt', {}, 'Same portal, by path'), h('dd', {}, h('code', {}, pathUrl)),
        h('dt', {}, 'Code Mode'), h('dd', {}, p.code_mode)),
      h('p', {}, 'Client configuration (Claude Desktop, Cursor, VS Code and others read this shape):'),
      h('pre', { class: 'snippet', tabindex: '0', 'aria-label': 'Client configuration' }, h('code', { id: 'portal-snippet' }, snippet)),
      h('div', { class: 'actions' }, copy, copied)),
    h('section', { class: 'card', 'aria-labelledby': 'members-heading' },
      h('h2', { id: 'members-heading' }, 'Members'),
      members.length === 0 ? note('No member servers.') : h('table', { class: 'list', id: 'portal-members' },
        h('caption', { class: 'visually-hidden' }, 'Member servers of this portal'),
        h('thead', {}, h('tr', {}, ['Server', 'Status', 'Tools', 'Off by default', 'Per-user OAuth', 'Overrides'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, members.map((m) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `#/servers/${encodeURIComponent(m.server_id)}` }, m.name || m.server_id)),
          h('td', {}, statusBadge(m.status), ' ', when(m.last_synced)),
          h('td', { class: 'num' }, String((m.tools || []).length)),
          h('td', {}, m.default_disabled ? 'yes' : 'no'),
          h('td', {}, m.on_behalf ? 'yes' : 'no'),
          h('td', {}, overridesInWords(m.updated_tools || []))))))),
    p.context_tokens ? h('section', { class: 'card', 'aria-labelledby': 'context-heading' },
      h('h2', { id: 'context-heading' }, 'What the tool lists cost an agent'),
      h('table', { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Context cost per mode of context minimisation'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Mode (?optimize_context=)'), h('th', { scope: 'col' }, 'Tokens'), h('th', { scope: 'col' }, 'Bytes'))),
        h('tbody', {}, Object.entries(p.context_tokens).map(([mode, tokens]) => h('tr', {},
          h('th', { scope: 'row' }, mode), h('td', { class: 'num' }, tokens.toLocaleString('en')),
          h('td', { class: 'num' }, (p.context_bytes?.[mode] ?? 0).toLocaleString('en'))))))) : null);
}

function overridesInWords(overrides) {
  if (overrides.length === 0) return 'none';
  const disabled = overrides.filter((o) => o.enabled === false).length;
  const renamed = overrides.filter((o) => o.portal_alias || o.server_alias).length;
  return [disabled ? `${disabled} disabled` : null, renamed ? `${renamed} renamed` : null].filter(Boolean).join(', ') || `${overrides.length} described`;
}
