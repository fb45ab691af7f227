import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServiceLayerSimulator, type SimulatorOptions } from '../index.js';
import { q, TestClient } from './client.js';

async function fingerprint(options: SimulatorOptions, sets: string[]): Promise<string> {
  const sim = await startServiceLayerSimulator(options);
  try {
    const hash = createHash('sha256');
    for (const set of sets) for (const record of sim.groundTruth(set)) hash.update(JSON.stringify(record));
    return hash.digest('hex');
  } finally {
    await sim.stop();
  }
}

describe('determinism and scale', () => {
  const sets = ['Invoices', 'IncomingPayments', 'JournalEntries', 'Items', 'BusinessPartners', 'U_FD_PROMOS'];

  test('same seed, scale and clock start give identical data; another seed or clock start gives other data', async () => {
    const base = { seed: 7, scale: 0.3, clockStart: '2026-06-15T09:00:00' };
    const first = await fingerprint(base, sets);
    assert.equal(await fingerprint(base, sets), first);
    assert.notEqual(await fingerprint({ ...base, seed: 8 }, sets), first);
    assert.notEqual(await fingerprint({ ...base, clockStart: '2026-06-16T09:00:00' }, sets), first);
  });

  test('bad options are refused with a clear message', async () => {
    await assert.rejects(startServiceLayerSimulator({ scale: 0 }), /scale must be a positive number/);
    await assert.rejects(startServiceLayerSimulator({ clockStart: '2026-11-25 10:00' }), /YYYY-MM-DDTHH:MM:SS/);
    await assert.rejects(startServiceLayerSimulator({ dialect: 'v3' as 'v2' }), /dialect must be 'v1' or 'v2'/);
    await assert.rejects(startServiceLayerSimulator({ latencyMs: -5 }), /latencyMs must be a non-negative number/);
  });

  test('a larger scale grows linearly, serves key-paged and deep pages, and keeps memory flat', async () => {
    const small = await startServiceLayerSimulator({ scale: 1 });
    let invoicesAtOne: number;
    try {
      invoicesAtOne = small.count('Invoices');
    } finally {
      await small.stop();
    }
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const sim = await startServiceLayerSimulator({ scale: 40 });
    try {
      const n = sim.count('Invoices');
      assert.ok(Math.abs(n / invoicesAtOne - 40) < 2, `${n} invoices at scale 40 vs ${invoicesAtOne} at scale 1`);
      const c = new TestClient(sim);
      await c.login();
      const last = (await c.get(`Invoices?$select=DocEntry,DocumentLines&$filter=${q(`DocEntry gt ${n - 100}`)}&$orderby=DocEntry`, { Prefer: 'odata.maxpagesize=500' })).json<{
        value: { DocEntry: number }[];
      }>();
      assert.deepEqual(last.value.map((r) => r.DocEntry), Array.from({ length: 100 }, (_, i) => n - 99 + i));
      const deep = (await c.get(`Invoices?$select=DocEntry&$skip=${n - 10}`)).json<{ value: { DocEntry: number }[] }>();
      assert.equal(deep.value[0]!.DocEntry, n - 9);
      const open = Number((await c.get(`Invoices/$count?$filter=${q("DocumentStatus eq 'bost_Open'")}`)).text);
      assert.ok(open > 0 && open < n);
      const journal = (await c.get('JournalEntries/$count')).text;
      assert.ok(Number(journal) > n, 'journal entries outnumber invoices');
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(heapGrowth < 400 * 1024 * 1024, `heap grew by ${Math.round(heapGrowth / 1e6)} MB after scanning ${n} invoices`);
    } finally {
      await sim.stop();
    }
  });
});
