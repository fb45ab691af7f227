import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { q, TestClient } from './client.js';

/**
 * $filter semantics as the Service Layer has them: date comparisons ignore the literal's time of day; time
 * comparisons (UpdateTime) use hours and minutes only. Records are stamped by updates at known clock times.
 */
describe('$filter', () => {
  let sim: ServiceLayerSimulator;
  let c: TestClient;
  let v1: TestClient;
  const day = '2026-11-25';
  before(async () => {
    sim = await startServiceLayerSimulator({ clockStart: `${day}T08:00:00` });
    // Three invoices changed today at 10:15:00, 10:15:59 and 10:16:00.
    for (const [key, time] of [[3, '10:15:00'], [4, '10:15:59'], [5, '10:16:00']] as const) {
      sim.clock.set(`${day}T${time}`);
      sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key, changes: { Comments: `changed at ${time}` } });
    }
    c = new TestClient(sim);
    await c.login();
    v1 = c.other('v1');
  });
  after(() => sim.stop());

  async function keys(filter: string, client = c): Promise<number[]> {
    const { records } = await client.readAll(`Invoices?$select=DocEntry&$filter=${q(filter)}`, { Prefer: 'odata.maxpagesize=0' });
    return records.map((r) => r.DocEntry as number);
  }

  test('every date literal form means the same date, in both dialects', async () => {
    const expected = [3, 4, 5];
    for (const literal of [`'${day}'`, `'20261125'`, `datetime'${day}'`, `datetime'${day}T00:00:00'`, `'${day}T10:00:00'`, `'${day}T23:59:59Z'`, day, `${day}T10:00:00Z`]) {
      assert.deepEqual(await keys(`UpdateDate eq ${literal}`), expected, literal);
      assert.deepEqual(await keys(`UpdateDate eq ${literal}`, v1), expected, `v1 ${literal}`);
    }
  });

  test('a date comparison ignores the time of day of the literal', async () => {
    assert.deepEqual(await keys(`UpdateDate ge '${day}T23:00:00'`), [3, 4, 5]);
    assert.deepEqual(await keys(`UpdateDate gt '${day}T00:00:01'`), [], 'gt a date-time of today excludes today');
    assert.deepEqual(await keys(`UpdateDate le '${day}T00:00:00' and UpdateDate ge '${day}'`), [3, 4, 5]);
    const truthBefore = [...sim.groundTruth('Invoices')].filter((r) => String(r.UpdateDate) < day).length;
    assert.equal((await keys(`UpdateDate lt '${day}T12:00:00'`)).length, truthBefore);
  });

  test('a time comparison compares hours and minutes only', async () => {
    const today = `UpdateDate eq '${day}'`;
    assert.deepEqual(await keys(`${today} and UpdateTime ge '10:15:59'`), [3, 4, 5], 'ge 10:15:59 is ge 10:15');
    assert.deepEqual(await keys(`${today} and UpdateTime gt '10:15:00'`), [5], 'gt 10:15:00 is gt 10:15');
    assert.deepEqual(await keys(`${today} and UpdateTime eq '10:15:30'`), [3, 4]);
    assert.deepEqual(await keys(`${today} and UpdateTime le '10:15'`), [3, 4]);
    assert.deepEqual(await keys(`${today} and UpdateTime lt '10:16:59'`), [3, 4]);
    assert.deepEqual(await keys(`${today} and UpdateTime ge time'10:16:30'`), [5]);
    assert.deepEqual(await keys(`${today} and UpdateTime ge 10:16:30`), [5], 'v4 unquoted time of day');
    assert.deepEqual(await keys(`${today} and UpdateTime ge time'PT10H16M'`), [5], 'v3 duration literal');
  });

  test('null: eq null finds old rows without UpdateTime; other comparisons never match null', async () => {
    const truth = [...sim.groundTruth('Invoices')];
    const nulls = truth.filter((r) => r.UpdateTime === null).map((r) => r.DocEntry);
    assert.ok(nulls.length > 0);
    assert.deepEqual(await keys('UpdateTime eq null'), nulls);
    assert.equal((await keys('UpdateTime ne null')).length, truth.length - nulls.length);
    assert.equal((await keys(`UpdateTime ge '00:00'`)).length, truth.length - nulls.length);
    const notAtTen15 = truth.filter((r) => r.UpdateTime !== null && !String(r.UpdateTime).startsWith('10:15:')).length;
    assert.equal((await keys(`UpdateTime ne '10:15'`)).length, notAtTen15, 'ne skips nulls, as in SQL');
  });

  test('and, or, not and parentheses, with the usual precedence', async () => {
    const truth = [...sim.groundTruth('Invoices')];
    const pick = (f: (r: Record<string, unknown>) => boolean) => truth.filter(f).map((r) => r.DocEntry);
    assert.deepEqual(await keys('DocEntry le 3 or DocEntry ge 1998 and DocEntry le 1999'), pick((r) => (r.DocEntry as number) <= 3 || ((r.DocEntry as number) >= 1998 && (r.DocEntry as number) <= 1999)));
    assert.deepEqual(await keys('(DocEntry le 3 or DocEntry ge 1998) and DocEntry le 1999'), pick((r) => ((r.DocEntry as number) <= 3 || (r.DocEntry as number) >= 1998) && (r.DocEntry as number) <= 1999));
    assert.deepEqual(await keys("not (DocEntry gt 5) and Cancelled ne 'tYES'"), pick((r) => (r.DocEntry as number) <= 5 && r.Cancelled !== 'tYES'));
    assert.deepEqual(await keys("DocumentStatus eq 'bost_Open' and DocTotal gt 5000.5"), pick((r) => r.DocumentStatus === 'bost_Open' && (r.DocTotal as number) > 5000.5));
    assert.deepEqual(await keys('5 ge DocEntry'), [1, 2, 3, 4, 5], 'literal on the left');
  });

  test('enums: quoted member names and qualified enum literals', async () => {
    const cancelled = [...sim.groundTruth('Invoices')].filter((r) => r.Cancelled === 'tYES').map((r) => r.DocEntry);
    assert.ok(cancelled.length > 0, 'some invoices are cancelled');
    assert.deepEqual(await keys("Cancelled eq 'tYES'"), cancelled);
    assert.deepEqual(await keys("Cancelled eq SAPB1.BoYesNoEnum'tYES'"), cancelled);
  });

  test('strings: equality and startswith/endswith/contains/substringof', async () => {
    const { records } = await c.readAll(`BusinessPartners?$select=CardCode,CardName&$filter=${q("startswith(CardCode,'V') and contains(CardName,'Farms') eq false")}`);
    const truth = [...sim.groundTruth('BusinessPartners')].filter((r) => String(r.CardCode).startsWith('V') && !String(r.CardName).includes('Farms'));
    assert.deepEqual(records.map((r) => r.CardCode), truth.map((r) => r.CardCode));
    const name = String(truth[0]!.CardName);
    const tail = name.slice(-6);
    const v1Hits = await v1.readAll(`BusinessPartners?$select=CardCode&$filter=${q(`substringof('${tail}',CardName) and endswith(CardName,'${tail}')`)}`);
    assert.ok(v1Hits.records.some((r) => r.CardCode === truth[0]!.CardCode));
    const quoted = await c.readAll(`BusinessPartners?$select=CardCode&$filter=${q("CardName eq 'O''Neil''s'")}`);
    assert.deepEqual(quoted.records, []);
  });

  test('a key lower bound filter reads from the bound (string keys too)', async () => {
    const codes = [...sim.groundTruth('Items')].map((r) => String(r.ItemCode));
    const { records } = await c.readAll(`Items?$select=ItemCode&$filter=${q(`ItemCode gt '${codes[100]}' and ItemCode le '${codes[110]}'`)}&$orderby=ItemCode`);
    assert.deepEqual(records.map((r) => r.ItemCode), codes.slice(101, 111));
  });
});
