import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { q, TestClient } from './client.js';

for (const dialect of ['v2', 'v1'] as const) {
  const nextKey = dialect === 'v2' ? '@odata.nextLink' : 'odata.nextLink';
  const contextKey = dialect === 'v2' ? '@odata.context' : 'odata.metadata';

  describe(`paging on /b1s/${dialect}`, () => {
    let sim: ServiceLayerSimulator;
    let c: TestClient;
    before(async () => {
      sim = await startServiceLayerSimulator({ dialect });
      c = new TestClient(sim);
      await c.login();
    });
    after(() => sim.stop());

    test('20 records by default; the next link is relative to the service root and adds $skip', async () => {
      const reply = await c.get('BusinessPartners');
      assert.equal(reply.status, 200);
      const body = reply.json();
      assert.equal((body.value as unknown[]).length, 20);
      assert.equal(body[nextKey], 'BusinessPartners?$skip=20');
      assert.equal(body[contextKey], `${sim.baseUrl}/$metadata#BusinessPartners`);
      assert.equal(reply.headers.get('preference-applied'), null);
      assert.equal(dialect === 'v2' ? body['odata.nextLink'] : body['@odata.nextLink'], undefined, 'only the dialect spelling');
    });

    test('Prefer: odata.maxpagesize sets the page size and is answered with Preference-Applied', async () => {
      const reply = await c.get('BusinessPartners', { Prefer: 'odata.maxpagesize=7' });
      assert.equal(reply.headers.get('preference-applied'), 'odata.maxpagesize=7');
      const body = reply.json();
      assert.equal((body.value as unknown[]).length, 7);
      assert.equal(body[nextKey], 'BusinessPartners?$skip=7');
    });

    test('B1S-PageSize sets the page size too', async () => {
      const body = (await c.get('BusinessPartners', { 'B1S-PageSize': '9' })).json();
      assert.equal((body.value as unknown[]).length, 9);
      assert.equal(body[nextKey], 'BusinessPartners?$skip=9');
    });

    test('the next link repeats the query as sent (still percent-encoded) and follows it to the end', async () => {
      const filter = q(`CardType eq 'cCustomer' and GroupCode eq 100`);
      const path = `BusinessPartners?$select=CardCode,CardName&$filter=${filter}&$orderby=${q('CardName desc,CardCode')}`;
      const first = (await c.get(path, { Prefer: 'odata.maxpagesize=15' })).json();
      assert.equal(first[nextKey], `${path}&$skip=15`);
      const { records, pages } = await c.readAll(path, { Prefer: 'odata.maxpagesize=15' });
      const truth = [...sim.groundTruth('BusinessPartners')].filter((r) => r.CardType === 'cCustomer' && r.GroupCode === 100);
      assert.equal(records.length, truth.length);
      const expected = truth
        .sort((a, b) => (a.CardName === b.CardName ? String(a.CardCode).localeCompare(String(b.CardCode)) : String(a.CardName) < String(b.CardName) ? 1 : -1))
        .map((r) => r.CardCode);
      assert.deepEqual(records.map((r) => r.CardCode), expected);
      assert.deepEqual(Object.keys(records[0]!), [dialect === 'v2' ? '@odata.etag' : 'odata.etag', 'CardCode', 'CardName']);
      for (const [i, page] of pages.entries()) {
        const link = page.json()[nextKey];
        if (i < pages.length - 1) assert.equal(link, `${path}&$skip=${15 * (i + 1)}`);
        else assert.equal(link, undefined);
      }
    });

    test('a full last page still carries a next link; the page after it is empty', async () => {
      const total = sim.count('Warehouses');
      const first = (await c.get('Warehouses', { Prefer: `odata.maxpagesize=${total}` })).json();
      assert.equal((first.value as unknown[]).length, total);
      assert.equal(first[nextKey], `Warehouses?$skip=${total}`);
      const second = (await c.get(first[nextKey] as string, { Prefer: `odata.maxpagesize=${total}` })).json();
      assert.deepEqual(second.value, []);
      assert.equal(second[nextKey], undefined);
    });

    test('$top is honoured across pages: the next link carries the remaining $top', async () => {
      const body = (await c.get('Items?$top=50&$select=ItemCode', { Prefer: 'odata.maxpagesize=20' })).json();
      assert.equal((body.value as unknown[]).length, 20);
      assert.equal(body[nextKey], 'Items?$select=ItemCode&$top=30&$skip=20');
      const { records } = await c.readAll('Items?$top=50&$select=ItemCode', { Prefer: 'odata.maxpagesize=20' });
      assert.equal(records.length, 50);
      const fits = (await c.get('Items?$top=5&$select=ItemCode')).json();
      assert.equal((fits.value as unknown[]).length, 5);
      assert.equal(fits[nextKey], undefined, 'a $top that fits in one page has no next link');
    });

    test('$skip and $top select a window in key order', async () => {
      const keys = [...sim.groundTruth('Items')].map((r) => r.ItemCode);
      const body = (await c.get('Items?$skip=10&$top=5&$select=ItemCode')).json();
      assert.deepEqual((body.value as { ItemCode: string }[]).map((r) => r.ItemCode), keys.slice(10, 15));
    });

    test('odata.maxpagesize=0 turns paging off', async () => {
      const body = (await c.get('Items?$select=ItemCode', { Prefer: 'odata.maxpagesize=0' })).json();
      assert.equal((body.value as unknown[]).length, sim.count('Items'));
      assert.equal(body[nextKey], undefined);
    });

    test('a body too large to buffer is streamed chunked, whole and valid', async () => {
      const reply = await c.get('Invoices?$top=250', { Prefer: 'odata.maxpagesize=0' });
      assert.equal(reply.status, 200);
      assert.ok(reply.text.length > 8_000_000);
      assert.equal(reply.headers.get('content-length'), null);
      assert.equal(reply.headers.get('transfer-encoding'), 'chunked');
      const body = reply.json<{ value: { DocEntry: number }[] }>();
      assert.deepEqual(body.value.map((r) => r.DocEntry), Array.from({ length: 250 }, (_, i) => i + 1));
    });

    test('counts: /$count as text/plain, and the inline count in the dialect form ($count=true and $inlinecount=allpages)', async () => {
      const filter = q(`CardType eq 'cSupplier'`);
      const expected = [...sim.groundTruth('BusinessPartners')].filter((r) => r.CardType === 'cSupplier').length;
      const counted = await c.get(`BusinessPartners/$count?$filter=${filter}`);
      assert.equal(counted.status, 200);
      assert.match(counted.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(counted.text, String(expected));
      assert.equal((await c.get('Invoices/$count')).text, String(sim.count('Invoices')));
      for (const option of ['$count=true', '$inlinecount=allpages']) {
        const body = (await c.get(`BusinessPartners?$filter=${filter}&${option}&$top=2`)).json();
        if (dialect === 'v2') assert.equal(body['@odata.count'], expected);
        else assert.equal(body['odata.count'], String(expected));
        assert.deepEqual(Object.keys(body).slice(0, 3), [contextKey, dialect === 'v2' ? '@odata.count' : 'odata.count', 'value']);
      }
      const none = (await c.get('BusinessPartners?$top=1')).json();
      assert.equal(none['@odata.count'] ?? none['odata.count'], undefined);
    });

    test('key-paged reads ($filter=Key gt last, $orderby=Key) return every record once', async () => {
      let last = 0;
      const seen: number[] = [];
      for (;;) {
        const body = (await c.get(`Invoices?$select=DocEntry&$filter=${q(`DocEntry gt ${last}`)}&$orderby=DocEntry`, { Prefer: 'odata.maxpagesize=250' })).json();
        const page = (body.value as { DocEntry: number }[]).map((r) => r.DocEntry);
        seen.push(...page);
        if (page.length < 250) break;
        last = page[page.length - 1]!;
      }
      assert.equal(seen.length, sim.count('Invoices'));
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
      assert.equal(new Set(seen).size, seen.length);
    });

    test('$skip paging over a non-key order and over the key order agree with the ground truth', async () => {
      const { records } = await c.readAll(`JournalEntries?$select=JdtNum,ReferenceDate&$orderby=ReferenceDate desc,JdtNum desc&$filter=${q("ReferenceDate ge '2026-10-01'")}`, {
        Prefer: 'odata.maxpagesize=40',
      });
      const truth = [...sim.groundTruth('JournalEntries')]
        .filter((r) => String(r.ReferenceDate) >= '2026-10-01')
        .map((r) => r.JdtNum as number)
        .reverse();
      assert.deepEqual(records.map((r) => r.JdtNum), truth);
      const byKey = await c.readAll('JournalEntries?$select=JdtNum&$orderby=JdtNum desc', { Prefer: 'odata.maxpagesize=500' });
      assert.equal(byKey.records.length, sim.count('JournalEntries'));
      assert.equal(byKey.records[0]!.JdtNum, sim.count('JournalEntries'));
    });
  });
}
