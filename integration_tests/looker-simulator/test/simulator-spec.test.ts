/**
 * The Looker simulator is only evidence if it behaves like Looker. A scripted session reaches every
 * operation it serves and the answers that matter (refused credentials, expired and revoked tokens,
 * 404, 422, 429 and 503 faults, the PDT build states); every exchange of it, every parameter the
 * simulator accepts and every body it sends or receives is then checked against the official
 * Looker API 4.0 OpenAPI document (those checks skip, saying why, when the document is absent).
 * Whether the connector's own requests match the spec is the connector's test
 * (integration_tests/looker/refresh-spec.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCEPTED_QUERY,
  LOOKER_API_PREFIX,
  LOOKER_SPEC_PATH,
  LookerSpec,
  lookerSpecAvailable,
  SIMULATOR_ROUTES,
  startLookerSimulator,
  type LookerSimulator,
  type RecordedExchange,
} from '../index.js';

const CLIENT_ID = 'spec-client';
const CLIENT_SECRET = 'spec-secret-value';

const skip = lookerSpecAvailable() ? false : `the Looker OpenAPI spec is not at ${LOOKER_SPEC_PATH}`;

let spec: LookerSpec;
before(() => {
  if (!skip) spec = new LookerSpec();
});

describe('Looker simulator: a scripted session', () => {
  let sim: LookerSimulator;
  const clientNowMs = Date.UTC(2025, 0, 15, 12, 0, 0);
  /** The server's clock runs 30 s behind the client's, as a real one may. */
  const serverSeconds = Math.floor((clientNowMs - 30_000) / 1000);

  before(async () => {
    sim = await startLookerSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      now: () => clientNowMs,
      serverClockOffsetMs: -30_000,
      datagroups: [
        { id: '1', model_name: 'sap_b1', name: 'sap_b1_sync' },
        { id: '2', model_name: 'finance', name: 'nightly' },
      ],
      pdts: [
        { model: 'sap_b1', view: 'margin_pdt', statusChecksUntilDone: 2 },
        { model: 'sap_b1', view: 'broken_pdt', finalStatus: 'error', errorMessage: 'relation "oinv" does not exist' },
      ],
      scheduledPlans: [{ id: '55', name: 'Margin by region' }],
    });
    const api = `${sim.baseUrl}${LOOKER_API_PREFIX}`;
    const send = async (method: string, path: string, init: { token?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> => {
      const headers: Record<string, string> = {};
      if (init.token !== undefined) headers.Authorization = `token ${init.token}`;
      let body: string | URLSearchParams | undefined;
      if (init.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(init.json);
      } else if (init.form !== undefined) {
        body = new URLSearchParams(init.form);
      }
      const response = await fetch(`${api}${path}`, { method, headers, body });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    };
    const login = async (): Promise<string> => {
      const reply = await send('POST', '/login', { form: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } });
      assert.equal(reply.status, 200);
      return (reply.body as { access_token: string }).access_token;
    };

    const versions = await send('GET', '/versions');
    assert.equal(versions.status, 200, 'the API versions need no token');
    assert.ok((versions.body as { supported_versions: { version: string }[] }).supported_versions.some((v) => v.version === '4.0'));
    assert.equal((await send('POST', '/login', { form: { client_id: CLIENT_ID, client_secret: 'wrong' } })).status, 404, 'refused credentials');
    const token = await login();
    assert.equal((await send('GET', '/datagroups')).status, 401, 'no token');

    sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '3' });
    assert.equal((await send('GET', '/datagroups', { token })).status, 429);
    assert.equal((await send('GET', '/datagroups', { token })).status, 200);
    assert.equal((await send('GET', '/datagroups/2', { token })).status, 200);
    assert.equal((await send('GET', '/datagroups/999', { token })).status, 404);

    sim.injectFault({ method: 'PATCH', route: '/datagroups/{datagroup_id}', status: 503 });
    assert.equal((await send('PATCH', '/datagroups/1', { token, json: { triggered_at: serverSeconds } })).status, 503);
    assert.equal((await send('PATCH', '/datagroups/1', { token, json: { triggered_at: serverSeconds } })).status, 200);
    assert.equal((await send('PATCH', '/datagroups/2', { token, json: { triggered_at: serverSeconds + 3600 } })).status, 422, 'a trigger in the future');
    assert.equal((await send('PATCH', '/datagroups/2', { token, json: { stale_before: serverSeconds } })).status, 200);

    const started = await send('GET', '/derived_table/sap_b1/margin_pdt/start?source=spec-test', { token });
    const margin = (started.body as { materialization_id: string }).materialization_id;
    for (let i = 0; i < 3; i++) assert.equal((await send('GET', `/derived_table/${margin}/status`, { token })).status, 200);
    const broken = await send('GET', '/derived_table/sap_b1/broken_pdt/start?force_rebuild=true&source=spec-test', { token });
    const brokenId = (broken.body as { materialization_id: string }).materialization_id;
    for (let i = 0; i < 3; i++) await send('GET', `/derived_table/${brokenId}/status`, { token });
    assert.equal((await send('GET', '/derived_table/x/y/start', { token })).status, 404, 'unknown PDT');
    const again = await send('GET', '/derived_table/sap_b1/margin_pdt/start', { token });
    assert.equal((await send('GET', `/derived_table/${(again.body as { materialization_id: string }).materialization_id}/stop?source=spec-test`, { token })).status, 200);

    assert.equal((await send('GET', '/user?fields=id,display_name', { token })).status, 200);
    assert.equal((await send('GET', '/user', { token })).status, 200);
    assert.equal((await send('POST', '/scheduled_plans/55/run_once', { token, json: { name: 'override' } })).status, 200);
    assert.equal((await send('POST', '/scheduled_plans/404404/run_once', { token })).status, 404);

    sim.injectFault({ method: 'GET', route: '/derived_table/{materialization_id}/status', status: 401 });
    assert.equal((await send('GET', `/derived_table/${margin}/status`, { token })).status, 401, 'token revoked mid-run');
    sim.expireAllTokens();
    assert.equal((await send('GET', '/user', { token })).status, 401, 'expired token');
    assert.equal((await send('DELETE', '/logout', { token: await login() })).status, 204);
  });

  after(async () => {
    await sim.close();
  });

  test('the session exercised every served operation and the answers that matter', () => {
    const exercised = new Set(sim.requests.map((r) => `${r.method} ${r.route}`));
    for (const route of SIMULATOR_ROUTES) assert.ok(exercised.has(`${route.method} ${route.path}`), `${route.method} ${route.path} never exercised`);
    const statuses = new Set(sim.requests.map((r) => r.status));
    for (const status of [200, 204, 401, 404, 422, 429, 503]) assert.ok(statuses.has(status), `no ${status} answer exercised`);
    const pdtStates = [...sim.materializations.values()].map((m) => m.status).sort();
    assert.deepEqual(pdtStates, ['complete', 'error', 'killed']);
  });

  test('every request and answer matches the Looker API 4.0 OpenAPI spec', { skip }, () => {
    assert.deepEqual(spec.checkAll(sim.requests), []);
  });
});

describe('the Looker API 4.0 OpenAPI spec and its checker', { skip }, () => {
  test('the spec is OpenAPI 3 and every served operation exists in it with the same parameters', () => {
    assert.match(spec.document.openapi, /^3\./);
    for (const route of SIMULATOR_ROUTES) {
      const op = spec.operation(route.method, route.path);
      assert.ok(op, `${route.method} ${route.path} is not in the spec`);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      const templateParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(templateParams, pathParams, `path parameters of ${route.method} ${route.path}`);
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
      const accepted = [...(ACCEPTED_QUERY[`${route.method} ${route.path}`] ?? [])].sort();
      assert.deepEqual(accepted, queryParams, `query parameters of ${route.method} ${route.path}`);
    }
  });

  test('the check catches departures from the spec (it can fail)', () => {
    const ok: RecordedExchange = {
      method: 'GET',
      path: '/api/4.0/datagroups/1',
      route: '/datagroups/{datagroup_id}',
      query: {},
      authorization: undefined,
      contentType: undefined,
      requestBody: undefined,
      status: 200,
      responseHeaders: {},
      responseBody: { id: '1', model_name: 'm', name: 'n', triggered_at: 1_700_000_000 },
      injectedFault: false,
    };
    const check = (e: Partial<RecordedExchange>): string[] => spec.check({ ...ok, ...e, route: e.route ?? ok.route ?? '' });
    assert.deepEqual(check({}), []);
    assert.notDeepEqual(check({ responseBody: { id: '1', triggered_at: 'yesterday' } }), []);
    assert.notDeepEqual(check({ responseBody: { id: '1', triggering: true } }), []);
    assert.notDeepEqual(check({ query: { fields: 'id' } }), []);
    assert.notDeepEqual(check({ route: '/datagroups/{id}/trigger' }), []);
    assert.notDeepEqual(check({ status: 418 }), []);
    const patch = { method: 'PATCH', contentType: 'application/json', requestBody: { triggered_at: 1 } };
    assert.deepEqual(check(patch), []);
    assert.notDeepEqual(check({ ...patch, requestBody: { id: '1', triggered_at: 1 } }), [], 'readOnly id in a request body');
    assert.notDeepEqual(check({ ...patch, contentType: 'text/plain' }), []);
    assert.notDeepEqual(check({ method: 'PATCH', requestBody: undefined }), [], 'missing required body');
    assert.notDeepEqual(
      check({ method: 'POST', route: '/login', contentType: 'application/x-www-form-urlencoded', requestBody: { username: 'a' }, responseBody: { access_token: 'x', expires_in: 1 } }),
      [],
    );
  });
});
