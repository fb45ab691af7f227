/**
 * The test interpreter of manifests (test/helpers/declarative) against the real thing: every
 * column template of a generated manifest is rendered by Python's Jinja2 sandbox and
 * ast.literal_eval, as airbyte-python-cdk's JinjaInterpolation does, and by the interpreter, on
 * hand-written Service Layer records of both dialects; the values must be the same. Skipped where
 * python3 has no jinja2 (it is not a dependency of this project).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { SecretRedactor } from '../../src/logging.js';
import { offeredStreams } from '../../src/streams/offered.js';
import { generateManifest } from '../../src/manifest/document.js';
import type { Logger } from '../../src/logging.js';
import { interpolate } from '../helpers/declarative/interpolation.js';

const PYTHON = `
import ast, hashlib, json, sys
from jinja2.sandbox import SandboxedEnvironment

def hash_filter(value, hash_type="md5", salt=None):
    # airbyte_cdk/sources/declarative/interpolation/filters.py
    digest = getattr(hashlib, hash_type)()
    digest.update(str(value).encode("utf-8"))
    return digest.hexdigest()

env = SandboxedEnvironment()
env.filters["hash"] = hash_filter

def interpolate(template, context):
    # airbyte_cdk/sources/declarative/interpolation/jinja.py JinjaInterpolation.eval
    result = env.from_string(template).render(**context)
    if not result:
        result = env.from_string(template).render(**context)
    try:
        return ast.literal_eval(result)
    except (ValueError, SyntaxError):
        return result

cases = json.load(sys.stdin)
print(json.dumps([interpolate(case["template"], case["context"]) for case in cases]))
`;

function pythonWithJinja(): string | false {
  const probe = spawnSync('python3', ['-c', 'import jinja2'], { encoding: 'utf8' });
  return probe.status === 0 ? false : 'python3 with jinja2 is not installed here, so the interpreter is not compared with the real Jinja';
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const config = parseConfig({
  service_layer_url: 'https://b1.example.com:50000/b1s/v1/',
  credentials: { auth_type: 'session_login', company_db: 'SBO_FOODCO', username: 'manager', password: '1234' },
}, new SecretRedactor());
const manifest = generateManifest([...offeredStreams(config, undefined, quiet).values()]).document as {
  streams: { name: string; transformations: { fields?: { path: string[]; value: string }[] }[] }[];
};

// No whole-number floats: JSON.parse cannot tell 2.0 from 2, and Python's str() of them differs.
const batch = { BatchNumberProperty: "B'24-07", BaseLineNumber: 1, Quantity: 2.5, ExpiryDate: '2025-02-01', AddmisionDate: '2025-01-01', SystemSerialNumber: 12 };
const line = { LineNum: 0, ItemCode: '00123', Quantity: 19.5, Price: 59.25, ShipDate: '2025-01-01T00:00:00Z', DocEntry: 7, WarehouseCode: 'SO01', U_PromoCode: null, BatchNumbers: [] };
const invoice = {
  DocEntry: 7,
  DocNum: 100007,
  DocDate: '2025-01-01',
  DocTime: '14:05',
  UpdateDate: '20250103',
  UpdateTime: '09:30:15',
  CardCode: 'C00045',
  CardName: "O'Brien \"Deli\" Müller\n",
  Cancelled: 'tNO',
  DocTotal: 1130.5,
  Comments: 'None',
  NumAtCard: '1e5',
  DocumentLines: [line, { ...line, LineNum: 1, ItemCode: 'FD00001', Quantity: 2.5, BatchNumbers: [batch] }],
};
const item = { ItemCode: "FD'7", ItemName: 'Milk', InventoryItem: 'tYES', SalesItem: 'tNO', QuantityOnStock: 355.5, UpdateDate: '2026-04-21T00:00:00Z', UpdateTime: '08:01', ItemWarehouseInfoCollection: [{ WarehouseCode: 'NE01', InStock: 10.5, Locked: 'tYES' }] };
const rule = { FactorCode: 'ALLREG', TotalFactor: 100.5, Active: 'tYES', DistributionRuleLines: [{ CenterCode: 'NE', TotalInCenter: 40.5, EffectiveFrom: '2020-01-01', EffectiveTo: null }] };

const samples: Record<string, Record<string, unknown>> = {
  invoices: invoice,
  invoice_lines: { ...line, original_record: invoice },
  invoices_batch_numbers: { ...batch, original_record: invoice },
  items: item,
  item_warehouse_stock: { ...item.ItemWarehouseInfoCollection[0], original_record: item },
  distribution_rules: rule,
};

test('the interpreter evaluates every column template as Python Jinja2 does', { skip: pythonWithJinja() }, () => {
  const cases: { stream: string; column: string; template: string; context: Record<string, unknown> }[] = [];
  for (const stream of manifest.streams) {
    const record = samples[stream.name];
    if (!record) continue;
    for (const field of stream.transformations[0]!.fields ?? []) {
      cases.push({ stream: stream.name, column: field.path[1]!, template: field.value, context: { record, config } });
    }
  }
  assert.ok(cases.length > 150);
  const run = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as unknown[];
  cases.forEach((c, index) => {
    const actual = JSON.parse(JSON.stringify(interpolate(c.template, c.context)));
    assert.deepEqual(actual, expected[index], `${c.stream}.${c.column}`);
  });
});
