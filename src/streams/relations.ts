/**
 * The parent/child relations of the stream table, read-only, for code outside the read path: the
 * LookML generator joins a header to its lines (and an item to its stock rows) with these instead
 * of declaring the relations a second time.
 */
import { columnOf, loadStreamSchema } from './columns.js';
import { shippedStreams, type StreamDefinition } from './definitions.js';

export interface StreamRelation {
  /** Stream names of the parent and of the child made of one of its collections. */
  parent: string;
  child: string;
  /** The SAP collection property whose rows are the child's records, e.g. DocumentLines. */
  collection: string;
  /** The parent's key column, and the child column that carries it. */
  parentKeyColumn: string;
  childParentKeyColumn: string;
  /** The child's own key within its parent, e.g. line_num. */
  childLineKeyColumn: string;
}

export function streamRelations(definitions: readonly StreamDefinition[] = shippedStreams): StreamRelation[] {
  return definitions.flatMap((definition) => {
    const parentSchema = loadStreamSchema(definition.schema);
    return definition.children.map((child) => ({
      parent: definition.name,
      child: child.name,
      collection: child.collection,
      parentKeyColumn: columnOf(parentSchema, definition.key),
      childParentKeyColumn: child.parentKeyColumn,
      childLineKeyColumn: columnOf(loadStreamSchema(child.schema), child.lineKey),
    }));
  });
}

/**
 * The schema file (under schemas/streams/) each shipped stream's columns come from, e.g.
 * invoices -> document, invoice_lines -> document_line: streams that share a schema share the
 * meaning of their columns.
 */
export function streamSchemaNames(definitions: readonly StreamDefinition[] = shippedStreams): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of definitions) {
    if (definition.schema) names.set(definition.name, definition.schema);
    for (const child of definition.children) if (child.schema) names.set(child.name, child.schema);
  }
  return names;
}
