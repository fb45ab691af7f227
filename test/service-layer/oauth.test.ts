import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { withSpecDefaults, type ResolvedConfig } from '../../src/config/load.js';
import { ServiceLayerClient } from '../../src/service-layer/client.js';
import { SecretRedactor } from '../../src/logging.js';
import { assertNoSecrets, captureLogger, fakeTime, startFakeServer, type FakeRequest, type Reply } from './helpers.js';

const CLIENT_ID = 'connector client';
const CLIENT_SECRET = 'cl1ent:secret/+=';

interface Provider {
  tokenUrl: string;
  root: string;
  issued: string[];
  tokenRequests: FakeRequest[];
  dataRequests: FakeRequest[];
  /** Tokens the Service Layer no longer accepts. */
  revoked: Set<string>;
  /** When set, the Service Layer accepts no token at all. */
  refuseAll: boolean;
  close(): Promise<void>;
}

/** An identity provider and a Service Layer that accepts its bearer tokens, on one fake server. */
async function startProvider(options: { expiresIn?: number; token?: (count: number) => Reply | undefined } = {}): Promise<Provider> {
  const issued: string[] = [];
  const tokenRequests: FakeRequest[] = [];
  const dataRequests: FakeRequest[] = [];
  const revoked = new Set<string>();
  let provider: Provider;
  const server = await startFakeServer((request) => {
    if (request.url === '/auth/token') {
      tokenRequests.push(request);
      const override = options.token?.(tokenRequests.length);
      if (override) return override;
      const token = `tok-${tokenRequests.length}-${Math.random().toString(36).slice(2)}`;
      issued.push(token);
      return { body: { access_token: token, token_type: 'Bearer', ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }) } };
    }
    dataRequests.push(request);
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!token || !issued.includes(token) || revoked.has(token) || provider.refuseAll) {
      return { status: 401, body: { error: { code: '301', message: 'Invalid session or session already timeout.' } } };
    }
    return { body: { value: [{ token }] } };
  });
  provider = {
    tokenUrl: `${server.origin}/auth/token`,
    root: `${server.origin}/b1s/v2/`,
    issued,
    tokenRequests,
    dataRequests,
    revoked,
    refuseAll: false,
    close: () => server.close(),
  };
  return provider;
}

function oauthConfig(provider: Provider, scope?: string): ResolvedConfig {
  return withSpecDefaults({
    service_layer_url: provider.root,
    credentials: {
      auth_type: 'oauth2_client_credentials',
      token_url: provider.tokenUrl,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      ...(scope === undefined ? {} : { scope }),
    },
  });
}

test('the token request uses client_secret_basic and the client credentials grant; the token goes as a bearer token', async (t) => {
  const provider = await startProvider({ expiresIn: 3600 });
  t.after(() => provider.close());
  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider, 'b1 read'), logger, ...fakeTime().options });
  t.after(() => client.close());

  const body = await client.getJson<{ value: { token: string }[] }>('Items');
  assert.equal(body.value[0]!.token, provider.issued[0]);

  const tokenRequest = provider.tokenRequests[0]!;
  assert.equal(tokenRequest.method, 'POST');
  assert.equal(tokenRequest.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenRequest.body)), { grant_type: 'client_credentials', scope: 'b1 read' });
  const basic = /^Basic (.+)$/.exec(String(tokenRequest.headers.authorization))![1]!;
  const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
  // RFC 6749 2.3.1: each part is form-encoded before base64.
  assert.equal(id, 'connector+client');
  assert.equal(decodeURIComponent(secret!.replace(/\+/g, ' ')), CLIENT_SECRET);
  assert.ok(!tokenRequest.body.includes('client_secret'), 'the secret is not sent in the body as well');
  assert.equal(provider.dataRequests[0]!.headers.cookie, undefined);
  assertNoSecrets(logger, [CLIENT_SECRET, basic, ...provider.issued]);
});

test('the token is cached across requests and shared by concurrent first requests', async (t) => {
  const provider = await startProvider({ expiresIn: 3600 });
  t.after(() => provider.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await Promise.all(Array.from({ length: 5 }, () => client.getJson('Items')));
  for (let i = 0; i < 3; i++) await client.getJson('Items');
  assert.equal(provider.tokenRequests.length, 1);
  assert.equal(client.stats.signIns, 1);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(provider.tokenRequests[0]!.body)), { grant_type: 'client_credentials' });
});

test('a new token is fetched shortly before the old one expires', async (t) => {
  const provider = await startProvider({ expiresIn: 300 });
  t.after(() => provider.close());
  const time = fakeTime();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...time.options });
  t.after(() => client.close());
  await client.getJson('Items');
  time.advance(250_000);
  await client.getJson('Items');
  assert.equal(provider.tokenRequests.length, 1);
  time.advance(25_000);
  // 275 s of 300: inside the renewal margin.
  await client.getJson('Items');
  assert.equal(provider.tokenRequests.length, 2);
  assert.equal(provider.dataRequests.at(-1)!.headers.authorization, `Bearer ${provider.issued[1]}`);
});

test('a 401 fetches a new token once and replays the request once', async (t) => {
  const provider = await startProvider();
  t.after(() => provider.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items');
  provider.revoked.add(provider.issued[0]!);
  const body = await client.getJson<{ value: { token: string }[] }>('Items');
  assert.equal(body.value[0]!.token, provider.issued[1]);
  assert.equal(provider.tokenRequests.length, 2);
  assert.equal(provider.dataRequests.length, 3);
});

test('a 401 that persists with a new token is a config_error, after one replay', async (t) => {
  const provider = await startProvider();
  t.after(() => provider.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.connect();
  provider.refuseAll = true;
  await assert.rejects(client.getJson('Items'), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /new access token/);
    return true;
  });
  assert.equal(provider.dataRequests.length, 2);
  assert.equal(provider.tokenRequests.length, 2);
});

test('refused client credentials are a config_error with the provider’s error, not retried', async (t) => {
  const provider = await startProvider({
    token: () => ({ status: 401, body: { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' } }),
  });
  t.after(() => provider.close());
  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger, ...fakeTime().options });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /invalid_client/);
    assert.match(error.message, /credentials\.client_secret/);
    return true;
  });
  assert.equal(provider.tokenRequests.length, 1);
  assertNoSecrets(logger, [CLIENT_SECRET]);
  // The refusal is remembered: no second token request, whichever request asks next.
  await assert.rejects(client.getJson('Items'), /invalid_client/);
  await assert.rejects(client.getText('$metadata'), /invalid_client/);
  assert.equal(provider.tokenRequests.length, 1);
  assert.equal(provider.dataRequests.length, 0);
});

test('a token endpoint answering 503 is retried', async (t) => {
  const provider = await startProvider({ token: (count) => (count === 1 ? { status: 503, body: 'down' } : undefined) });
  t.after(() => provider.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await client.getJson('Items');
  assert.equal(provider.tokenRequests.length, 2);
  assert.equal(client.stats.retries, 1);
});

test('close() of an OAuth client sends nothing and is idempotent', async (t) => {
  const provider = await startProvider();
  t.after(() => provider.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: oauthConfig(provider), logger: captureLogger(), ...fakeTime().options });
  await client.getJson('Items');
  const before = provider.tokenRequests.length + provider.dataRequests.length;
  await client.close();
  await client.close();
  assert.equal(provider.tokenRequests.length + provider.dataRequests.length, before);
});
