/**
 * schemas/spec.json against the rules Airbyte's connector acceptance suite checks on a spec
 * (connector_acceptance_test/tests/test_core.py, TestSpec) and Airbyte's form conventions for
 * groups and order (docs: connector-specification-reference, "Grouping fields").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

type Node = Record<string, unknown>;
const spec = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'spec.json'), 'utf8')) as { connectionSpecification: Node };
const connection = spec.connectionSpecification;
const properties = connection.properties as Record<string, Node>;

/** Every object in the schema, with a JSON-pointer-like path. */
function* nodes(node: unknown, path = ''): Generator<[string, Node]> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* nodes(item, `${path}/${index}`);
    return;
  }
  yield [path, node as Node];
  for (const [key, value] of Object.entries(node)) yield* nodes(value, `${path}/${key}`);
}

/** The secret property names the acceptance suite looks for (test_secret_is_properly_marked). */
const SECRET_NAMES = ['client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key', 'certificate', 'jwt', 'refresh_token'];

test('additionalProperties is true wherever it is set (test_additional_properties_is_true)', () => {
  const values = [...nodes(connection)].filter(([, node]) => 'additionalProperties' in node).map(([path, node]) => [path, node.additionalProperties]);
  assert.ok(values.length > 0);
  for (const [path, value] of values) assert.equal(value, true, `${path}/additionalProperties`);
});

test('every oneOf option is an object with a title and one const discriminator, without default or enum (test_oneof_usage)', () => {
  const alternatives = [...nodes(connection)].filter(([, node]) => Array.isArray(node.oneOf));
  assert.ok(alternatives.length >= 2, 'credentials and tls');
  for (const [path, node] of alternatives) {
    assert.equal(node.type, 'object', path);
    const options = node.oneOf as Node[];
    for (const option of options) {
      assert.equal(typeof option.title, 'string', `${path}: an option has no title`);
      assert.ok(option.properties, `${path}: option ${String(option.title)} has no properties`);
    }
    const common = Object.keys(options[0]!.properties as Node).filter((key) => options.every((option) => key in (option.properties as Node)));
    const discriminators = common.filter((key) => options.every((option) => ((option.properties as Record<string, Node>)[key]!.const ?? null) !== null));
    assert.equal(discriminators.length, 1, `${path}: exactly one common const property`);
    const consts = new Set<unknown>();
    for (const option of options) {
      const discriminator = (option.properties as Record<string, Node>)[discriminators[0]!]!;
      assert.ok(!('default' in discriminator) && !('enum' in discriminator), path);
      assert.ok((option.required as string[]).includes(discriminators[0]!), `${path}: the discriminator is required`);
      consts.add(discriminator.const);
    }
    assert.equal(consts.size, options.length, `${path}: each option has its own const`);
  }
});

test('secrets are airbyte_secret, and only secrets (test_secret_is_properly_marked)', () => {
  const marked: string[] = [];
  for (const [path, node] of nodes(properties)) {
    const name = path.split('/').filter((part) => !/^\d+$/.test(part) && !['properties', 'oneOf', 'items'].includes(part)).at(-1);
    if (name === undefined || !('type' in node)) continue;
    const canHoldSecret = ['string', 'integer', 'number'].includes(String(node.type)) && node.const === undefined;
    if (node.airbyte_secret === true) marked.push(name);
    if (SECRET_NAMES.includes(name.toLowerCase()) && canHoldSecret) assert.equal(node.airbyte_secret, true, `${path} is not marked airbyte_secret`);
  }
  assert.deepEqual(marked.sort(), ['client_secret', 'client_secret', 'password']);
});

test('no keyword the Airbyte form cannot render (test_forbidden_complex_types)', () => {
  for (const [path, node] of nodes(connection)) {
    for (const forbidden of ['not', 'anyOf', 'allOf', 'patternProperties', 'prefixItems', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired']) {
      if (path.endsWith('/properties')) continue;
      assert.ok(!(forbidden in node), `${path} uses ${forbidden}`);
    }
  }
});

test('groups lay the form out: connection, authentication, sync, advanced; retry and timeout knobs are advanced', () => {
  const groups = (connection.groups as { id: string; title?: string }[]).map((group) => group.id);
  assert.deepEqual(groups, ['connection', 'authentication', 'sync', 'advanced']);
  const orders = new Map<string, number[]>();
  for (const [name, property] of Object.entries(properties)) {
    assert.ok(groups.includes(property.group as string), `${name} has no known group`);
    assert.equal(typeof property.order, 'number', `${name} has no order`);
    orders.set(property.group as string, [...(orders.get(property.group as string) ?? []), property.order as number]);
  }
  for (const [group, values] of orders) assert.equal(new Set(values).size, values.length, `order is repeated in group ${group}`);
  for (const knob of ['request_timeout_seconds', 'max_retries', 'max_retry_seconds', 'page_size']) assert.equal(properties[knob]!.group, 'advanced', knob);
  assert.equal(properties.service_layer_url!.group, 'connection');
  assert.equal(properties.credentials!.group, 'authentication');
  assert.equal(properties.start_date!.group, 'sync');
  // Airbyte allows `group` on top-level properties only.
  for (const [path, node] of nodes(properties)) {
    if (path.split('/').length > 2) assert.ok(!('group' in node && typeof node.group === 'string'), `${path} sets group below the top level`);
  }
});

test('start_date accepts an empty value, as the README says (all history)', () => {
  const pattern = new RegExp(properties.start_date!.pattern as string);
  assert.ok(pattern.test(''));
  assert.ok(pattern.test('2024-01-01'));
  assert.ok(!pattern.test('01/01/2024'));
  assert.equal(properties.start_date!.format, undefined, 'format date would refuse the empty string');
});
