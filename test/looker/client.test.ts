import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { SecretRedactor } from '../../src/logging.js';
import type { Dispatcher } from 'undici';
import { LookerApiClient, LookerApiError, lookerPath, normalizeLookerBaseUrl } from '../../src/looker/client.js';
import { scriptedDispatcher, type Script, type ScriptedRequest } from '../helpers/scripted-dispatcher.js';

describe('base URL', () => {
  test('trailing slashes and a pasted /api/4.0 are dropped', () => {
    assert.equal(normalizeLookerBaseUrl('https://acme.cloud.looker.com/'), 'https://acme.cloud.looker.com');
    assert.equal(normalizeLookerBaseUrl(' https://looker.acme.test:19999/api/4.0/ '), 'https://looker.acme.test:19999');
    assert.equal(normalizeLookerBaseUrl('https://acme.test/looker'), 'https://acme.test/looker');
  });

  test('anything that is not an http(s) URL is a config error', () => {
    for (const bad of ['acme.cloud.looker.com', 'ftp://acme.test', 'https://acme.test/?x=1']) {
      assert.throws(() => normalizeLookerBaseUrl(bad), (e: unknown) => e instanceof ConnectorError && e.failureType === 'config_error');
    }
  });
});

test('path segments are encoded so names cannot change the route', () => {
  assert.equal(lookerPath('derived_table', 'sap/b1', 'margin pdt', 'start'), '/derived_table/sap%2Fb1/margin%20pdt/start');
});

type Route = (url: URL, request: ScriptedRequest) => Response | Promise<Response>;

/** A Looker that answers login itself and hands every other call to `route`. */
function stubLooker(route: Route, expiresIn = 3600) {
  const calls: { method: string; path: string; authorization: string | undefined }[] = [];
  let issued = 0;
  const script: Script = async (url, request) => {
    calls.push({ method: request.method, path: url.pathname, authorization: request.headers.Authorization });
    if (url.pathname === '/api/4.0/login') {
      issued += 1;
      return Response.json({ access_token: `tok-${issued}-abcdefabcdef`, token_type: 'Bearer', expires_in: expiresIn, refresh_token: null });
    }
    return route(url, request);
  };
  return { script, looker: scriptedDispatcher(script), calls };
}

/** A client on a virtual clock; the backoff's jitter is fixed at half, so its waits are half the exponential ceiling. */
function client(looker: Dispatcher, clock = { t: 0 }, sleeps: number[] = [], secrets = new SecretRedactor()) {
  return new LookerApiClient(
    { baseUrl: 'https://looker.acme.test', clientId: 'id', clientSecret: 'client-secret-xyz' },
    { secrets, dispatcher: looker, now: () => clock.t, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  );
}

const fetchFailed = (code: string, message: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('token', () => {
  test('reused until a minute before expires_in, then renewed', async () => {
    const { looker, calls } = stubLooker(() => Response.json({}));
    const clock = { t: 0 };
    const api = client(looker, clock);
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    clock.t = 3_539_000;
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(api.loginCount, 1);
    clock.t = 3_540_000;
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(api.loginCount, 2);
    assert.deepEqual(
      calls.filter((c) => c.path === '/api/4.0/user').map((c) => c.authorization),
      ['token tok-1-abcdefabcdef', 'token tok-1-abcdefabcdef', 'token tok-2-abcdefabcdef'],
    );
  });

  test('short-lived tokens keep a tenth of their life as margin', async () => {
    const { looker } = stubLooker(() => Response.json({}), 100);
    const clock = { t: 0 };
    const api = client(looker, clock);
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    clock.t = 89_999;
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(api.loginCount, 1);
    clock.t = 90_000;
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(api.loginCount, 2);
  });

  test('issued tokens and the client secret are registered with the redactor', async () => {
    const { looker } = stubLooker(() => Response.json({}));
    const secrets = new SecretRedactor();
    await client(looker, { t: 0 }, [], secrets).request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(secrets.redact('a tok-1-abcdefabcdef b client-secret-xyz'), 'a ********** b **********');
  });

  test('a login answer without a token is a clear error', async () => {
    const looker = scriptedDispatcher(() => Response.json({ token_type: 'Bearer' }));
    await assert.rejects(client(looker).request({ method: 'GET', path: '/user', idempotent: true }), /sent no access_token/);
  });
});

describe('failures', () => {
  test('a dropped connection is retried for idempotent calls only', async () => {
    let failures = 1;
    const { looker, calls } = stubLooker(() => {
      if (failures-- > 0) throw fetchFailed('ECONNRESET', 'read ECONNRESET');
      return Response.json({ ok: true });
    });
    const sleeps: number[] = [];
    assert.deepEqual(await client(looker, { t: 0 }, sleeps).request({ method: 'GET', path: '/datagroups', idempotent: true }), { ok: true });
    assert.deepEqual(sleeps, [500]);

    failures = 1;
    await assert.rejects(
      client(looker).request({ method: 'POST', path: '/scheduled_plans/1/run_once', idempotent: false }),
      (e: unknown) => e instanceof ConnectorError && e.failureType === 'transient_error' && /read ECONNRESET \[ECONNRESET\]/.test(e.message),
    );
    assert.equal(calls.filter((c) => c.path.endsWith('/run_once')).length, 1);
  });

  test('an untrusted certificate is not retried and says how to trust a private CA', async () => {
    const { script, calls } = stubLooker(() => Response.json({}));
    const tlsFailing = scriptedDispatcher(async (url, request) => {
      if (url.pathname.endsWith('/login')) throw fetchFailed('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate');
      return script(url, request);
    });
    const sleeps: number[] = [];
    await assert.rejects(client(tlsFailing, { t: 0 }, sleeps).request({ method: 'GET', path: '/user', idempotent: true }), /TLS certificate is not trusted.*NODE_EXTRA_CA_CERTS/);
    assert.deepEqual(sleeps, []);
    assert.equal(calls.length, 0);
  });

  test('a host that does not resolve is a config error naming looker.base_url, tried once', async () => {
    let attempts = 0;
    const dnsFailing = scriptedDispatcher(async () => {
      attempts += 1;
      throw fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND looker.acme.test');
    });
    const sleeps: number[] = [];
    await assert.rejects(
      client(dnsFailing, { t: 0 }, sleeps).request({ method: 'GET', path: '/user', idempotent: true }),
      (e: unknown) => e instanceof ConnectorError && e.failureType === 'config_error' && /does not resolve.*looker\.base_url/.test(e.message),
    );
    assert.equal(attempts, 1);
    assert.deepEqual(sleeps, []);
  });

  test('403 names the missing permission, other 4xx carry Looker\'s message and status', async () => {
    const { looker } = stubLooker((url) =>
      url.pathname.endsWith('/forbidden')
        ? Response.json({ message: 'Not authorized', documentation_url: 'x' }, { status: 403 })
        : Response.json({ message: 'Validation Failed', documentation_url: 'x' }, { status: 422 }),
    );
    const api = client(looker);
    await assert.rejects(api.request({ method: 'GET', path: '/forbidden', idempotent: true }), /HTTP 403: Not authorized; the API user lacks the permission/);
    await assert.rejects(api.request({ method: 'PATCH', path: '/datagroups/1', json: {}, idempotent: true }), (e: unknown) => {
      assert.ok(e instanceof LookerApiError);
      assert.equal(e.status, 422);
      assert.equal(e.lookerMessage, 'Validation Failed');
      assert.equal(e.failureType, 'config_error');
      return true;
    });
  });

  test('a success that is not JSON is reported, not parsed into nonsense', async () => {
    const { looker } = stubLooker(() => new Response('<html>login page</html>', { status: 200 }));
    await assert.rejects(client(looker).request({ method: 'GET', path: '/datagroups', idempotent: true }), /body that is not JSON/);
  });

  test('logout never throws', async () => {
    const { looker } = stubLooker((url) => {
      if (url.pathname.endsWith('/logout')) throw fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED');
      return Response.json({});
    });
    const api = client(looker);
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    await api.logout();
    await api.logout();
  });
});

describe('clock', () => {
  test('the trigger time follows the server clock when it is behind, and ours when it is ahead', async () => {
    let serverOffset = -42_000;
    const clock = { t: Date.UTC(2025, 0, 15, 12, 0, 0, 700) };
    const looker = scriptedDispatcher(async (url) => {
      const date = new Date(clock.t + serverOffset).toUTCString();
      if (url.pathname.endsWith('/login')) return Response.json({ access_token: 'tok-clock-123456', expires_in: 3600 }, { headers: { Date: date } });
      return Response.json({}, { headers: { Date: date } });
    });
    const api = client(looker, clock);
    assert.equal(api.nowNotAheadOfServerSeconds(), Math.floor(clock.t / 1000), 'no answer seen yet: our clock');
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    clock.t += 5_000;
    assert.equal(api.nowNotAheadOfServerSeconds(), Math.floor((clock.t - 42_700) / 1000));
    serverOffset = 90_000;
    await api.request({ method: 'GET', path: '/user', idempotent: true });
    assert.equal(api.nowNotAheadOfServerSeconds(), Math.floor(clock.t / 1000));
  });
});

describe('API host check', () => {
  const version = (v: string) => ({ version: v, full_version: `${v}.0`, status: 'current', swagger_url: `/api/${v}/swagger.json` });

  test('a Looker offering API 4.0 passes, without a token', async () => {
    const { looker, calls } = stubLooker(() => Response.json({ current_version: version('4.0'), supported_versions: [version('3.1'), version('4.0')] }));
    await client(looker).checkApiHost();
    assert.deepEqual(calls, [{ method: 'GET', path: '/api/4.0/versions', authorization: undefined }]);
  });

  test('a host that is not Looker, or answers a page instead of the versions, is a config error naming base_url', async () => {
    for (const answer of [new Response('Not Found', { status: 404 }), new Response('<html>sign in</html>', { status: 200 }), Response.json({ ok: true })]) {
      const { looker } = stubLooker(() => answer);
      await assert.rejects(client(looker).checkApiHost(), (e: unknown) => e instanceof ConnectorError && e.failureType === 'config_error' && /https:\/\/looker\.acme\.test is not a Looker API host/.test(e.message));
    }
  });

  test('a Looker without API 4.0 is told so; an overloaded one is a transient failure', async () => {
    const { looker } = stubLooker(() => Response.json({ supported_versions: [version('3.1')] }));
    await assert.rejects(client(looker).checkApiHost(), /does not offer API 4\.0 \(it offers 3\.1\)/);
    const busy = stubLooker(() => new Response('', { status: 503 }));
    await assert.rejects(client(busy.looker).checkApiHost(), (e: unknown) => e instanceof ConnectorError && e.failureType === 'transient_error');
  });
});
