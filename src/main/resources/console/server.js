// One server: its status and sync, held tool changes, upstream OAuth, and the edit form (every
// field of the model, the overrides as editable tables); and the form for a new server.
import { h, replace, when, field, uid, announce } from './dom.js';
import * as api from './api.js';
import { page, failure, note, statusBadge, errorInWords } from './ui.js';
import { syncNote, deleteServer } from './servers.js';
import { sideBySide } from './diff.js';
import { overridesTable } from './overrides.js';
import { showErrors, clearErrors } from './errors.js';

export function newServerView() {
  const notices = h('div', {});
  const form = serverForm(null, async (body, formElement) => {
    const answer = await api.call('POST', api.paths.servers(), body);
    if (!answer.ok) {
      showErrors(formElement, answer, notices);
      return;
    }
    announce(`Created ${answer.body.result.name}.`);
    location.hash = `#/servers/${encodeURIComponent(answer.body.result.id)}?created`;
  });
  page('Add a server', h('p', {}, h('a', { href: '#/servers' }, '← All servers')), notices, form);
}

export async function serverView(id, message) {
  const answer = await api.call('GET', api.paths.server(id));
  if (!answer.ok) {
    page(`Server ${id}`, h('p', {}, h('a', { href: '#/servers' }, '← All servers')), failure(answer));
    return;
  }
  const server = answer.body.result;
  const created = location.hash.endsWith('?created');
  // shown once: a reload of this view is no longer "just created" (replaceState fires no hashchange)
  if (created) history.replaceState(null, '', `#/servers/${encodeURIComponent(server.id)}`);
  const notices = h('div', { id: 'server-notices' }, message || (created
    ? note(`Created ${server.name}. Sync it to fetch its tools and prompts.`, 'success') : null));
  const reload = (next) => serverView(id, next);

  const sync = h('button', { type: 'button', id: 'sync-now' }, 'Sync now');
  sync.addEventListener('click', async () => {
    sync.disabled = true;
    sync.textContent = 'Syncing…';
    const synced = await api.call('POST', api.paths.sync(server.id));
    reload(synced.ok ? syncNote(server, synced) : failure(synced));
  });
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-server' }, 'Delete server');
  remove.addEventListener('click', async () => {
    if (await deleteServer(server, notices)) location.hash = '#/servers';
  });

  const form = serverForm(server, async (body, formElement) => {
    const saved = await api.call('PUT', api.paths.server(server.id), body);
    if (!saved.ok) {
      showErrors(formElement, saved, notices);
      return;
    }
    announce(`Saved ${server.name}.`);
    reload(note(`Saved ${saved.body.result.name}.`, 'success'));
  });

  page(server.name,
    h('p', {}, h('a', { href: '#/servers' }, '← All servers')),
    notices,
    h('section', { class: 'card', 'aria-labelledby': 'status-heading' },
      h('h2', { id: 'status-heading' }, 'Status'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { id: 'server-status' }, statusBadge(server.status)),
        h('dt', {}, 'Last sync'), h('dd', {}, when(server.last_synced)),
        h('dt', {}, 'Last successful sync'), h('dd', {}, when(server.last_successful_sync)),
        h('dt', {}, 'Tools'), h('dd', { id: 'tool-count' }, String(server.tools.length)),
        h('dt', {}, 'Prompts'), h('dd', {}, String(server.prompts.length)),
        h('dt', {}, 'Context for agents'), h('dd', {}, server.context_tokens === undefined ? 'not counted yet'
          : `${server.context_tokens.toLocaleString('en')} tokens (${server.context_bytes.toLocaleString('en')} bytes) for its tools/list and prompts/list`),
        h('dt', {}, 'MCP endpoint for agents'), h('dd', {}, h('code', {}, `${location.origin}/mcp/${api.accountId()}/${server.id}`)),
        h('dt', {}, 'Created'), h('dd', {}, when(server.created_at), server.created_by ? ` by ${server.created_by}` : ''),
        h('dt', {}, 'Modified'), h('dd', {}, when(server.modified_at), server.modified_by ? ` by ${server.modified_by}` : '')),
      errorInWords(server),
      h('div', { class: 'actions' }, sync)),
    heldSection(server, reload),
    oauthSection(server, reload),
    form,
    h('section', { class: 'card danger-zone', 'aria-labelledby': 'delete-heading' },
      h('h2', { id: 'delete-heading' }, 'Delete'),
      h('p', {}, 'Removes the server, its overrides and its stored credentials; agents lose its tools at once.'),
      h('div', { class: 'actions' }, remove)));
}

/** Tools whose definition changed upstream since accepted: the diff, and accept or keep held. */
function heldSection(server, reload) {
  const held = server.held_tools || [];
  if (held.length === 0) return null;
  return h('section', { class: 'card warning', 'aria-labelledby': 'held-heading', id: 'held-tools' },
    h('h2', { id: 'held-heading' }, 'Changed tool definitions (held back from agents)'),
    h('p', {}, 'These tools changed upstream after they were accepted. Until you accept a change, agents do not see the tool and cannot call it. '
      + 'Read what changed: a tool that suddenly asks for more, or says more, may be trying to steer the agent.'),
    held.map((item) => {
      const current = server.tools.find((t) => t.name === item.name);
      // the visible words begin the accessible name (WCAG 2.5.3), the tool's name completes it
      const accept = h('button', { type: 'button' }, 'Accept change', h('span', { class: 'visually-hidden' }, ` to ${item.name}`));
      const keep = h('button', { type: 'button', class: 'secondary' }, 'Keep held', h('span', { class: 'visually-hidden' }, `: ${item.name}`));
      const outcome = h('div', {});
      accept.addEventListener('click', async () => {
        accept.disabled = true;
        const answer = await api.call('PUT', api.paths.server(server.id), { accept_tool_changes: [item.name] });
        if (!answer.ok) {
          accept.disabled = false;
          replace(outcome, failure(answer));
          return;
        }
        announce(`Accepted the change to ${item.name}.`);
        reload(note(`Accepted the new definition of ${item.name}: agents see it again.`, 'success'));
      });
      keep.addEventListener('click', () => {
        replace(outcome, note(`${item.name} stays held back: agents neither see nor call it until you accept its change.`));
        keep.disabled = true;
      });
      return h('article', { class: 'held', dataset: { tool: item.name } },
        h('h3', {}, item.name),
        h('p', { class: 'muted' }, `Held because ${item.reason}.`),
        item.accepted ? sideBySide(item.accepted, current || {}, `What changed in ${item.name}`)
          : h('div', {}, h('p', {}, 'The accepted definition was not kept (it was accepted before this gateway kept definitions); the current one is:'),
            h('pre', {}, h('code', {}, JSON.stringify(current || {}, null, 2)))),
        h('div', { class: 'actions' }, accept, keep), outcome);
    }));
}

/** For oauth servers: the connection's status and the admin flow (in a new tab, so this tab keeps its token). */
function oauthSection(server, reload) {
  if (server.auth_type !== 'oauth') return null;
  const status = server.authentication_status;
  const words = {
    connected: 'Connected: the gateway holds working tokens for this server.',
    required: 'Not connected: an administrator must authorize the gateway at the server\'s authorization server.',
    stale: 'Stale: refreshing the tokens failed; authorize again to reconnect.',
  }[status] ?? status;
  const outcome = h('div', {});
  const connect = h('button', { type: 'button', id: 'oauth-connect' }, status === 'connected' ? 'Reconnect' : status === 'stale' ? 'Reconnect' : 'Connect');
  const check = h('button', { type: 'button', class: 'secondary' }, 'Check status again');
  connect.addEventListener('click', async () => {
    const answer = await api.call('GET', api.paths.oauthConnect(server.id));
    if (!answer.ok) {
      replace(outcome, failure(answer));
      return;
    }
    const url = answer.body.result.authorization_url;
    const opened = window.open(url, '_blank', 'noopener');
    replace(outcome, note('Authorize in the new tab, then come back here and check the status.', 'info',
      opened ? null : h('p', {}, 'The browser blocked the new tab; open this address yourself: ', h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'authorization page'))));
  });
  check.addEventListener('click', () => reload());
  const summary = server.auth_config_summary;
  return h('section', { class: 'card', 'aria-labelledby': 'oauth-heading' },
    h('h2', { id: 'oauth-heading' }, 'Upstream OAuth'),
    h('p', { id: 'oauth-status' }, words),
    server.authentication_error ? h('p', { class: 'field-error' }, `Last error: ${server.authentication_error}`) : null,
    server.oauth_on_behalf ? h('p', {}, 'Each user connects with their own account (oauth_on_behalf); the connection here is the administrator\'s.') : null,
    summary ? h('dl', { class: 'facts' },
      h('dt', {}, 'Authorization server'), h('dd', {}, summary.config?.issuer || '—'),
      h('dt', {}, 'Client id'), h('dd', {}, summary.registration_info?.client_id || '—'),
      h('dt', {}, 'Client secret'), h('dd', {}, summary.has_client_secret ? 'set (never shown)' : 'none (public client)')) : null,
    h('div', { class: 'actions' }, connect, check), outcome);
}

/**
 * The form for every writable field. `server` null: a new server. auth_credentials is write-only:
 * never filled in; left empty it is not sent, so the API keeps what it has (an absent field is
 * unchanged on PUT); "remove" sends null.
 */
function serverForm(server, submit) {
  const creating = server === null;
  const s = server || { auth_type: 'unauthenticated', tools: [], prompts: [], updated_tools: [], updated_prompts: [] };
  const input = (attrs, value) => {
    const element = h('input', { autocomplete: 'off', spellcheck: 'false', ...attrs });
    if (value !== undefined && value !== null) element.value = value;
    return element;
  };
  const id = input({ type: 'text', name: 'id', required: true, maxlength: 32, readonly: !creating }, s.id);
  const name = input({ type: 'text', name: 'name', required: true, maxlength: 350 }, s.name);
  const hostname = input({ type: 'url', name: 'hostname', required: true, placeholder: 'https://mcp.example.com/mcp' }, s.hostname);
  const authType = h('select', { name: 'auth_type' },
    [['unauthenticated', 'None (unauthenticated)'], ['bearer', 'Bearer token'], ['oauth', 'OAuth']].map(([value, label]) =>
      h('option', { value, selected: s.auth_type === value }, label)));
  const credentials = input({ type: 'password', name: 'auth_credentials', placeholder: creating ? '' : 'unchanged' });
  const dropCredentials = h('input', { type: 'checkbox', name: 'remove_credentials' });
  const description = h('textarea', { name: 'description', rows: 2, maxlength: 512 });
  description.value = s.description || '';
  const shared = h('input', { type: 'checkbox', name: 'is_shared_oauth_callback_enabled', checked: !!s.is_shared_oauth_callback_enabled });
  const hold = h('input', { type: 'checkbox', name: 'hold_changed_tools', checked: s.hold_changed_tools !== false });
  const onBehalf = h('input', { type: 'checkbox', name: 'oauth_on_behalf', checked: !!s.oauth_on_behalf });
  const checkbox = (box, label, hint, pointer) => {
    box.id = uid('c');
    box.dataset.pointer = pointer;
    const hintNode = h('p', { class: 'hint', id: `${box.id}-hint` }, hint);
    const error = h('p', { class: 'field-error', id: `${box.id}-error`, hidden: true });
    box.setAttribute('aria-describedby', `${box.id}-hint ${error.id}`);
    return h('div', { class: 'field check' }, box, h('label', { for: box.id }, label), hintNode, error);
  };
  const credentialHint = () => ({
    bearer: 'The token the gateway sends upstream as Authorization: Bearer. ',
    oauth: 'Optional: a pre-registered OAuth client as JSON ({"client_id": …, "client_secret": …}); without it the gateway registers itself. ',
    unauthenticated: 'Not used without authentication. ',
  }[authType.value] + (creating ? '' : 'Write-only: never shown. Leave empty to keep the stored value.'));
  const credentialField = field({ label: 'Credentials', input: credentials, hint: credentialHint(), pointer: '/auth_credentials' });
  authType.addEventListener('change', () => { credentialField.querySelector('.hint').textContent = credentialHint(); });

  const tools = overridesTable('tools', 'Tools', s.tools, s.updated_tools, s.held_tools || []);
  const prompts = overridesTable('prompts', 'Prompts', s.prompts, s.updated_prompts, []);
  const problems = h('div', { class: 'form-problems' });
  const save = h('button', { type: 'submit' }, creating ? 'Add server' : 'Save changes');
  const form = h('form', { class: 'card', id: 'server-form', novalidate: true, 'aria-labelledby': 'form-heading' },
    h('h2', { id: 'form-heading' }, creating ? 'New server' : 'Settings'),
    h('div', { class: 'grid' },
      field({ label: 'Id', input: id, pointer: '/id', hint: creating ? 'Letters, digits and "-", at most 32; part of the agents\' URL and cannot change.' : 'Cannot change.' }),
      field({ label: 'Name', input: name, pointer: '/name' }),
      field({ label: 'MCP server URL (hostname)', input: hostname, pointer: '/hostname', hint: 'The upstream MCP endpoint, http or https.' }),
      field({ label: 'Authentication', input: authType, pointer: '/auth_type' }),
      credentialField,
      creating ? null : checkbox(dropCredentials, 'Remove the stored credentials', 'Sends auth_credentials: null.', '/auth_credentials/remove'),
      field({ label: 'Description', input: description, pointer: '/description' })),
    checkbox(hold, 'Hold back changed tool definitions', 'A tool whose definition changes upstream stays hidden from agents until accepted (hold_changed_tools).', '/hold_changed_tools'),
    checkbox(shared, 'Use the shared OAuth callback', 'is_shared_oauth_callback_enabled: for OAuth servers, the callback URL configured as oauth.shared_callback_url.', '/is_shared_oauth_callback_enabled'),
    checkbox(onBehalf, 'Each user connects with their own OAuth account', 'oauth_on_behalf: only for OAuth servers.', '/oauth_on_behalf'),
    creating ? h('p', { class: 'hint' }, 'Tools and prompts can be renamed, described and disabled once the server has synced.') : [tools.element, prompts.element],
    problems,
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, problems);
    const body = {
      name: name.value,
      hostname: hostname.value.trim(),
      auth_type: authType.value,
      description: description.value === '' ? null : description.value,
      hold_changed_tools: hold.checked,
      is_shared_oauth_callback_enabled: shared.checked,
      oauth_on_behalf: onBehalf.checked,
    };
    if (creating) body.id = id.value.trim();
    if (!creating && dropCredentials.checked) body.auth_credentials = null;
    else if (credentials.value !== '') body.auth_credentials = credentials.value;
    if (!creating) {
      body.updated_tools = tools.collect('/updated_tools');
      body.updated_prompts = prompts.collect('/updated_prompts');
    }
    save.disabled = true;
    try {
      await submit(body, form);
    } finally {
      save.disabled = false;
      credentials.value = '';
    }
  });
  form.problems = problems;
  return form;
}
