import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { SecretRedactor } from '../../src/logging.js';
import { connectionSettings, parseServiceRoot } from '../../src/service-layer/settings.js';

test('the service root is normalised and the dialect read from it', () => {
  assert.deepEqual(
    { ...parseServiceRoot('https://b1-server:50000/b1s/v2'), serviceRoot: parseServiceRoot('https://b1-server:50000/b1s/v2').serviceRoot.href },
    { serviceRoot: 'https://b1-server:50000/b1s/v2/', dialect: 'v2' },
  );
  assert.equal(parseServiceRoot(' http://10.0.0.5:50000/b1s/v1/ ').dialect, 'v1');
  assert.equal(parseServiceRoot('https://gw.example.com/sap/b1s/v1/').serviceRoot.href, 'https://gw.example.com/sap/b1s/v1/');
  for (const bad of ['b1-server:50000/b1s/v2', 'ftp://b1/b1s/v2', 'https://b1:50000/b1s/v3', 'https://b1:50000/b1s/v2/Items', 'https://u:p@b1/b1s/v2', 'https://b1/b1s/v2?x=1']) {
    assert.throws(() => parseServiceRoot(bad), (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error', bad);
  }
});

test('connection settings get the spec’s defaults, applied once by the config loader, when the config leaves them out', () => {
  const config = parseConfig(
    { service_layer_url: 'https://b1:50000/b1s/v2', credentials: { auth_type: 'session_login', company_db: 'X', username: 'u', password: 'p' } },
    new SecretRedactor(),
  );
  assert.deepEqual(config.tls, { mode: 'verify' });
  const settings = connectionSettings(config);
  assert.equal(settings.requestTimeoutMs, 120_000);
  assert.equal(settings.maxRetries, 8);
  assert.equal(settings.maxRetryMs, 600_000);
});
