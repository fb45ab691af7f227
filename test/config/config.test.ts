import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { unreadableFileMessage } from '../../src/config/json-file.js';
import { ConnectorError } from '../../src/errors.js';
import { SecretRedactor } from '../../src/logging.js';
import { snakeCase } from '../../src/metadata/naming.js';

const valid = {
  service_layer_url: 'https://b1:50000/b1s/v2/',
  credentials: { auth_type: 'session_login', company_db: 'SBO', username: 'manager', password: 'Pa55-word-config-test' },
};

test('a valid config gets the spec defaults and its secrets are registered for redaction', () => {
  const secrets = new SecretRedactor();
  const config = parseConfig(valid, secrets);
  assert.equal(config.page_size, 20);
  assert.equal(config.reread_window_days, 60);
  assert.deepEqual(config.tls, { mode: 'verify' });
  assert.equal(secrets.redact('the password is Pa55-word-config-test'), 'the password is **********');
});

test('an invalid config is a config_error naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...valid, service_layer_url: 'https://b1:50000/api' }, /service_layer_url must look like/],
    [{ ...valid, credentials: { auth_type: 'session_login', company_db: 'SBO', username: 'manager' } }, /credentials\.password is required/],
    [{ ...valid, credentials: { auth_type: 'basic' } }, /credentials\.auth_type must be one of/],
    [{ ...valid, tls: { mode: 'trusted_certificate' } }, /tls\.certificate_pem is required/],
    [{ ...valid, page_size: 0 }, /page_size must be >= 1/],
    [{ ...valid, start_date: '01/02/2024' }, /start_date must look like YYYY-MM-DD/],
    [{ ...valid, custom_entity_sets: [{ entity_set: 'U_X' }] }, /custom_entity_sets\.0\.primary_key is required/],
    [[], /must be a JSON object/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseConfig(input, new SecretRedactor()),
      (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && message.test(error.message),
      JSON.stringify(input),
    );
  }
});

function warningsOf(config: unknown): string[] {
  const warnings: string[] = [];
  parseConfig(config, new SecretRedactor(), { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) });
  return warnings;
}

test('unknown settings, top-level or nested (in the chosen option, in list items), are warnings that name them', () => {
  const warnings = warningsOf({
    ...valid,
    page_sise: 100,
    credentials: { ...valid.credentials, pasword: 'x' },
    tls: { mode: 'trusted_certificate', certificate_pem: '-----BEGIN CERTIFICATE-----', certificate: 'x' },
    custom_entity_sets: [{ entity_set: 'U_X', primary_key: 'Code', primary_keys: ['Code'] }],
    looker: { base_url: 'https://l.test', client_id: 'c', client_secret: 's', datagroups: [{ model: 'm', name: 'n', modle: 'x' }] },
  });
  const named = warnings.map((w) => /^(\S+) is not a known setting/.exec(w)?.[1]).filter((path) => path !== undefined);
  assert.deepEqual(named.sort(), [
    'credentials.pasword',
    'custom_entity_sets.0.primary_keys',
    'looker.datagroups.0.modle',
    'page_sise',
    'tls.certificate',
  ]);
  assert.deepEqual(warningsOf(valid), [], 'a config with known settings only warns about nothing');
});

test('start_date: empty or absent means all history; a day that does not exist is an error; a future day is a warning', () => {
  assert.equal(parseConfig({ ...valid, start_date: '' }, new SecretRedactor()).start_date, undefined);
  assert.equal(parseConfig(valid, new SecretRedactor()).start_date, undefined);
  assert.equal(parseConfig({ ...valid, replay_since: '' }, new SecretRedactor()).replay_since, undefined);
  assert.equal(parseConfig({ ...valid, start_date: '2024-02-29' }, new SecretRedactor()).start_date, '2024-02-29');
  assert.throws(() => parseConfig({ ...valid, start_date: '2023-02-29' }, new SecretRedactor()), /start_date 2023-02-29 is not a day of the calendar/);
  const nextYear = new Date().getUTCFullYear() + 1;
  assert.match(warningsOf({ ...valid, start_date: `${nextYear}-06-01` }).join('\n'), new RegExp(`start_date ${nextYear}-06-01 is in the future`));
  assert.deepEqual(warningsOf({ ...valid, start_date: '2020-01-01' }), []);
});

test('each validation error is reported once', () => {
  for (const [input, setting] of [
    [{ ...valid, start_date: 'yesterday' }, 'start_date'],
    [{ ...valid, page_size: 0.5 }, 'page_size'],
    [{ ...valid, max_retries: -1.5 }, 'max_retries'],
    [{ ...valid, credentials: { ...valid.credentials, password: '' } }, 'credentials.password'],
  ] as const) {
    assert.throws(
      () => parseConfig(input, new SecretRedactor()),
      (error: unknown) => error instanceof ConnectorError && error.message.split(setting).length - 1 === 1,
      setting,
    );
  }
});

test('column names are the snake_case of SAP property names', () => {
  const expected: Record<string, string> = {
    DocEntry: 'doc_entry',
    DocTotalFC: 'doc_total_fc',
    DocTotalFc: 'doc_total_fc',
    Line_ID: 'line_id',
    U_Region: 'u_region',
    CostingCode2: 'costing_code2',
    COGSAccountCode: 'cogs_account_code',
    UoMCode: 'uom_code',
    BPL_IDAssignedToInvoice: 'bpl_id_assigned_to_invoice',
    Balance_FrgnCurr: 'balance_frgn_curr',
  };
  for (const [sap, column] of Object.entries(expected)) assert.equal(snakeCase(sap), column, sap);
});

test('a config file the process may not read says who owns it, who runs, and both fixes', () => {
  const inImage = unreadableFileMessage('/data/config.json', '--config', { uid: 0, mode: 0o100600 }, 1000, true);
  assert.match(inImage, /--config file \/data\/config\.json: permission denied\. It belongs to uid 0 and has mode 600\./);
  assert.match(inImage, /The container runs as uid 1000 \(user node\)/);
  assert.match(inImage, /chmod 644/);
  assert.match(inImage, /docker run --user "\$\(id -u\)"/);
  const onHost = unreadableFileMessage('config.json', '--config', undefined, 1001, false);
  assert.match(onHost, /This process runs as uid 1001/);
});
