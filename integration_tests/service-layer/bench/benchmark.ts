/**
 * Throughput of the simulator for a bare client, as the connector would meet it: the simulator runs in its own
 * process (the CLI), the client logs in and reads every invoice key-paged
 * ($filter=DocEntry gt <last>&$orderby=DocEntry, Prefer: odata.maxpagesize=N), parsing each page.
 * Not a test: prints a table of invoices per second.
 *
 *   npx tsx integration_tests/service-layer/bench/benchmark.ts [scale ...]     (default: 1 50)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');

interface Simulator {
  process: ChildProcess;
  baseUrl: string;
  companyDb: string;
  username: string;
  password: string;
}

async function startCli(scale: number): Promise<Simulator> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, '../cli.ts'), '--port', '0', '--scale', String(scale), '--login-delay-ms', '0', '--clock-mode', 'frozen'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    output += chunk as string;
    const m = /ready: (\S+) CompanyDB=(\S+) UserName=(\S+) Password=(\S+)/.exec(output);
    if (m) return { process: child, baseUrl: m[1]!, companyDb: m[2]!, username: m[3]!, password: m[4]! };
  }
  throw new Error(`The simulator did not start: ${output}`);
}

interface Result {
  scale: number;
  pageSize: number;
  selected: boolean;
  parsed: boolean;
  records: number;
  seconds: number;
  megabytes: number;
}

/**
 * Reads every invoice. With `parse` off the client only scans each body for the last DocEntry, which shows
 * what the simulator itself delivers; with it on, the client pays JSON.parse as any real client does.
 */
async function readAll(sim: Simulator, scale: number, pageSize: number, select: string | undefined, parse = true): Promise<Result> {
  const login = await fetch(`${sim.baseUrl}/Login`, {
    method: 'POST',
    body: JSON.stringify({ CompanyDB: sim.companyDb, UserName: sim.username, Password: sim.password }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const expectedCount = Number(await (await fetch(`${sim.baseUrl}/Invoices/$count`, { headers: { cookie } })).text());
  let last = 0;
  let records = 0;
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const query = `$filter=DocEntry gt ${last}&$orderby=DocEntry${select ? `&$select=${select}` : ''}`;
    const res = await fetch(`${sim.baseUrl}/Invoices?${encodeURI(query)}`, { headers: { cookie, Prefer: `odata.maxpagesize=${pageSize}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    bytes += text.length;
    let keys: number[];
    if (parse) {
      keys = (JSON.parse(text) as { value: { DocEntry: number }[] }).value.map((r) => r.DocEntry);
    } else {
      keys = [...text.matchAll(/^\t\t\t"DocEntry" : (\d+),$/gm)].map((m) => Number(m[1]));
    }
    records += keys.length;
    if (keys.length < pageSize) break;
    last = keys[keys.length - 1]!;
  }
  const seconds = (performance.now() - started) / 1000;
  await fetch(`${sim.baseUrl}/Logout`, { method: 'POST', headers: { cookie } });
  if (records !== expectedCount) throw new Error(`read ${records} invoices, expected ${expectedCount}`);
  return { scale, pageSize, selected: select !== undefined, parsed: parse, records, seconds, megabytes: bytes / 1e6 };
}

const scales = process.argv.slice(2).map(Number);
const results: Result[] = [];
for (const scale of scales.length > 0 ? scales : [1, 50]) {
  const sim = await startCli(scale);
  try {
    for (const pageSize of [100, 500]) {
      results.push(await readAll(sim, scale, pageSize, undefined, false));
      results.push(await readAll(sim, scale, pageSize, undefined));
      results.push(await readAll(sim, scale, pageSize, 'DocEntry,DocNum,DocDate,CardCode,DocTotal,UpdateDate,UpdateTime,DocumentLines'));
    }
  } finally {
    sim.process.kill('SIGTERM');
    await once(sim.process, 'exit');
  }
}
console.log('| scale | invoices | page size | properties | client parses JSON | seconds | invoices/s | MB/s |');
console.log('|---:|---:|---:|---|---|---:|---:|---:|');
for (const r of results) {
  const what = r.selected ? '$select of 7 header fields + DocumentLines' : 'all (about 46 KB per invoice)';
  console.log(
    `| ${r.scale} | ${r.records} | ${r.pageSize} | ${what} | ${r.parsed ? 'yes' : 'no'} | ${r.seconds.toFixed(1)} | ${Math.round(r.records / r.seconds)} | ${Math.round(r.megabytes / r.seconds)} |`,
  );
}
