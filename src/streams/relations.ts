/**
 * The parent/child relations of the stream table, read-only, for code outside the read path: the
 * LookML generator joins a header to its lines (and an item to its stock rows, a line to its batch
 * allocations) with these instead of declaring the relations a second time.
 */
import { childKeyColumns, columnOf, loadStreamSchema } from './columns.js';
import { shippedStreams, type StreamDefinition } from './definitions.js';

export interface StreamRelation {
  /** Stream names of the parent and of the child made of one of its collections. */
  parent: string;
  child: string;
  /** The SAP collection whose rows are the child's records: DocumentLines, or DocumentLines/BatchNumbers for rows of a collection in each line. */
  collection: string;
  /** The parent's key column (the one its children carry), and the child column that carries it. */
  parentKeyColumn: string;
  childParentKeyColumn: string;
  /** The child's key within its parent: line_num; center_code and effective_from for a rule's lines; base_line_number and batch_number_property for a line's batches. */
  childKeyColumns: string[];
  /**
   * The child column with the number of the line a row belongs to: a line's own key (line_num), or
   * for rows of a collection in each line the key of their line (base_line_number). Undefined for
   * a child whose rows are not numbered lines (a rule's lines, keyed by center and validity).
   */
  childLineKeyColumn: string | undefined;
}

export function streamRelations(definitions: readonly StreamDefinition[] = shippedStreams): StreamRelation[] {
  return definitions.flatMap((definition) => {
    const parentSchema = loadStreamSchema(definition.schema);
    return definition.children.map((child) => {
      const childSchema = loadStreamSchema(child.schema);
      const keyColumns = childKeyColumns(child, childSchema).slice(1);
      return {
        parent: definition.name,
        child: child.name,
        collection: child.nested ? `${child.collection}/${child.nested.collection}` : child.collection,
        parentKeyColumn: columnOf(parentSchema, definition.key),
        childParentKeyColumn: child.parentKeyColumn,
        childKeyColumns: keyColumns,
        childLineKeyColumn: child.nested ? child.nested.lineKeyColumn : child.lineKey.length === 1 ? keyColumns[0] : undefined,
      };
    });
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
