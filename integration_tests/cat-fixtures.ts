/**
 * The files Airbyte's connector acceptance suite (CAT) reads, made from the connector itself against
 * one documented simulator company: the configured catalog, a sample state, a future state for
 * every incremental stream, the expected records and acceptance-test-config.yml at high
 * strictness. refresh-fixtures.ts writes them; cat-fixtures.test.ts makes them again on a free
 * port and compares, so they never drift from what the connector does.
 */
import { configuredCatalog, openSession, read, type AirbyteStreamLike } from './acceptance/fixture.js';
import { lastStates, type ConnectorRun } from '../test/helpers/connector.js';
import { shippedStreams } from '../src/streams/definitions.js';
import { catalogEntries } from '../src/streams/catalog.js';
import { completedState } from '../src/streams/cursor/pass.js';
import type { SimulatorOptions } from '@sap-b1-airbyte/service-layer-simulator';

/**
 * The company the committed fixtures describe: small, seeded, on a fixed clock, at the port the
 * README documents. Anyone can start the same one for Airbyte's suite with CAT_SIMULATOR_COMMAND.
 */
export const CAT_SIMULATOR = { scale: 0.02, seed: 1, clockStart: '2026-11-25T10:00:00', tls: true, dialect: 'v2' } as const satisfies SimulatorOptions;
export const CAT_PORT = 50000;
export const CAT_BASE_URL = `https://127.0.0.1:${CAT_PORT}/b1s/v2`;
export const CAT_SIMULATOR_COMMAND =
  `npm run simulator -- --port ${CAT_PORT} --tls --scale ${CAT_SIMULATOR.scale} --seed ${CAT_SIMULATOR.seed} ` +
  `--clock-start ${CAT_SIMULATOR.clockStart} --clock-mode frozen --cert-out sl.pem`;

/** Records per stream in expected_records.jsonl: enough to catch a changed value, small enough to read. */
const EXPECTED_RECORDS_PER_STREAM = 10;
/** emitted_at of the expected records: CAT requires the field and does not compare it. */
const EXPECTED_EMITTED_AT = Date.parse(`${CAT_SIMULATOR.clockStart}Z`);
/** A cursor no record reaches: the future state of Airbyte's TestStateWithAbnormallyLargeValues. */
const FUTURE_DAY = '2099-01-01';
const FUTURE_KEY = 999_999_999;

export interface CatFixtures {
  'configured_catalog.json': string;
  'sample_state.json': string;
  'abnormal_state.json': string;
  'expected_records.jsonl': string;
  'acceptance-test-config.yml': string;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

/** Makes every fixture from a simulator started with CAT_SIMULATOR (on any port). */
export async function makeCatFixtures(port = CAT_PORT): Promise<CatFixtures> {
  const session = await openSession({ ...CAT_SIMULATOR, port });
  const { sim } = session;
  try {
    const catalog = configuredCatalog(session.streams);
    const incremental = await read(session, catalog);
    const fullRefresh = await read(session, configuredCatalog(session.streams, 'full_refresh'));
    for (const run of [incremental, fullRefresh]) if (run.code !== 0) throw new Error(`read failed: ${run.stderr.slice(-2000)}`);
    const expected = expectedRecords(fullRefresh, sim.baseUrl);
    const empty = session.streams.map((stream) => stream.name).filter((name) => !expected.some((line) => line.stream === name));
    return {
      'configured_catalog.json': json(catalog),
      'sample_state.json': json(lastStates(incremental)),
      'abnormal_state.json': json(futureState(session.streams)),
      'expected_records.jsonl': expected.map((line) => JSON.stringify(line)).join('\n') + '\n',
      'acceptance-test-config.yml': acceptanceTestConfig(empty),
    };
  } finally {
    await sim.stop();
  }
}

/** The first records of each stream, as a simulator at CAT_BASE_URL emits them. */
function expectedRecords(run: ConnectorRun, baseUrl: string): { stream: string; data: Record<string, unknown>; emitted_at: number }[] {
  const perStream = new Map<string, number>();
  const lines: { stream: string; data: Record<string, unknown>; emitted_at: number }[] = [];
  for (const message of run.messages) {
    if (message.type !== 'RECORD') continue;
    const { stream, data } = message.record as { stream: string; data: Record<string, unknown> };
    const count = perStream.get(stream) ?? 0;
    if (count >= EXPECTED_RECORDS_PER_STREAM) continue;
    perStream.set(stream, count + 1);
    const sourceUrl = data['_b1_source_url'];
    const documented = typeof sourceUrl === 'string' ? { _b1_source_url: sourceUrl.replace(baseUrl, CAT_BASE_URL) } : {};
    lines.push({ stream, data: { ...data, ...documented }, emitted_at: EXPECTED_EMITTED_AT });
  }
  return lines;
}

/** A state beyond any record for every incremental stream: what its cursor policy keeps after a pass started on a future day that read a key beyond any. */
function futureState(streams: AirbyteStreamLike[]): unknown[] {
  const policies = new Map(shippedStreams.flatMap((definition) => catalogEntries(definition).map((entry) => [entry.stream.name, entry.policy] as const)));
  return streams
    .filter((stream) => stream.supported_sync_modes.includes('incremental'))
    .map((stream) => ({
      type: 'STREAM',
      stream: {
        stream_descriptor: { name: stream.name },
        stream_state: completedState(policies.get(stream.name)!, undefined, FUTURE_DAY, FUTURE_KEY),
      },
    }));
}

function acceptanceTestConfig(emptyStreams: string[]): string {
  const empty =
    emptyStreams.length === 0
      ? ''
      : `        empty_streams:\n${emptyStreams.map((name) => `          - name: ${name}\n            bypass_reason: the simulator company has no ${name} at this scale\n`).join('')}`;
  return `# Airbyte connector acceptance test (CAT) configuration, to run Airbyte's own suite against the
# image. Generated by integration_tests/refresh-fixtures.ts; integration_tests/acceptance/cat-fixtures.test.ts
# keeps it, the catalog, the states and the expected records in step with the connector.
#
# secrets/config.json is not committed. The expected records are those of the simulator company
#   ${CAT_SIMULATOR_COMMAND}
# (it prints the password), read with service_layer_url ${CAT_BASE_URL}/ and tls.mode
# trusted_certificate with sl.pem (the connector container needs the host's network to reach it).
# expected_records.jsonl holds the first ${EXPECTED_RECORDS_PER_STREAM} records of every stream; the read may produce more.
connector_image: sap-b1-airbyte/source-sap-business-one:dev
test_strictness_level: high
acceptance_tests:
  spec:
    tests:
      - spec_path: schemas/spec.json
  connection:
    tests:
      - config_path: secrets/config.json
        status: succeed
      - config_path: integration_tests/invalid_config.json
        status: failed
  discovery:
    tests:
      - config_path: secrets/config.json
  basic_read:
    tests:
      - config_path: secrets/config.json
${empty}        expect_records:
          path: integration_tests/expected_records.jsonl
          extra_fields: no
          exact_order: no
          extra_records: yes
  full_refresh:
    tests:
      - config_path: secrets/config.json
        configured_catalog_path: integration_tests/configured_catalog.json
  incremental:
    tests:
      - config_path: secrets/config.json
        configured_catalog_path: integration_tests/configured_catalog.json
        future_state:
          future_state_path: integration_tests/abnormal_state.json
`;
}
