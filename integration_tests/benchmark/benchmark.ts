/**
 * Performance figures, printed (never asserted in a timed test): how fast the simulator serves
 * pages to a bare client, how fast the connector turns them into Airbyte records, how much memory
 * the connector needs as the volume grows (it must stay flat), what a slow destination does to
 * memory (back-pressure), and how much $select saves on a standard document.
 *
 *   npm run benchmark                 # scales 2 and 10
 *   npm run benchmark -- --scales 1,5,25
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entrypoint = join(repoRoot, 'dist', 'main.js');
const workDir = mkdtempSync(join(tmpdir(), 'sap-b1-bench-'));
const scalesArg = process.argv.indexOf('--scales');
const scales = scalesArg > 0 ? process.argv[scalesArg + 1]!.split(',').map(Number) : [2, 10];
const PAGE = 200;

function file(name: string, value: unknown): string {
  const path = join(workDir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

async function login(sim: ServiceLayerSimulator): Promise<string> {
  const response = await fetch(`${sim.baseUrl}/Login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ CompanyDB: sim.companyDb, UserName: sim.username, Password: sim.password }),
  });
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  await response.arrayBuffer();
  return cookie;
}

/** A bare client paging Invoices by key with the same query shape the connector uses. */
async function bareClient(sim: ServiceLayerSimulator, select?: string): Promise<{ records: number; bytes: number; seconds: number }> {
  const cookie = await login(sim);
  let after: number | undefined;
  let records = 0;
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const filter = after === undefined ? '' : `&$filter=${encodeURIComponent(`DocEntry gt ${after}`)}`;
    const response = await fetch(`${sim.baseUrl}/Invoices?$orderby=DocEntry${filter}${select ? `&$select=${select}` : ''}`, {
      headers: { cookie, prefer: `odata.maxpagesize=${PAGE}` },
    });
    const text = await response.text();
    bytes += Buffer.byteLength(text);
    const body = JSON.parse(text) as { value: { DocEntry: number }[]; '@odata.nextLink'?: string };
    records += body.value.length;
    if (!body['@odata.nextLink'] || body.value.length === 0) break;
    after = body.value.at(-1)!.DocEntry;
  }
  return { records, bytes, seconds: (performance.now() - started) / 1000 };
}

interface ConnectorRunStats {
  records: number;
  seconds: number;
  peakRssMb: number;
}

/** Runs a read, draining stdout at `drainBytesPerSecond` (Infinity: as fast as possible), sampling the connector's resident memory. */
function connectorRead(configPath: string, catalogPath: string, drainBytesPerSecond = Infinity): Promise<ConnectorRunStats> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [entrypoint, 'read', '--config', configPath, '--catalog', catalogPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let peakRss = 0;
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        peakRss = Math.max(peakRss, rss);
      } catch {
        // the process has just exited
      }
    }, 25);
    let records = 0;
    let partial = '';
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('{"type":"RECORD"')) records++;
        if (drainBytesPerSecond === Infinity) done();
        else setTimeout(done, (chunk.length / drainBytesPerSecond) * 1000);
      },
    });
    child.stdout.pipe(sink);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`connector exited with ${code}`));
      else resolve({ records, seconds: (performance.now() - started) / 1000, peakRssMb: peakRss });
    });
  });
}

const rows: string[][] = [];
let selectSaving = '';
for (const scale of scales) {
  const sim = await startServiceLayerSimulator({ scale, clockStart: '2026-11-25T10:00:00' });
  try {
    const bare = await bareClient(sim);
    const config = file(`config-${scale}.json`, {
      service_layer_url: `${sim.baseUrl}/`,
      credentials: { auth_type: 'session_login', company_db: sim.companyDb, username: sim.username, password: sim.password },
      page_size: PAGE,
    });
    let streams: { name: string; supported_sync_modes: string[] }[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [entrypoint, 'discover', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', () => {
        for (const line of out.split('\n')) if (line.includes('"CATALOG"')) streams = JSON.parse(line).catalog.streams;
        resolve();
      });
      child.on('error', reject);
    });
    const configured = (names: string[]) =>
      file(`catalog-${scale}-${names.length}.json`, {
        streams: streams
          .filter((s) => names.includes(s.name))
          .map((stream) => ({ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })),
      });
    const documents = await connectorRead(config, configured(['invoices', 'invoice_lines']));
    const everything = await connectorRead(config, configured(streams.map((s) => s.name)));
    const slow = await connectorRead(config, configured(['invoices', 'invoice_lines']), 2 * 1024 * 1024);
    rows.push([
      String(scale),
      String(bare.records),
      `${Math.round(bare.records / bare.seconds)}`,
      `${documents.records} in ${documents.seconds.toFixed(1)} s`,
      `${Math.round(documents.records / documents.seconds)}`,
      `${everything.records} in ${everything.seconds.toFixed(1)} s`,
      `${Math.round(everything.records / everything.seconds)}`,
      `${documents.peakRssMb.toFixed(0)} / ${everything.peakRssMb.toFixed(0)} / ${slow.peakRssMb.toFixed(0)}`,
    ]);
    if (!selectSaving) {
      const selected = 'DocEntry,DocNum,DocDate,CardCode,DocTotal,DocCurrency,UpdateDate,UpdateTime,DocumentLines';
      const narrow = await bareClient(sim, selected);
      const headersOnly = await bareClient(sim, 'DocEntry,DocNum,DocDate,CardCode,DocTotal,DocCurrency,UpdateDate,UpdateTime');
      selectSaving =
        `All properties: ${(bare.bytes / bare.records / 1024).toFixed(1)} KiB per invoice; ` +
        `8 header columns + DocumentLines: ${(narrow.bytes / narrow.records / 1024).toFixed(1)} KiB (${Math.round(100 - (100 * narrow.bytes) / bare.bytes)}% less); ` +
        `8 header columns only: ${(headersOnly.bytes / headersOnly.records / 1024).toFixed(2)} KiB (${Math.round(100 - (100 * headersOnly.bytes) / bare.bytes)}% less).`;
    }
  } finally {
    await sim.stop();
  }
}

const header = ['scale', 'invoices', 'bare client rec/s', 'connector: invoices+lines', 'rec/s', 'connector: all 25 streams', 'rec/s', 'peak RSS MB (docs / all / slow reader)'];
console.log(`\nBenchmark on ${process.version}, ${process.arch}, pages of ${PAGE} records\n`);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\n$select on Invoices: ${selectSaving}`);
console.log('The slow reader drains stdout at 2 MiB/s: with back-pressure the connector waits instead of buffering, so its memory stays flat.');
