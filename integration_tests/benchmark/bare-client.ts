/**
 * The floor the connector is measured against: a bare client that signs in and sends, one after
 * another, exactly the page requests a connector run sent (same paths, same queries, same page
 * size), reads each body whole and JSON.parses it, and does nothing else. It runs in a process of
 * its own, like the connector, so that neither shares an event loop with the simulator.
 *
 *   node --import tsx integration_tests/benchmark/bare-client.ts <plan.json>
 *
 * plan.json: { origin, loginPath, logoutPath, credentials: {CompanyDB, UserName, Password}, requests: [{ path, prefer }] }.
 * Prints one JSON line: { seconds, pages, entities, bytes }; seconds from before the Login to after the Logout.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

interface Plan {
  origin: string;
  loginPath: string;
  logoutPath: string;
  credentials: Record<string, string>;
  requests: { path: string; prefer?: string }[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
const dispatcher = new Agent({ headersTimeout: 600_000, bodyTimeout: 600_000 });
const started = performance.now();
const login = await request(`${plan.origin}${plan.loginPath}`, {
  method: 'POST',
  dispatcher,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(plan.credentials),
});
const setCookie = login.headers['set-cookie'];
const cookie = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ''])
  .map((line) => line.split(';')[0])
  .join('; ');
await login.body.text();
if (login.statusCode !== 200) throw new Error(`Login answered ${login.statusCode}`);

let entities = 0;
let bytes = 0;
for (const { path, prefer } of plan.requests) {
  const response = await request(`${plan.origin}${path}`, { dispatcher, headers: { cookie, accept: 'application/json', ...(prefer ? { prefer } : {}) } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${text.slice(0, 200)}`);
  bytes += Buffer.byteLength(text);
  entities += (JSON.parse(text) as { value: unknown[] }).value.length;
}
await (await request(`${plan.origin}${plan.logoutPath}`, { method: 'POST', dispatcher, headers: { cookie } })).body.text();
const seconds = (performance.now() - started) / 1000;
await dispatcher.close();
console.log(JSON.stringify({ seconds, pages: plan.requests.length, entities, bytes }));
