import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { errorOf, TestClient } from './client.js';

describe('sessions', () => {
  let sim: ServiceLayerSimulator;
  before(async () => {
    sim = await startServiceLayerSimulator({ sessionTimeoutMinutes: 30 });
  });
  after(() => sim.stop());

  test('Login sets B1SESSION (HttpOnly, no Path) and ROUTEID (path=/b1s) and answers the session', async () => {
    const c = new TestClient(sim);
    const reply = await c.login();
    assert.equal(reply.status, 200);
    const cookies = reply.headers.getSetCookie();
    assert.equal(cookies.length, 2);
    const body = reply.json<{ SessionId: string; Version: string; SessionTimeout: number; '@odata.context': string }>();
    assert.match(body.SessionId, /^[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12}$/);
    assert.equal(cookies[0], `B1SESSION=${body.SessionId};HttpOnly;`);
    assert.equal(cookies[1], 'ROUTEID=.node1; path=/b1s');
    assert.equal(body.SessionTimeout, 30);
    assert.equal(typeof body.Version, 'string');
    assert.equal(body['@odata.context'], `${sim.baseUrl}/$metadata#B1Sessions/$entity`);
    assert.equal(reply.headers.get('odata-version'), '4.0');
  });

  test('Login on /b1s/v1 answers odata.metadata with @Element', async () => {
    const c = new TestClient(sim).other('v1');
    const reply = await c.login();
    assert.equal(reply.status, 200);
    const body = reply.json();
    assert.equal(body['odata.metadata'], `${c.root}/$metadata#B1Sessions/@Element`);
    assert.equal(reply.headers.get('dataserviceversion'), '3.0');
  });

  test('wrong credentials: 401, code 100000027 "Login failed", in both error shapes; no cookie', async () => {
    for (const credentials of [
      { CompanyDB: sim.companyDb, UserName: sim.username, Password: 'wrong' },
      { CompanyDB: 'SBO_OTHER', UserName: sim.username, Password: sim.password },
      { CompanyDB: sim.companyDb, UserName: 'someone', Password: sim.password },
    ]) {
      const v2 = await new TestClient(sim).login(credentials);
      assert.equal(v2.status, 401);
      assert.deepEqual(v2.json(), { error: { code: '100000027', message: 'Login failed' } });
      assert.equal(v2.headers.getSetCookie().length, 0);
      const v1 = await new TestClient(sim).other('v1').login(credentials);
      assert.equal(v1.status, 401);
      assert.deepEqual(v1.json(), { error: { code: 100000027, message: { lang: 'en-us', value: 'Login failed' } } });
    }
  });

  test('the 10.0 SLD style of login failure can be chosen', async () => {
    const other = await startServiceLayerSimulator({ loginFailureStyle: 'sld' });
    try {
      const reply = await new TestClient(other).login({ CompanyDB: other.companyDb, UserName: other.username, Password: 'x' });
      assert.equal(reply.status, 401);
      assert.deepEqual(errorOf(reply), { code: '-304', message: 'Fail to NONE-SSO login from SLD.' });
    } finally {
      await other.stop();
    }
  });

  test('a data request without a session, or with an unknown one, gets 401 code 301', async () => {
    const none = await new TestClient(sim).get('Items');
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { error: { code: '301', message: 'Invalid session or session already timeout.' } });
    const garbage = new TestClient(sim).other('v1');
    garbage.cookie = 'B1SESSION=garbage; ROUTEID=.node1';
    const reply = await garbage.get('Items');
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.json(), {
      error: { code: 301, message: { lang: 'en-us', value: 'Invalid session or session already timeout.' } },
    });
    const metadata = await new TestClient(sim).get('$metadata');
    assert.equal(metadata.status, 401);
  });

  test('one session works on both service roots', async () => {
    const c = new TestClient(sim);
    await c.login();
    assert.equal((await c.get('Warehouses')).status, 200);
    assert.equal((await c.other('v1').get('Warehouses')).status, 200);
  });

  test('sessions expire after the idle timeout on the server clock; each use restarts it', async () => {
    const c = new TestClient(sim);
    await c.login();
    sim.clock.advance(20 * 60_000);
    assert.equal((await c.get('Dimensions')).status, 200);
    sim.clock.advance(20 * 60_000);
    assert.equal((await c.get('Dimensions')).status, 200, 'used 20 minutes ago: still alive');
    sim.clock.advance(30 * 60_000 + 1000);
    const reply = await c.get('Dimensions');
    assert.equal(reply.status, 401);
    assert.equal(errorOf(reply).code, '301');
    assert.equal((await c.get('Dimensions')).status, 401, 'an expired session stays dead');
  });

  test('Logout answers 204 without a body and ends the session', async () => {
    const c = new TestClient(sim);
    await c.login();
    const logoutsBefore = sim.stats.logouts;
    const reply = await c.request('POST', 'Logout');
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal(sim.stats.logouts, logoutsBefore + 1);
    assert.equal((await c.get('Items')).status, 401);
  });

  test('expireAllSessions and stats', async () => {
    sim.expireAllSessions();
    assert.equal(sim.stats.activeSessions, 0);
    const before = sim.stats.logins;
    const a = new TestClient(sim);
    const b = new TestClient(sim);
    await a.login();
    await b.login();
    assert.equal(sim.stats.logins, before + 2);
    assert.equal(sim.stats.activeSessions, 2);
    sim.expireAllSessions();
    assert.equal(sim.stats.activeSessions, 0);
    assert.equal((await a.get('Items')).status, 401);
  });

  test('the request log records requests without the password or cookie values', async () => {
    sim.clearRequestLog();
    const c = new TestClient(sim);
    await c.login();
    await c.get('Items?$top=1', { Prefer: 'odata.maxpagesize=5', 'B1S-PageSize': '7' });
    const text = JSON.stringify(sim.requestLog);
    assert.ok(!text.includes(sim.password), 'password in the request log');
    const sessionId = c.cookie.split(';')[0]!.split('=')[1]!;
    assert.ok(!text.includes(sessionId), 'session id in the request log');
    const [login, items] = sim.requestLog;
    assert.equal(login!.method, 'POST');
    assert.equal(login!.path, '/b1s/v2/Login');
    assert.equal(login!.status, 200);
    assert.equal(login!.dataRequestNumber, undefined);
    assert.equal(items!.path, '/b1s/v2/Items?$top=1');
    assert.deepEqual(items!.headers, { prefer: 'odata.maxpagesize=5', b1sPageSize: '7' });
    assert.equal(items!.dataRequestNumber, sim.dataRequestCount);
    assert.equal(items!.seq, login!.seq + 1);
  });

  test('login delay is applied', async () => {
    const slow = await startServiceLayerSimulator({ loginDelayMs: 150 });
    try {
      const started = performance.now();
      await new TestClient(slow).login();
      assert.ok(performance.now() - started >= 140);
    } finally {
      await slow.stop();
    }
  });
});
