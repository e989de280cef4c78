// Pieces every view uses: the error box, page headings, the confirmation dialog.
import { h, replace, announce } from './dom.js';
import { explain } from './api.js';

/** The view's main element, emptied, with an h1 that takes the focus (so keyboard and screen-reader users land on the new page). */
export function page(title, ...children) {
  const main = document.getElementById('main');
  const heading = h('h1', { tabindex: '-1' }, title);
  replace(main, heading, ...children);
  document.title = `${title} · mcp-gateway console`;
  heading.focus();
  return main;
}

/** An alert box for a failed API answer: the status in words, then each API message. */
export function failure(answer) {
  const { lead, messages } = explain(answer);
  announce(`${lead} ${messages.join(' ')}`);
  return h('div', { class: 'alert error', role: 'alert' },
    h('p', {}, lead),
    messages.length ? h('ul', {}, messages.map((m) => h('li', {}, m))) : null);
}

/** A success or information note (role=status, read politely). */
export function note(text, kind = 'info', ...more) {
  return h('div', { class: `alert ${kind}`, role: 'status' }, h('p', {}, text), ...more);
}

/**
 * Asks before something that cannot be undone, in a modal <dialog> (focus trapped by the browser,
 * Escape cancels). Resolves true when confirmed.
 */
export function confirmAction({ title, text, confirm }) {
  return new Promise((resolve) => {
    const heading = h('h2', { id: 'confirm-title' }, title);
    const yes = h('button', { type: 'button', class: 'danger', value: 'yes' }, confirm);
    const no = h('button', { type: 'button', class: 'secondary', value: 'no' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      heading, h('p', { id: 'confirm-text' }, text), h('div', { class: 'actions' }, no, yes));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** A status in words with a colour that is never the only signal. */
export function statusBadge(status) {
  const words = { ready: 'Ready', waiting: 'Waiting for first sync', error: 'Error' }[status] ?? status;
  return h('span', { class: `badge status-${status}` }, words);
}

/** error + error_details, as a sentence an administrator can act on. */
export function errorInWords(server) {
  if (!server.error && !server.error_details) return null;
  const d = server.error_details || {};
  const parts = [];
  if (d.is_upstream === true) parts.push('The MCP server itself reported the failure');
  else if (d.is_upstream === false) parts.push('The gateway could not complete the exchange');
  if (d.status_code) parts.push(`HTTP status ${d.status_code}`);
  if (d.mcp_code !== undefined && d.mcp_code !== null) parts.push(`MCP error code ${d.mcp_code}`);
  if (d.retryable === true) parts.push('a retry may succeed (the gateway retries on its own)');
  else if (d.retryable === false) parts.push('retrying will not help until something changes');
  return h('div', { class: 'error-details' },
    h('p', {}, h('strong', {}, server.error || 'Sync failed')),
    d.cause ? h('p', {}, `Cause: ${d.cause}`) : null,
    parts.length ? h('p', { class: 'muted' }, `${parts.join('; ')}.`) : null);
}
