/**
 * The README's main command (`npm run demo`): starts the bundled Service Layer simulator (HTTPS
 * with a self-signed certificate, like most on-premise servers), then runs the built connector
 * exactly as Airbyte would, spec, check, discover, a first read and an incremental second read,
 * and prints what each step produced. Nothing here needs network access or a real SAP system.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import split2 from 'split2';
import { startServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';
import { configureStreams } from '../../test/helpers/catalog.js';
import { privateFolder } from '../../test/helpers/private-folder.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entrypoint = join(repoRoot, 'dist', 'main.js');

interface Message {
  type: string;
  [key: string]: unknown;
}

/** Runs one connector command and hands each stdout message to `onMessage` as it arrives. */
function connector(args: string[], onMessage: (message: Message) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entrypoint, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(split2(JSON.parse)).on('data', onMessage);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function readOnce(
  configPath: string,
  catalogPath: string,
  statePath?: string,
): Promise<{ counts: Map<string, number>; states: Map<string, unknown>; seconds: number; code: number }> {
  const counts = new Map<string, number>();
  const states = new Map<string, unknown>();
  const started = performance.now();
  const args = ['read', '--config', configPath, '--catalog', catalogPath, ...(statePath ? ['--state', statePath] : [])];
  const code = await connector(args, (message) => {
    if (message.type === 'RECORD') {
      const stream = (message.record as { stream: string }).stream;
      counts.set(stream, (counts.get(stream) ?? 0) + 1);
    } else if (message.type === 'STATE') {
      const state = message.state as { stream: { stream_descriptor: { name: string } } };
      states.set(state.stream.stream_descriptor.name, { type: 'STREAM', stream: state.stream });
    } else if (message.type === 'TRACE' && (message.trace as { type: string }).type === 'ERROR') {
      console.log(`  error: ${(message.trace as { error: { message: string } }).error.message}`);
    }
  });
  return { counts, states, seconds: (performance.now() - started) / 1000, code };
}

/** Records per stream, every configured stream listed: a stream the company has nothing for shows 0. */
function printCounts(streams: readonly string[], counts: Map<string, number>): void {
  const width = Math.max(...streams.map((name) => name.length));
  for (const stream of [...streams].sort((a, b) => a.localeCompare(b))) console.log(`  ${stream.padEnd(width)}  ${String(counts.get(stream) ?? 0).padStart(8)}`);
}

// The config holds the simulator's password: it lives in a private folder, removed at the end.
const files = privateFolder('sap-b1-demo-');
const file = (name: string, value: unknown): string => files.writeJson(name, value);
const sim = await startServiceLayerSimulator({ tls: true, dialect: 'v2', clockMode: 'running', loginDelayMs: 300 });
try {
  console.log(`Service Layer simulator: ${sim.baseUrl} (company ${sim.companyDb}, self-signed certificate pinned in the config)\n`);
  const configPath = file('config.json', {
    service_layer_url: `${sim.baseUrl}/`,
    credentials: { auth_type: 'session_login', company_db: sim.companyDb, username: sim.username, password: sim.password },
    tls: { mode: 'trusted_certificate', certificate_pem: sim.certificatePem },
    page_size: 200,
  });

  let specProperties = 0;
  await connector(['spec'], (m) => {
    if (m.type === 'SPEC')
      specProperties = Object.keys((m.spec as { connectionSpecification: { properties: object } }).connectionSpecification.properties).length;
  });
  console.log(`spec: ${specProperties} config settings`);

  let status = '';
  await connector(['check', '--config', configPath], (m) => {
    if (m.type === 'CONNECTION_STATUS') status = JSON.stringify(m.connectionStatus);
  });
  console.log(`check: ${status}`);

  let streams: { name: string; supported_sync_modes: string[]; source_defined_primary_key?: string[][]; default_cursor_field?: string[] }[] = [];
  await connector(['discover', '--config', configPath], (m) => {
    if (m.type === 'CATALOG') streams = (m.catalog as { streams: typeof streams }).streams;
  });
  console.log(`discover: ${streams.length} streams (${streams.filter((s) => s.supported_sync_modes.includes('incremental')).length} incremental)\n`);

  const catalogPath = file('configured_catalog.json', configureStreams(streams));

  const first = await readOnce(configPath, catalogPath);
  const total = [...first.counts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `read (first sync): ${total} records in ${first.seconds.toFixed(1)} s (${Math.round(total / first.seconds)} records/s), exit ${first.code}`,
  );
  printCounts(
    streams.map((stream) => stream.name),
    first.counts,
  );

  const statePath = file('state.json', [...first.states.values()]);
  const second = await readOnce(configPath, catalogPath, statePath);
  const secondTotal = [...second.counts.values()].reduce((a, b) => a + b, 0);
  console.log(`\nread (second sync, from the saved state): ${secondTotal} records in ${second.seconds.toFixed(1)} s, exit ${second.code}`);
  console.log(
    '  incremental streams re-read only what changed since the day the first sync started (and payments/journal entries in the re-read window);',
  );
  console.log('  master data, items and business partners are read in full every time.');
  process.exitCode = first.code === 0 && second.code === 0 ? 0 : 1;
} finally {
  await sim.stop();
  files.remove();
}
