/**
 * Walks a manifest for its components. Every object the engine builds a component from must name
 * its `type`, as Connector Builder writes it; the free-form objects (schemas, request options,
 * bodies, the authenticators map) are not components.
 */
const FREE_FORM_KEYS = new Set([
  'schema',
  'connection_specification',
  'request_parameters',
  'request_headers',
  'value',
  'authenticators',
  'refresh_request_headers',
  'refresh_request_body',
  'definitions',
  '$parameters',
  'metadata',
]);

/** Paths of objects that are components but have no `type`. */
export function untypedComponents(node: unknown, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => untypedComponents(item, `${path}[${index}]`));
  if (typeof node !== 'object' || node === null) return [];
  const problems: string[] = [];
  if (!('type' in node) && !('$ref' in node) && path !== '$') problems.push(path);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'authenticators' || key === 'definitions') {
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) problems.push(...untypedComponents(item, `${path}.${key}.${name}`));
    } else if (!FREE_FORM_KEYS.has(key)) problems.push(...untypedComponents(value, `${path}.${key}`));
  }
  return problems;
}

type SchemaDefinition = { properties?: Record<string, { enum?: unknown[] }> };

/** The schema's definitions by the component type their `type` enum names. */
export function definitionsByType(schema: { definitions: Record<string, SchemaDefinition> }): Map<string, SchemaDefinition> {
  const byType = new Map<string, SchemaDefinition>();
  for (const definition of Object.values(schema.definitions)) {
    for (const type of definition.properties?.['type']?.enum ?? []) byType.set(String(type), definition);
  }
  return byType;
}

/**
 * Keys the schema does not define for their component's type. The schema lets components carry
 * unknown keys, so a misspelt option would validate and then be ignored by the engine.
 */
export function unknownProperties(node: unknown, byType: Map<string, SchemaDefinition>, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => unknownProperties(item, byType, `${path}[${index}]`));
  if (typeof node !== 'object' || node === null) return [];
  const problems: string[] = [];
  const type = (node as { type?: unknown }).type;
  const definition = typeof type === 'string' ? byType.get(type) : undefined;
  if (typeof type === 'string' && path !== '$' && !definition) problems.push(`${path}: unknown component type ${type}`);
  for (const [key, value] of Object.entries(node)) {
    if (definition?.properties && !(key in definition.properties)) problems.push(`${path}.${key}`);
    if (key === 'authenticators' || key === 'definitions') {
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) problems.push(...unknownProperties(item, byType, `${path}.${key}.${name}`));
    } else if (!FREE_FORM_KEYS.has(key)) problems.push(...unknownProperties(value, byType, `${path}.${key}`));
  }
  return problems;
}
