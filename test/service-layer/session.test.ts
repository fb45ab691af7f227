import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { ServiceLayerClient } from '../../src/service-layer/client.js';
import { SecretRedactor } from '../../src/logging.js';
import {
  assertNoSecrets,
  captureLogger,
  COMPANY_DB,
  fakeTime,
  PASSWORD,
  requestCookies,
  sapError,
  sessionConfig,
  startFakeServiceLayer,
  USER,
} from './helpers.js';

test('login posts CompanyDB, UserName, Password and Language, then sends both session cookies on every request', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ body: { value: [{ DocEntry: 1 }] } }) });
  t.after(() => sl.close());
  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: sessionConfig(sl.root, {
      credentials: { auth_type: 'session_login', company_db: COMPANY_DB, username: USER, password: PASSWORD, language: '3' },
    }),
    logger,
    ...fakeTime().options,
  });
  t.after(() => client.close());

  const body = await client.getJson<{ value: unknown[] }>('Invoices?$top=1');
  assert.deepEqual(body, { value: [{ DocEntry: 1 }] });

  const login = sl.requests[0]!;
  assert.equal(login.method, 'POST');
  assert.equal(login.url, '/b1s/v2/Login');
  assert.match(String(login.headers['content-type']), /application\/json/);
  assert.deepEqual(JSON.parse(login.body), { CompanyDB: COMPANY_DB, UserName: USER, Password: PASSWORD, Language: '3' });

  const data = sl.requests[1]!;
  assert.equal(data.url, '/b1s/v2/Invoices?$top=1');
  // B1SESSION came as "B1SESSION=<id>;HttpOnly;" with no Path, ROUTEID with path=/b1s: both must go back.
  assert.deepEqual(requestCookies(data), { B1SESSION: sl.issuedSessions[0], ROUTEID: '.node1' });
  assert.equal(data.headers['prefer'], undefined);
  assertNoSecrets(logger, [PASSWORD, sl.issuedSessions[0]!]);
});

test('Language is left out of the login when not configured', async (t) => {
  const sl = await startFakeServiceLayer();
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.connect();
  assert.deepEqual(Object.keys(JSON.parse(sl.requests[0]!.body)).sort(), ['CompanyDB', 'Password', 'UserName']);
});

test('one login serves many requests, and concurrent first requests share one login', async (t) => {
  const sl = await startFakeServiceLayer({ loginDelayMs: 50 });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());

  await Promise.all(Array.from({ length: 8 }, (_, i) => client.getJson(`Items?$skip=${i}`)));
  for (let i = 0; i < 5; i++) await client.getJson('Items');
  assert.equal(sl.requests.filter((r) => r.url.endsWith('/Login')).length, 1);
  assert.equal(client.stats.signIns, 1);
  assert.equal(client.stats.requests, 14);
  assert.equal(sl.issuedSessions.length, 1);
});

for (const dialect of ['v1', 'v2'] as const) {
  test(`an expired session (401, code 301, ${dialect} error shape) triggers one new login and exactly one replay`, async (t) => {
    let dataRequests = 0;
    const sl = await startFakeServiceLayer({
      dialect,
      data: (request) => {
        dataRequests++;
        return { body: { value: [{ ok: true, session: requestCookies(request)['B1SESSION'] }] } };
      },
    });
    t.after(() => sl.close());
    const logger = captureLogger();
    const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger, ...fakeTime().options });
    t.after(() => client.close());

    await client.getJson('Invoices');
    sl.expire(sl.issuedSessions[0]!);
    const before = sl.requests.length;
    const body = await client.getJson<{ value: { session: string }[] }>('Invoices?$skip=20');
    const after = sl.requests.slice(before).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(after, [`GET /b1s/${dialect}/Invoices?$skip=20`, `POST /b1s/${dialect}/Login`, `GET /b1s/${dialect}/Invoices?$skip=20`]);
    assert.equal(body.value[0]!.session, sl.issuedSessions[1]);
    assert.equal(dataRequests, 2);
    assert.equal(client.stats.signIns, 2);
    assert.equal(client.stats.retries, 0);
    assertNoSecrets(logger, [PASSWORD, ...sl.issuedSessions]);
  });
}

test('concurrent requests that all hit an expired session share one new login', async (t) => {
  const sl = await startFakeServiceLayer({ loginDelayMs: 30 });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.connect();
  sl.expire(sl.issuedSessions[0]!);
  await Promise.all(Array.from({ length: 6 }, () => client.getJson('Items')));
  assert.equal(sl.issuedSessions.length, 2);
  assert.equal(client.stats.signIns, 2);
});

test('a 401 that persists after a fresh login is reported, not replayed again', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ status: 401, body: sapError('v2', 301, 'Invalid session or session already timeout.') }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await assert.rejects(client.getJson('Invoices'), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'transient_error');
    assert.match(error.message, /301/);
    assert.match(error.message, /ROUTEID/);
    return true;
  });
  const dataRequests = sl.requests.filter((r) => r.url.endsWith('/Invoices'));
  assert.equal(dataRequests.length, 2);
  assert.equal(client.stats.signIns, 2);
});

test('the session is renewed before the idle timeout ends it, and the old one is signed out', async (t) => {
  const sl = await startFakeServiceLayer({ sessionTimeoutMinutes: 30 });
  t.after(() => sl.close());
  const time = fakeTime();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...time.options });
  t.after(() => client.close());

  await client.getJson('Items');
  time.advance(20 * 60_000);
  await client.getJson('Items');
  assert.equal(client.stats.signIns, 1, 'activity within the timeout keeps the session');
  time.advance(29 * 60_000 + 30_000);
  await client.getJson('Items');
  // 29.5 idle minutes of 30: within the margin, so a new session before the server drops the old one.
  assert.equal(client.stats.signIns, 2);
  assert.deepEqual(sl.loggedOut, [sl.issuedSessions[0]]);
  const last = sl.requests.at(-1)!;
  assert.equal(requestCookies(last)['B1SESSION'], sl.issuedSessions[1]);
  assert.ok(!sl.requests.some((r) => r.url.endsWith('/Items') && r.headers.cookie === undefined));
});

test('close() signs out once and is idempotent; it also signs out after a failed request', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ status: 400, body: sapError('v2', -1000, "Invalid property 'Nope'") }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  await assert.rejects(client.getJson('Invoices?$select=Nope'), ConnectorError);
  await client.close();
  await client.close();
  assert.deepEqual(sl.loggedOut, [sl.issuedSessions[0]]);
  const logout = sl.requests.find((r) => r.url.endsWith('/Logout'))!;
  assert.equal(logout.method, 'POST');
  assert.equal(requestCookies(logout)['B1SESSION'], sl.issuedSessions[0]);
  await assert.rejects(client.getJson('Invoices'), /after it was closed/);
});

test('close() without any request sends nothing, and a failing logout is logged, not thrown', async (t) => {
  const sl = await startFakeServiceLayer();
  t.after(() => sl.close());
  const idle = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  await idle.close();
  assert.equal(sl.requests.length, 0);

  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger, ...fakeTime().options });
  await client.connect();
  await sl.close();
  await client.close();
  assert.ok(logger.lines.some((l) => l.level === 'WARN' && /Signing out of the Service Layer failed/.test(l.message)));
});

test('wrong credentials are a config_error naming the fields, with the SAP code and text, and are not retried', async (t) => {
  const sl = await startFakeServiceLayer();
  t.after(() => sl.close());
  const logger = captureLogger();
  const wrong = 'wrong-password-123';
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: sessionConfig(sl.root, { credentials: { auth_type: 'session_login', company_db: COMPANY_DB, username: USER, password: wrong } }),
    logger,
    ...fakeTime().options,
  });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /100000027/);
    assert.match(error.message, /Login failed/);
    assert.match(error.message, /credentials\.password/);
    assert.ok(!error.message.includes(wrong));
    return true;
  });
  assert.equal(sl.requests.length, 1);
  assertNoSecrets(logger, [wrong]);
});

test('a refused sign-in ends the run: later and concurrent callers get the same error without another login', async (t) => {
  const sl = await startFakeServiceLayer({ login: () => ({ status: 401, body: sapError('v2', -304, 'Fail to NONE-SSO login from SLD.') }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  const first = await client.getJson('Invoices').catch((error: unknown) => error);
  assert.ok(first instanceof ConnectorError && first.endsRun && first.failureType === 'config_error', String(first));
  const later = await Promise.allSettled([client.getJson('Items'), client.getJson('Warehouses'), client.getText('$metadata'), client.connect()]);
  for (const outcome of later) {
    assert.equal(outcome.status, 'rejected');
    assert.equal((outcome as PromiseRejectedResult).reason, first, 'the remembered refusal, not a new attempt');
  }
  assert.deepEqual(
    sl.requests.map((r) => `${r.method} ${r.url}`),
    ['POST /b1s/v2/Login'],
  );
});

test('a login answered with 503 is retried, then succeeds', async (t) => {
  const sl = await startFakeServiceLayer({
    login: (_request, count) => (count === 1 ? { status: 503, body: '<html><title>503 Service Unavailable</title></html>', headers: { 'content-type': 'text/html' } } : undefined),
  });
  t.after(() => sl.close());
  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger, ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items');
  assert.equal(client.stats.retries, 1);
  assert.ok(logger.lines.some((l) => l.level === 'WARN' && /POST Login/.test(l.message) && /503/.test(l.message)));
});

test('the session id from the login body is used when no session cookie arrives', async (t) => {
  const sl = await startFakeServiceLayer({
    login: () => ({ status: 200, body: { SessionId: 'body-only-session', SessionTimeout: 30 } }),
    data: () => ({ body: { value: [] } }),
  });
  sl.sessions.add('body-only-session');
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items');
  assert.deepEqual(requestCookies(sl.requests[1]!), { B1SESSION: 'body-only-session' });
});

test('a ROUTEID set by a later answer is sent from then on', async (t) => {
  let first = true;
  const sl = await startFakeServiceLayer({
    data: () => {
      if (first) {
        first = false;
        return { headers: { 'set-cookie': 'ROUTEID=.node2; path=/b1s' }, body: { value: [] } };
      }
      return { body: { value: [] } };
    },
  });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items');
  await client.getJson('Items');
  assert.equal(requestCookies(sl.requests.at(-1)!)['ROUTEID'], '.node2');
});

test('paths are resolved relative to the service root; absolute URLs and paths, and ../, are refused', async (t) => {
  const sl = await startFakeServiceLayer({ dialect: 'v1', data: () => ({ body: { value: [] } }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  assert.equal(client.dialect, 'v1');
  assert.equal(client.serviceRoot.href, sl.root);

  await client.getJson("Invoices?$filter=CardCode eq 'C#1'&$top=20");
  const urls = sl.requests.filter((r) => r.method === 'GET').map((r) => r.url);
  assert.deepEqual(urls, ["/b1s/v1/Invoices?$filter=CardCode%20eq%20%27C%231%27&$top=20"]);
  await assert.rejects(client.getJson('https://elsewhere.example/b1s/v1/Invoices'), /outside the service root/);
  await assert.rejects(client.getJson(`${sl.root}Invoices`), /outside the service root/);
  await assert.rejects(client.getJson('/b1s/v1/Invoices'), /outside the service root/);
  await assert.rejects(client.getJson('../../other'), /outside the service root/);
  assert.equal(sl.requests.filter((r) => r.method === 'GET').length, 1, 'nothing refused was sent');
});

test('Prefer: odata.maxpagesize is sent when a page size is asked for', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ headers: { 'preference-applied': 'odata.maxpagesize=200' }, body: { value: [] } }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items', { pageSize: 200 });
  assert.equal(sl.requests.at(-1)!.headers['prefer'], 'odata.maxpagesize=200');
});

test('getText returns $metadata as text with the asked Accept header; lastServerDate follows the Date header', async (t) => {
  const sl = await startFakeServiceLayer({
    data: (request) => ({ headers: { 'content-type': 'application/xml', date: 'Fri, 03 Apr 2026 23:30:31 GMT' }, body: `<edmx:Edmx accept="${request.headers.accept}"/>` }),
  });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  assert.equal(await client.getText('$metadata', { accept: 'application/xml' }), '<edmx:Edmx accept="application/xml"/>');
  assert.equal(client.lastServerDate()?.toISOString(), '2026-04-03T23:30:31.000Z');
});

test('an external abort stops a request', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ fault: 'hang' }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.connect();
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('stop now')), 50);
  await assert.rejects(client.getJson('Items', { signal: controller.signal }), /stop now/);
});

test('close() does not wait for a request that is still running', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ fault: 'hang' }) });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root, { max_retries: 0 }), logger: captureLogger(), ...fakeTime().options });
  await client.connect();
  const running = client.getJson('Items').catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await client.close();
  assert.ok(Date.now() - started < 2_000);
  const failure = await running;
  assert.ok(failure instanceof ConnectorError);
  assert.match(failure.message, /closed while this request was still running/);
  assert.deepEqual(sl.loggedOut, [sl.issuedSessions[0]]);
});
