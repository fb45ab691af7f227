/**
 * `$ref` resolution as the engine does it before it builds components (airbyte-python-cdk
 * parsers/manifest_reference_resolver.py): "#/definitions/x" is replaced by the referenced value,
 * and keys written next to the $ref override the referenced ones.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function lookup(document: Json, pointer: string): Json {
  if (!pointer.startsWith('#/')) throw new Error(`Only local references are supported: ${pointer}`);
  let node: Json = document;
  for (const part of pointer.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(part in node)) throw new Error(`Unresolvable reference ${pointer}`);
    node = node[part]!;
  }
  return node;
}

export function resolveReferences<T>(document: T): T {
  const root = document as unknown as Json;
  const visit = (node: Json, seen: string[]): Json => {
    if (Array.isArray(node)) return node.map((item) => visit(item, seen));
    if (typeof node !== 'object' || node === null) return node;
    const own: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) if (key !== '$ref') own[key] = visit(value, seen);
    const reference = node['$ref'];
    if (typeof reference !== 'string') return own;
    if (seen.includes(reference)) throw new Error(`Circular reference ${reference}`);
    const target = visit(lookup(root, reference), [...seen, reference]);
    return typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target, ...own } : target;
  };
  return visit(root, []) as unknown as T;
}
