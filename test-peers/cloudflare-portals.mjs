// Drives the gateway's portals API with Cloudflare's official TypeScript library, unchanged: only
// its baseURL points at the gateway. Usage:
//   node cloudflare-portals.mjs <baseURL> <API token> <account id> '{"servers": ["id", ...]}'
// Creates five portals, lists them with auto-pagination (for await, two per page) and by search,
// reads one, updates it, deletes another, reads the deleted one (404) and sends an invalid create
// (400), then prints one JSON report line: what the library answered at each step. The JUnit side
// (CloudflareClientTest) asserts on it and on what the gateway then holds.
import Cloudflare from 'cloudflare';

const [baseURL, apiToken, account, specText] = process.argv.slice(2);
const spec = JSON.parse(specText);
const client = new Cloudflare({ apiToken, baseURL, maxRetries: 0, timeout: 20_000 });
const portals = client.zeroTrust.access.aiControls.mcp.portals;
const report = {};

/** What the library throws for an error answer: its class, status and the envelope's errors. */
function failure(e) {
  if (!(e instanceof Cloudflare.APIError)) throw e;
  return { class: e.constructor.name, status: e.status, errors: e.errors };
}

try {
  report.created = [];
  for (let i = 0; i < 5; i++) {
    report.created.push(await portals.create({
      account_id: account,
      id: `sdk-${i}`,
      name: `SDK portal ${i}`,
      hostname: `SDK-${i}.Portals.Example`,
      description: i === 0 ? 'made by the Cloudflare library' : undefined,
      code_mode: i === 2 ? 'enforced' : undefined,
      allow_code_mode: i === 3 ? false : undefined,
      servers: i === 4 ? [] : [{
        server_id: spec.servers[0],
        default_disabled: i === 1,
        on_behalf: false,
        updated_tools: [{ name: 'echo', alias: 'say', description: 'Says it back' }],
      }],
    }));
  }

  // auto-pagination: the library asks for page 2, 3... until a page comes back empty
  report.listed = [];
  for await (const portal of portals.list({ account_id: account, per_page: 2 })) report.listed.push(portal);
  report.pages = [];
  for await (const page of (await portals.list({ account_id: account, per_page: 2 })).iterPages()) {
    report.pages.push(page.getPaginatedItems().map((p) => p.id));
  }
  report.searched = [];
  for await (const portal of portals.list({ account_id: account, search: 'sdk-3' })) report.searched.push(portal.id);

  report.read = await portals.read('sdk-0', { account_id: account });
  report.updated = await portals.update('sdk-0', {
    account_id: account,
    name: 'Renamed by the library',
    allow_code_mode: false,
    servers: spec.servers.map((id) => ({ server_id: id, updated_prompts: [{ name: 'greet', enabled: false }] })),
  });
  report.deleted = await portals.delete('sdk-1', { account_id: account });
  report.remaining = [];
  for await (const portal of portals.list({ account_id: account })) report.remaining.push(portal.id);

  try {
    await portals.read('sdk-1', { account_id: account });
    report.readDeleted = 'answered';
  } catch (e) {
    report.readDeleted = failure(e);
  }
  try {
    await portals.create({ account_id: account, id: 'bad', name: 'Bad', hostname: 'https://bad.example/mcp' });
    report.invalid = 'answered';
  } catch (e) {
    report.invalid = failure(e);
  }
} catch (e) {
  report.error = e instanceof Cloudflare.APIError ? failure(e) : String(e?.stack ?? e);
}
console.log(JSON.stringify(report));
