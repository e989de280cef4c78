// Drives the gateway's admin console in headless Chromium (Debian's, through playwright-core) the
// way an administrator would, against a real gateway and a real upstream (paged-server.mjs with
// DRIFT_ROUTE=1), runs axe-core on every main page, saves screenshots, and prints one JSON report.
//
//   node console-e2e.mjs '<options as JSON>'
//
// Options: {"console": "http://127.0.0.1:<port>/console/", "api": "http://127.0.0.1:<port>", "token", "wrong_token",
//           "account", "upstream": "<MCP url of the upstream>", "drift": "<the upstream's /drift url>"}
// SCREENSHOT_DIR (env): where the PNGs go. CHROMIUM (env): the browser (default /usr/bin/chromium).
//
// Report: {"steps": [{"name", "ok", ...details}], "axe": {"<page>": [violations as {id, impact, help, nodes}]},
//          "console_errors": [...] (page errors, CSP refusals), "error"?: what stopped the run}.
// Every wait is for an element or an answer; nothing sleeps for a fixed time. Exit 0 with the report
// when every step ran (the Java test judges the details), 2 with "error" when one could not.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const options = JSON.parse(process.argv[2] || '{}');
const report = { steps: [], axe: {}, console_errors: [] };
const shots = process.env.SCREENSHOT_DIR;
if (shots) mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser = null;

const deadline = setTimeout(() => { report.error = 'console run timed out (150 s)'; finish(2); }, 150_000);

async function finish(code) {
  clearTimeout(deadline);
  if (browser) await browser.close().catch(() => {});
  console.log(JSON.stringify(report));
  process.exit(code);
}

function step(name, details = {}) {
  report.steps.push({ name, ok: true, ...details });
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP stays on), WCAG 2.x A and AA rules. */
async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  report.axe[name] = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}

async function api(method, apiPath, body) {
  const response = await fetch(options.api + apiPath, {
    method, headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function errorBeside(page, input) {
  const id = await input.getAttribute('id');
  const slot = page.locator(`[id="${id}-error"]`);
  await slot.waitFor({ state: 'visible' });
  return { text: (await slot.textContent()).trim(), invalid: await input.getAttribute('aria-invalid') };
}

async function run() {
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // the API's refusals are part of the run (Chromium logs each as "Failed to load resource"); any other failed load is an error
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) report.console_errors.push(message.text());
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && !url.pathname.startsWith('/accounts/')) report.console_errors.push(`${response.status()} ${url.pathname}`);
  });
  page.on('pageerror', (error) => report.console_errors.push(`pageerror: ${error.message}`));
  const main = page.locator('main');
  const heading = (name) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

  // sign in: a wrong token first, then the right one
  await page.goto(options.console);
  await heading('Sign in');
  await axe(page, 'sign-in');
  await shot(page, 'sign-in');
  await page.getByLabel('API token').fill(options.wrong_token);
  await page.getByLabel('Account id').fill(options.account);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const refusal = page.locator('#sign-in-problems [role=alert]');
  await refusal.waitFor();
  step('wrong token refused', { alert: (await refusal.innerText()).trim() });
  await shot(page, 'sign-in-refused');
  await page.getByLabel('API token').fill(options.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Servers');
  await main.getByText('No servers yet.').waitFor();
  step('signed in', {
    stored: await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookies: document.cookie })),
  });

  // create: a refused hostname first (the API's message beside the field), then a good one
  await page.getByRole('link', { name: 'Add a server' }).click();
  await heading('Add a server');
  await page.getByLabel('Id', { exact: true }).fill('docs');
  await page.getByLabel('Name', { exact: true }).fill('Docs');
  const hostname = page.getByLabel('MCP server URL (hostname)');
  await hostname.fill('ftp://example.com/mcp');
  await page.getByRole('button', { name: 'Add server' }).click();
  step('bad hostname refused', await errorBeside(page, hostname));
  await axe(page, 'new-server');
  await shot(page, 'new-server-refused');
  await hostname.fill(options.upstream);
  await page.getByRole('button', { name: 'Add server' }).click();
  await heading('Docs');
  await main.getByText('Created Docs.').waitFor();
  step('created');

  // sync now
  await page.getByRole('button', { name: 'Sync now' }).click();
  await main.getByText('Synced Docs: ready.').waitFor();
  step('synced', { status: (await page.locator('#server-status').innerText()).trim(), tools: (await page.locator('#tool-count').innerText()).trim() });

  // overrides: an invalid alias (the API's message beside it), then an alias and a disabled tool
  const alias = page.getByLabel('Alias for tool tool-000');
  await alias.fill('not valid!');
  await page.getByRole('button', { name: 'Save changes' }).click();
  step('bad alias refused', await errorBeside(page, alias));
  await shot(page, 'server-alias-refused');
  await alias.fill('zero');
  await page.getByLabel('tool tool-002 enabled').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await main.getByText('Saved Docs.').waitFor();
  const stored = (await api('GET', `/accounts/${options.account}/access/ai-controls/mcp/servers/docs`)).body.result;
  step('overrides saved', {
    alias: await page.getByLabel('Alias for tool tool-000').inputValue(),
    enabled: await page.getByLabel('tool tool-002 enabled').isChecked(),
    updated_tools: stored.updated_tools,
  });
  await axe(page, 'server');
  await shot(page, 'server');

  // drift: the upstream changes tool-001; the next sync holds it back; the diff; accept
  const drifted = await fetch(options.drift, { method: 'POST' });
  if (drifted.status !== 200) throw new Error(`drift route answered ${drifted.status}`);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await main.getByText('Synced Docs: ready.').waitFor();
  const held = page.locator('#held-tools');
  await held.waitFor();
  const diff = held.locator('table.diff');
  step('drift shown', {
    tool: (await held.locator('article h3').innerText()).trim(),
    removed: await diff.locator('td.diff-old').allInnerTexts(),
    added: await diff.locator('td.diff-new').allInnerTexts(),
    headers: await diff.locator('thead th').allInnerTexts(),
  });
  await axe(page, 'drift');
  await shot(page, 'drift');
  await page.getByRole('button', { name: /^Keep held\W+tool-001$/ }).click();
  await main.getByText('tool-001 stays held back').waitFor();
  await page.getByRole('button', { name: /^Accept change\s+to tool-001$/ }).click();
  await main.getByText('Accepted the new definition of tool-001').waitFor();
  step('drift accepted', { held_section: await page.locator('#held-tools').count() });

  // the list
  await page.getByRole('link', { name: 'Servers', exact: true }).click();
  await heading('Servers');
  const row = page.locator('#servers tbody tr[data-server="docs"]');
  await row.waitFor();
  step('listed', { row: (await row.innerText()).replace(/\s+/g, ' ').trim() });
  await axe(page, 'servers');
  await shot(page, 'servers');

  // a portal (made through the API), its page
  const portal = await api('POST', `/accounts/${options.account}/access/ai-controls/mcp/portals`,
    { id: 'team', name: 'Team', hostname: 'team.example.com', servers: [{ server_id: 'docs' }] });
  if (portal.status >= 300) throw new Error(`portal create answered ${portal.status}: ${JSON.stringify(portal.body)}`);
  await page.getByRole('link', { name: 'Portals', exact: true }).click();
  await heading('Portals');
  await page.getByRole('link', { name: 'Team' }).click();
  await heading('Team');
  step('portal', {
    url: (await page.locator('#portal-url').innerText()).trim(),
    snippet: JSON.parse(await page.locator('#portal-snippet').innerText()),
    members: (await page.locator('#portal-members tbody').innerText()).replace(/\s+/g, ' ').trim(),
  });
  await axe(page, 'portal');
  await shot(page, 'portal');

  // activity, filtered by server and by actor
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await heading('Activity');
  await page.locator('#audit').waitFor();
  await page.locator('#tool-calls-total').waitFor();
  const toolCalls = {
    total: (await page.locator('#tool-calls-total').innerText()).trim(),
    bars: await page.locator('#tool-calls svg rect').count(),
    label: await page.locator('#tool-calls svg').getAttribute('aria-label'),
  };
  const filtered = async (server, actor) => {
    await page.getByLabel('Server id').fill(server);
    await page.getByLabel('Actor').fill(actor);
    await page.getByRole('button', { name: 'Filter' }).click();
    const query = new URLSearchParams();
    if (server) query.set('server_id', server);
    if (actor) query.set('actor', actor);
    await page.locator(`#audit-results[data-query="${query}"]`).waitFor();
    return page.locator('#audit-results tbody tr').allInnerTexts();
  };
  const byOthers = await filtered('docs', 'test-admin');
  const empty = (await page.locator('#audit-results').innerText()).trim();
  step('activity', { rows: await filtered('docs', 'acme-bot'), by_others: byOthers, by_others_text: empty, tool_calls: toolCalls });
  await axe(page, 'activity');
  await shot(page, 'activity');

  // delete: refused while the portal uses it (the API's message), then done
  await page.getByRole('link', { name: 'Servers', exact: true }).click();
  await heading('Servers');
  await page.getByRole('button', { name: 'Delete Docs' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Docs?' });
  await dialog.waitFor();
  await axe(page, 'delete-dialog');
  await shot(page, 'delete-dialog');
  await dialog.getByRole('button', { name: 'Delete server' }).click();
  const refusedDelete = page.locator('#list-notices [role=alert]');
  await refusedDelete.waitFor();
  step('delete refused', { alert: (await refusedDelete.innerText()).trim() });
  const portalGone = await api('DELETE', `/accounts/${options.account}/access/ai-controls/mcp/portals/team`);
  if (portalGone.status >= 300) throw new Error(`portal delete answered ${portalGone.status}`);
  await page.getByRole('button', { name: 'Delete Docs' }).click();
  await page.getByRole('dialog', { name: 'Delete Docs?' }).getByRole('button', { name: 'Delete server' }).click();
  await main.getByText('No servers yet.').waitFor();
  step('deleted', { notice: (await page.locator('#list-notices').innerText()).trim() });
}

run().then(() => finish(0), (error) => {
  report.error = `${error.message}`.split('\n')[0];
  report.error_detail = `${error.stack}`.slice(0, 2000);
  finish(2);
});
