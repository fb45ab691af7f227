/**
 * Performance figures, printed (never asserted in a timed test), in one run and side by side:
 *
 * - For two Service Layer profiles of the simulator (a fast one: 20 ms per request; a server-bound
 *   one: 150 ms per request on 4 workers, a session's requests served one after another), the
 *   connector's records per second and peak RSS at concurrency 1 and 4, against the floor: a bare
 *   client (bare-client.ts) that signs in and sends, one after another, the very page requests the
 *   connector's concurrency-1 run sent, and only reads and JSON.parses each answer. The ratio is
 *   the bare client's time over the connector's for those pages (above 1: the connector is faster).
 * - Peak RSS of a read of two million records or more.
 *
 *   npm run benchmark
 *   npm run benchmark -- --fast-scale 2 --bound-scale 0.25 --volume-scale 18   # the defaults
 *   npm run benchmark -- --volume-only                                          # only the large read
 *
 * Every read is of the whole catalog (every stream the connector offers), full refresh, pages of
 * 500 records, after one untimed read that warms the simulator up; the simulator runs in this process, the connector and the bare client in their own,
 * and the connector's output goes to a process of its own too, as it goes to a destination. The
 * connector is started as the image starts it, through its entrypoint (src/docker-entrypoint.sh),
 * with the Node heap options the image runs it with.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServiceLayerSimulator, type ServiceLayerSimulator, type SimulatorOptions } from '@sap-b1-airbyte/service-layer-simulator';
import { privateFolder } from '../../test/helpers/private-folder.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// The connector runs as the image runs it: through its entrypoint, which sets Node's heap options.
const entrypoint = join(repoRoot, 'src', 'docker-entrypoint.sh');
const bareClientScript = join(repoRoot, 'integration_tests', 'benchmark', 'bare-client.ts');
// Configs and plans hold the simulator's password: a private folder, removed when the benchmark ends.
const files = privateFolder('sap-b1-bench-');
process.on('exit', () => files.remove());

const PAGE_SIZE = 500;
const CONCURRENCIES = [1, 4];
const RECORD_COST_MICROS = 10;

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Profile {
  name: string;
  scale: number;
  server: SimulatorOptions;
}

const volumeOnly = process.argv.includes('--volume-only');
const allProfiles: Profile[] = [
  { name: 'fast (20 ms/request)', scale: numberArg('fast-scale', 2), server: { requestCostMs: 20, recordCostMicros: RECORD_COST_MICROS } },
  {
    name: 'server-bound (150 ms/request, 4 workers)',
    scale: numberArg('bound-scale', 0.25),
    server: { requestCostMs: 150, recordCostMicros: RECORD_COST_MICROS, workers: 4 },
  },
];
const profiles = volumeOnly ? [] : allProfiles;
const volumeScale = numberArg('volume-scale', 18);

interface ConnectorRun {
  records: number;
  seconds: number;
  peakRssMb: number;
}

/** The connector's peak resident memory, as the kernel counts it (VmHWM), read until the process ends. */
function peakRssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // the process has just exited
    }
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Runs the connector; a read's output goes to `destination` and is not kept, anything else's is returned. */
function connector(args: string[]): Promise<{ stdout: string; run: ConnectorRun }> {
  const read = args[0] === 'read';
  const reader = read ? destination() : undefined;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('sh', [entrypoint, ...args], { stdio: ['ignore', reader ? reader.stdin : 'pipe', 'inherit'] });
    const sampler = peakRssSampler(child.pid!);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', async (code) => {
      const peakRssMb = sampler.stop();
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`the connector's ${args[0]} exited with ${code}`));
      try {
        resolve({ stdout, run: { records: reader ? await reader.records : 0, seconds, peakRssMb } });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * What reads a sync's output, in a process of its own as an Airbyte destination is, so that it
 * takes no time from the simulator: grep, counting the RECORD lines.
 */
function destination(): { stdin: Writable; records: Promise<number> } {
  const grep = spawn('grep', ['-c', '^{"type":"RECORD"'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  grep.stdout.on('data', (chunk) => (out += chunk));
  const records = new Promise<number>((resolve, reject) => {
    grep.on('error', reject);
    // grep exits 1 when it counted no line.
    grep.on('close', (code) => (code === 0 || code === 1 ? resolve(Number(out.trim())) : reject(new Error(`grep exited with ${code}`))));
  });
  records.catch(() => undefined);
  // The connector holds the pipe from here on; this process's end would keep grep from ever seeing its end.
  const stdin = grep.stdin;
  queueMicrotask(() => stdin.destroy());
  return { stdin, records };
}

/** The bare client, in a process of its own, sending `requests` one after another. */
function bareClient(sim: ServiceLayerSimulator, requests: { path: string; prefer?: string }[]): Promise<{ seconds: number; entities: number }> {
  const root = new URL(sim.baseUrl);
  const plan = files.writeJson(`plan-${Date.now()}.json`, {
    origin: root.origin,
    loginPath: `${root.pathname}/Login`,
    logoutPath: `${root.pathname}/Logout`,
    credentials: { CompanyDB: sim.companyDb, UserName: sim.username, Password: sim.password },
    requests,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bareClientScript, plan], { stdio: ['ignore', 'pipe', 'inherit'], cwd: repoRoot });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { seconds: number; entities: number }) : reject(new Error(`the bare client exited with ${code}`))));
  });
}

async function wholeCatalog(sim: ServiceLayerSimulator, concurrency: number): Promise<{ config: string; catalog: string }> {
  const config = files.writeJson(`config-${Date.now()}-${concurrency}.json`, {
    service_layer_url: `${sim.baseUrl}/`,
    credentials: { auth_type: 'session_login', company_db: sim.companyDb, username: sim.username, password: sim.password },
    page_size: PAGE_SIZE,
    concurrency,
  });
  const { stdout } = await connector(['discover', '--config', config]);
  const line = stdout.split('\n').find((each) => each.includes('"type":"CATALOG"'));
  if (!line) throw new Error('discover printed no catalog');
  const streams = (JSON.parse(line) as { catalog: { streams: unknown[] } }).catalog.streams;
  const catalog = files.writeJson(`catalog-${Date.now()}.json`, {
    streams: streams.map((stream) => ({ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })),
  });
  return { config, catalog };
}

/** The page requests of the connector's read since `from` in the request log: what the bare client sends again. */
function pageRequests(sim: ServiceLayerSimulator, from: number): { path: string; prefer?: string }[] {
  return sim.requestLog
    .slice(from)
    .filter((entry) => entry.method === 'GET' && entry.path.includes('$orderby') && !entry.path.includes('$top=1') && !entry.path.includes('/$count'))
    .map((entry) => ({ path: entry.path, ...(entry.headers.prefer ? { prefer: entry.headers.prefer } : {}) }));
}

const rate = (records: number, seconds: number): string => Math.round(records / seconds).toLocaleString('en-US');
const rows: string[][] = [];
const speedups: string[] = [];

for (const profile of profiles) {
  const sim = await startServiceLayerSimulator({ scale: profile.scale, clockStart: '2026-11-25T10:00:00', ...profile.server });
  try {
    const runs = new Map<number, ConnectorRun>();
    let floor: { seconds: number; entities: number; records: number } | undefined;
    // An untimed read first: a fresh simulator's first read also pays its own warm-up (compiling its
    // code, computing its books once), which would fall on the concurrency-1 run alone, while the
    // bare client, which follows it, meets a warm server. Every timed run meets a warm one.
    {
      const { config, catalog } = await wholeCatalog(sim, 1);
      await connector(['read', '--config', config, '--catalog', catalog]);
    }
    for (const concurrency of CONCURRENCIES) {
      const { config, catalog } = await wholeCatalog(sim, concurrency);
      const from = sim.requestLog.length;
      const { run } = await connector(['read', '--config', config, '--catalog', catalog]);
      runs.set(concurrency, run);
      if (!floor) {
        const bare = await bareClient(sim, pageRequests(sim, from));
        floor = { ...bare, records: run.records };
      }
      console.error(`${profile.name}, concurrency ${concurrency}: ${run.records} records in ${run.seconds.toFixed(1)} s`);
    }
    for (const [concurrency, run] of runs) {
      rows.push([
        profile.name,
        `${profile.scale}`,
        `${concurrency}`,
        `${run.records.toLocaleString('en-US')} in ${run.seconds.toFixed(1)} s`,
        rate(run.records, run.seconds),
        `${floor!.entities.toLocaleString('en-US')} documents in ${floor!.seconds.toFixed(1)} s (${rate(floor!.records, floor!.seconds)} records/s)`,
        (floor!.seconds / run.seconds).toFixed(2),
        run.peakRssMb.toFixed(0),
      ]);
    }
    const one = runs.get(1)!;
    const four = runs.get(4)!;
    speedups.push(`${profile.name}: concurrency 4 is ${(one.seconds / four.seconds).toFixed(2)}x concurrency 1 (${one.records === four.records ? 'the same' : 'NOT the same'} number of records).`);
  } finally {
    await sim.stop();
  }
}

const volume: { records: number; rows: string[] } = { records: 0, rows: [] };
{
  const sim = await startServiceLayerSimulator({ scale: volumeScale, clockStart: '2026-11-25T10:00:00' });
  try {
    for (const concurrency of [4]) {
      const { config, catalog } = await wholeCatalog(sim, concurrency);
      const { run } = await connector(['read', '--config', config, '--catalog', catalog]);
      console.error(`volume, concurrency ${concurrency}: ${run.records} records in ${run.seconds.toFixed(1)} s`);
      volume.rows.push(
        `Volume (scale ${volumeScale}, no server cost), concurrency ${concurrency}: ${run.records.toLocaleString('en-US')} records in ${run.seconds.toFixed(1)} s ` +
          `(${rate(run.records, run.seconds)} records/s), peak RSS ${run.peakRssMb.toFixed(0)} MB.`,
      );
    }
  } finally {
    await sim.stop();
  }
}

const header = ['profile', 'scale', 'concurrency', 'connector', 'records/s', 'bare client, same pages, sequential', 'ratio', 'peak RSS MB'];
console.log(
  `\nBenchmark: ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), whole catalog, full refresh, pages of ${PAGE_SIZE}, ` +
    `${RECORD_COST_MICROS} µs per record on the server; simulator, connector and bare client share the cores.\n`,
);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
for (const line of speedups) console.log(line);
for (const line of volume.rows) console.log(line);
