import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { errorOf, q, TestClient } from './client.js';

describe('query options, single entities and errors', () => {
  let sim: ServiceLayerSimulator;
  let c: TestClient;
  let v1: TestClient;
  before(async () => {
    sim = await startServiceLayerSimulator();
    c = new TestClient(sim);
    await c.login();
    v1 = c.other('v1');
  });
  after(() => sim.stop());

  test('$select keeps the listed properties, collections included, in $metadata order', async () => {
    const body = (await c.get('Invoices?$select=DocumentLines,DocEntry,CardCode&$top=1')).json<{ value: Record<string, unknown>[] }>();
    const record = body.value[0]!;
    assert.deepEqual(Object.keys(record), ['@odata.etag', 'DocEntry', 'CardCode', 'DocumentLines']);
    const lines = record.DocumentLines as Record<string, unknown>[];
    assert.ok(lines.length >= 1);
    assert.ok(Object.keys(lines[0]!).length > 200, 'lines come whole');
    assert.equal(lines[0]!.DocEntry, record.DocEntry);
  });

  test('without $select a record carries every property of its type (hundreds on documents)', async () => {
    const body = (await c.get('Invoices?$top=1')).json<{ value: Record<string, unknown>[] }>();
    const record = body.value[0]!;
    assert.ok(Object.keys(record).length > 290);
    for (const name of ['DocEntry', 'DocNum', 'DocDate', 'UpdateDate', 'UpdateTime', 'Cancelled', 'U_Channel', 'TaxExtension', 'AddressExtension', 'DocumentLines']) {
      assert.ok(name in record, name);
    }
    assert.equal(typeof record.TaxExtension, 'object');
    assert.deepEqual(record.DocumentAdditionalExpenses, []);
  });

  test('$orderby on several keys, ascending and descending', async () => {
    const { records } = await c.readAll(`Items?$select=ItemCode,ItemsGroupCode,ItemName&$orderby=${q('ItemsGroupCode desc,ItemName,ItemCode desc')}`, {
      Prefer: 'odata.maxpagesize=100',
    });
    const truth = [...sim.groundTruth('Items')].sort((a, b) => {
      if (a.ItemsGroupCode !== b.ItemsGroupCode) return (b.ItemsGroupCode as number) - (a.ItemsGroupCode as number);
      if (a.ItemName !== b.ItemName) return String(a.ItemName) < String(b.ItemName) ? -1 : 1;
      return String(a.ItemCode) < String(b.ItemCode) ? 1 : -1;
    });
    assert.deepEqual(records.map((r) => r.ItemCode), truth.map((r) => r.ItemCode));
  });

  test('single entity by key: Invoices(5) and Items(\'code\'), with ETag header and @odata.etag from DataVersion', async () => {
    const invoice = await c.get('Invoices(5)');
    assert.equal(invoice.status, 200);
    const body = invoice.json();
    assert.equal(body.DocEntry, 5);
    assert.equal(body['@odata.context'], `${sim.baseUrl}/$metadata#Invoices/$entity`);
    const expectedTag = `W/"${createHash('sha1').update(String(body.DataVersion)).digest('hex').toUpperCase()}"`;
    assert.equal(body['@odata.etag'], expectedTag);
    assert.equal(invoice.headers.get('etag'), expectedTag);
    const code = sim.keys.keyAt('Items', 3) as string;
    const item = (await c.get(`Items('${code}')`)).json();
    assert.equal(item.ItemCode, code);
    const v1Item = (await v1.get(`Items('${code}')`)).json();
    assert.equal(v1Item['odata.metadata'], `${v1.root}/$metadata#Items/@Element`);
    assert.equal(typeof v1Item['odata.etag'], 'string');
    const journal = await c.get('JournalEntries(1)');
    assert.equal(journal.headers.get('etag'), null, 'journal entries have no concurrency token');
    assert.equal(journal.json()['@odata.etag'], undefined);
    const selected = (await c.get('Invoices(5)?$select=DocEntry,DocTotal')).json();
    assert.deepEqual(Object.keys(selected), ['@odata.context', '@odata.etag', 'DocEntry', 'DocTotal']);
  });

  test('a missing key is 404 with code -2028', async () => {
    const reply = await c.get('Invoices(999999)');
    assert.equal(reply.status, 404);
    assert.deepEqual(errorOf(reply), { code: '-2028', message: 'No matching records found (ODBC -2028)' });
    const v1Reply = await v1.get(`Items('NOPE')`);
    assert.equal(v1Reply.status, 404);
    assert.equal(errorOf(v1Reply).code, -2028);
  });

  test('an unknown property is a 400 naming it, in the error shape of each dialect', async () => {
    for (const path of [`Invoices?$filter=${q('NoSuchField eq 1')}`, 'Invoices?$select=DocEntry,NoSuchField', 'Invoices?$orderby=NoSuchField desc', `Invoices/$count?$filter=${q("NoSuchField eq 'x'")}`]) {
      const reply = await c.get(path);
      assert.equal(reply.status, 400, path);
      assert.deepEqual(reply.json(), { error: { code: '201', message: "Property 'NoSuchField' is invalid" } }, path);
      const old = await v1.get(path);
      assert.equal(old.status, 400, path);
      assert.deepEqual(old.json(), { error: { code: 201, message: { lang: 'en-us', value: "Property 'NoSuchField' is invalid" } } }, path);
    }
  });

  test('bad $filter syntax or a literal that does not fit the property is a 400', async () => {
    for (const filter of ['DocEntry eq', 'DocEntry gt 5 and', "(DocEntry gt 5", 'DocEntry => 5', "DocDate ge 'not a date'", "UpdateTime ge '25:00'", "Cancelled eq 'tMAYBE'", "CardCode eq 'unterminated"]) {
      const reply = await c.get(`Invoices?$filter=${q(filter)}`);
      assert.equal(reply.status, 400, filter);
      assert.equal(errorOf(reply).code, '201', filter);
      assert.match(errorOf(reply).message, /Invalid filter condition/, filter);
    }
    for (const path of ['Invoices?$top=-1', 'Invoices?$skip=x', 'Invoices?$count=maybe', 'Invoices?$orderby=DocEntry%20sideways']) {
      assert.equal((await c.get(path)).status, 400, path);
    }
  });

  test('an entity set the server does not have is a 400 "Unrecognized resource path"', async () => {
    const reply = await c.get('NoSuchSet');
    assert.equal(reply.status, 400);
    assert.deepEqual(errorOf(reply), { code: '-1002', message: 'Unrecognized resource path.' });
    assert.equal((await v1.get('Quotations?$top=1')).status, 400);
  });

  test('writes are refused: the simulator is read-only', async () => {
    const reply = await c.request('POST', 'Invoices', { body: '{}' });
    assert.equal(reply.status, 405);
  });

  test('values: enums as member names, amounts as numbers, UpdateTime as HH:MM:SS, dates per dialect', async () => {
    const v2Body = (await c.get('Invoices(10)')).json();
    const v1Body = (await v1.get('Invoices(10)')).json();
    assert.match(String(v2Body.DocDate), /^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    assert.equal(v1Body.DocDate, String(v2Body.DocDate).slice(0, 10));
    assert.ok(['bost_Open', 'bost_Close'].includes(String(v2Body.DocumentStatus)));
    assert.ok(['tYES', 'tNO'].includes(String(v2Body.Cancelled)));
    assert.equal(typeof v2Body.DocTotal, 'number');
    const invoices = [...sim.groundTruth('Invoices')];
    assert.ok(invoices.some((r) => r.UpdateTime === null), 'some old rows have a null UpdateTime');
    assert.ok(invoices.every((r) => r.UpdateTime === null || /^\d{2}:\d{2}:\d{2}$/.test(String(r.UpdateTime))));
    const raw = (await c.get('Items?$top=1&$select=ItemCode,QuantityOnStock,AvgStdPrice')).text;
    assert.match(raw, /"AvgStdPrice" : \d+\.\d+/, 'doubles are written with a decimal point');
  });

  test('the service document lists the entity sets', async () => {
    const body = (await c.get('')).json<{ value: { name: string }[] }>();
    assert.deepEqual(body.value.map((s) => s.name), [...sim.entitySets]);
  });
});
