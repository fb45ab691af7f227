/**
 * What starting the simulator costs: the time to build the company (its operations run once, day by day) and the
 * memory its books keep, per scale, each measured in a fresh process; and the first use of the ledger (account
 * balances, summed from the journal on demand). Not a test: prints a table.
 *
 *   npx tsx integration_tests/service-layer/bench/startup.ts [scale ...]     (default: 1 10 40)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Measure {
  scale: number;
  startSeconds: number;
  heapMb: number;
  arrayBuffersMb: number;
  rssMb: number;
  ledgerSeconds: number;
  records: number;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

/** Collects garbage until array buffers freed by earlier collections are released too. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(scale: number): Promise<Measure> {
  const { startServiceLayerSimulator } = await import('../index.js');
  // Load the model (a one-off cost of the first simulator in a process) before timing the company.
  await (await startServiceLayerSimulator({ scale: 0.01 })).stop();
  await settle();
  const before = process.memoryUsage();
  const started = performance.now();
  const sim = await startServiceLayerSimulator({ scale });
  const startSeconds = (performance.now() - started) / 1000;
  await settle();
  const after = process.memoryUsage();
  const ledgerStarted = performance.now();
  sim.books.balances();
  const ledgerSeconds = (performance.now() - ledgerStarted) / 1000;
  const records = sim.entitySets.reduce((n, set) => n + sim.count(set), 0);
  await sim.stop();
  return {
    scale,
    startSeconds,
    heapMb: mb(after.heapUsed - before.heapUsed),
    arrayBuffersMb: mb(after.arrayBuffers - before.arrayBuffers),
    rssMb: mb(after.rss),
    ledgerSeconds,
    records,
  };
}

const child = process.argv.indexOf('--child');
if (child > 0) {
  console.log(JSON.stringify(await measure(Number(process.argv[child + 1]))));
} else {
  const scales = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const rows: Measure[] = [];
  for (const scale of scales.length > 0 ? scales : [1, 10, 40]) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(scale)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`scale ${scale}: ${run.stderr}`);
    rows.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measure);
  }
  console.log('| scale | records | start (s) | heap (MB) | typed arrays (MB) | process RSS (MB) | first ledger use (s) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.scale} | ${r.records} | ${r.startSeconds.toFixed(2)} | ${r.heapMb} | ${r.arrayBuffersMb} | ${r.rssMb} | ${r.ledgerSeconds.toFixed(2)} |`);
  }
}
