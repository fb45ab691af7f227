import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import selfsigned from 'selfsigned';
import { ConnectorError } from '../../src/errors.js';
import { withSpecDefaults } from '../../src/config/load.js';
import { ServiceLayerClient } from '../../src/service-layer/client.js';
import { SecretRedactor } from '../../src/logging.js';
import { captureLogger, fakeTime, PASSWORD, sessionConfig, startFakeServer, USER, COMPANY_DB, type FakeServer } from './helpers.js';

async function certificate(altNames: { type: 2 | 7; value?: string; ip?: string }[]) {
  return selfsigned.generate([{ name: 'commonName', value: 'b1-server' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames }],
  });
}

let server: FakeServer;
let serverCert: string;
let otherCert: string;
let localhostOnly: FakeServer;
let localhostOnlyCert: string;

const answer = (request: { url: string }) =>
  request.url === '/auth/token'
    ? { body: { access_token: 'tls-token', token_type: 'Bearer', expires_in: 3600 } }
    : request.url.endsWith('/Login')
    ? { headers: { 'set-cookie': ['B1SESSION=tls-session;HttpOnly;', 'ROUTEID=.node1; path=/b1s'] }, body: { SessionId: 'tls-session', SessionTimeout: 30 } }
    : { body: { value: [{ ItemCode: 'A1' }] } };

before(async () => {
  const pems = await certificate([
    { type: 7, ip: '127.0.0.1' },
    { type: 2, value: 'localhost' },
  ]);
  serverCert = pems.cert;
  server = await startFakeServer(answer, { key: pems.private, cert: pems.cert });
  otherCert = (await certificate([{ type: 7, ip: '127.0.0.1' }])).cert;
  const localhostPems = await certificate([{ type: 2, value: 'localhost' }]);
  localhostOnlyCert = localhostPems.cert;
  localhostOnly = await startFakeServer(answer, { key: localhostPems.private, cert: localhostPems.cert });
});

after(async () => {
  await server.close();
  await localhostOnly.close();
});

function clientFor(origin: string, tls: NonNullable<Parameters<typeof sessionConfig>[1]>['tls'], logger = captureLogger()) {
  return new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(`${origin}/b1s/v2`, { tls, max_retries: 1 }), logger, ...fakeTime().options });
}

test('trusted_certificate: the pinned self-signed certificate is trusted', async (t) => {
  const client = clientFor(server.origin, { mode: 'trusted_certificate', certificate_pem: serverCert });
  t.after(() => client.close());
  assert.deepEqual(await client.getJson('Items'), { value: [{ ItemCode: 'A1' }] });
});

test('verify (the default): a self-signed certificate is a config_error that names the tls options', async (t) => {
  for (const tls of [undefined, { mode: 'verify' as const }]) {
    const client = clientFor(server.origin, tls);
    t.after(() => client.close());
    await assert.rejects(client.connect(), (error: unknown) => {
      assert.ok(error instanceof ConnectorError);
      assert.equal(error.failureType, 'config_error');
      assert.match(error.message, /not trusted/);
      assert.match(error.message, /trusted_certificate/);
      assert.match(error.message, /tls\.certificate_pem/);
      assert.match(error.message, /accept_self_signed/);
        return true;
    });
    assert.equal(client.stats.retries, 0, 'a certificate failure is not retried');
  }
});

test('trusted_certificate: another certificate than the server’s is refused', async (t) => {
  const client = clientFor(server.origin, { mode: 'trusted_certificate', certificate_pem: otherCert });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /tls\.certificate_pem/);
    return true;
  });
});

test('trusted_certificate: the host name is still checked', async (t) => {
  const client = clientFor(localhostOnly.origin, { mode: 'trusted_certificate', certificate_pem: localhostOnlyCert });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /not issued for host "127\.0\.0\.1"/);
    return true;
  });
});

test('accept_self_signed: connects, and warns once', async (t) => {
  const logger = captureLogger();
  const client = clientFor(server.origin, { mode: 'accept_self_signed' }, logger);
  t.after(() => client.close());
  await client.getJson('Items');
  await client.getJson('Items');
  const warnings = logger.lines.filter((l) => l.level === 'WARN');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /accept_self_signed/);
  assert.ok(!logger.lines.some((l) => l.message.includes(PASSWORD) || l.message.includes('tls-session')));
});

test('the TLS options stay with the client: other HTTPS connections of the process still verify', async (t) => {
  const client = clientFor(server.origin, { mode: 'accept_self_signed' });
  t.after(() => client.close());
  await client.connect();
  await assert.rejects(
    new Promise((resolve, reject) => {
      https.get(`${server.origin}/b1s/v2/Items`, (res) => resolve(res.statusCode)).on('error', reject);
    }),
    /self.signed/i,
  );
  await assert.rejects(fetch(`${server.origin}/b1s/v2/Items`));
});

test('a certificate_pem that is not a certificate is a config_error at once', () => {
  for (const pem of ['not a pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']) {
    assert.throws(
      () => clientFor(server.origin, { mode: 'trusted_certificate', certificate_pem: pem }),
      (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && /tls\.certificate_pem/.test(error.message),
    );
  }
});

test('https:// against a plain HTTP port is a config_error about the scheme', async (t) => {
  const plain = await startFakeServer(answer);
  t.after(() => plain.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: withSpecDefaults({
      service_layer_url: `${plain.origin.replace('http:', 'https:')}/b1s/v2`,
      credentials: { auth_type: 'session_login', company_db: COMPANY_DB, username: USER, password: PASSWORD },
      max_retries: 1,
    }),
    logger: captureLogger(),
    ...fakeTime().options,
  });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /does not speak HTTPS/);
    return true;
  });
});

test('http:// against an HTTPS port is a config_error saying to use https://, at the first attempt', async (t) => {
  // A Node TLS server, like many, closes the connection without a word on a plain HTTP request
  // (undici: UND_ERR_SOCKET "other side closed"), which must not be retried as a dropped connection.
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: sessionConfig(`${server.origin.replace('https:', 'http:')}/b1s/v2`, { max_retries: 5 }),
    logger: captureLogger(),
    ...fakeTime().options,
  });
  t.after(() => client.close());
  await assertPlainHttpToTlsPort(client.connect());
  assert.equal(client.stats.retries, 0);
});

/** The run-ending config_error that says to use https://, and is not mistaken for a refused sign-in. */
async function assertPlainHttpToTlsPort(attempt: Promise<unknown>): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConnectorError, String(error));
  assert.equal(error.failureType, 'config_error');
  assert.ok(error.endsRun);
  assert.match(error.message, /speaks HTTPS on port \d+.*Use https:\/\/127\.0\.0\.1:\d+/);
  assert.doesNotMatch(error.message, /credentials/);
}

test("http:// answered with Apache's or nginx's 400 for plain HTTP on a TLS port is the same config_error", async (t) => {
  for (const body of [
    '<html><head><title>400 Bad Request</title></head><body><p>Your browser sent a request that this server could not understand.<br />Reason: You&#39;re speaking plain HTTP to an SSL-enabled server port.</p></body></html>',
    '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head><body></body></html>',
  ]) {
    const proxy = await startFakeServer(() => ({ status: 400, body, headers: { 'content-type': 'text/html' } }));
    t.after(() => proxy.close());
    const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(`${proxy.origin}/b1s/v2`), logger: captureLogger(), ...fakeTime().options });
    t.after(() => client.close());
    await assertPlainHttpToTlsPort(client.connect());
    assert.equal(proxy.requests.length, 1);
  }
});

test('an OAuth token endpoint on another host name gets the same TLS settings, with public CAs trusted besides a pin', async (t) => {
  // localhost and 127.0.0.1 are different host names for the client, though the same server here.
  const tokenOrigin = server.origin.replace('127.0.0.1', 'localhost');
  for (const tls of [{ mode: 'trusted_certificate' as const, certificate_pem: serverCert }, { mode: 'accept_self_signed' as const }]) {
    const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
      config: withSpecDefaults({
        service_layer_url: `${server.origin}/b1s/v2`,
        credentials: { auth_type: 'oauth2_client_credentials', token_url: `${tokenOrigin}/auth/token`, client_id: 'c', client_secret: 's' },
        tls,
      }),
      logger: captureLogger(),
      ...fakeTime().options,
    });
    t.after(() => client.close());
    assert.deepEqual(await client.getJson('Items'), { value: [{ ItemCode: 'A1' }] }, tls.mode);
  }
  const verifying = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: withSpecDefaults({
      service_layer_url: `${server.origin}/b1s/v2`,
      credentials: { auth_type: 'oauth2_client_credentials', token_url: `${tokenOrigin}/auth/token`, client_id: 'c', client_secret: 's' },
      max_retries: 0,
    }),
    logger: captureLogger(),
    ...fakeTime().options,
  });
  t.after(() => verifying.close());
  await assert.rejects(verifying.connect(), (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && /localhost/.test(error.message));
});
