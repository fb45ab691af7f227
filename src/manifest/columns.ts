/**
 * Where each column of a stream comes from, decided by the same rules as the image
 * (records.ts derivedColumnSource for the derived and audit columns, the schema's x-b1-property
 * for the Service Layer's own).
 */
import type { CatalogEntry } from '../streams/catalog.js';
import type { StreamSchema } from '../json-schema.js';
import { derivedColumnSource, type ColumnPlan } from '../streams/records.js';

export interface StreamColumns {
  columns: ColumnPlan[];
  /** Columns no rule knows where to read from (a configured catalog from an older discover). */
  unresolved: string[];
}

export function streamColumns(entry: CatalogEntry): StreamColumns {
  const properties = (entry.stream.json_schema as StreamSchema).properties;
  const columns: ColumnPlan[] = [];
  const unresolved: string[] = [];
  for (const [column, schema] of Object.entries(properties)) {
    const derived = derivedColumnSource(column, entry.child, entry.definition.changeStamp !== undefined);
    const property = schema['x-b1-property'];
    if (derived) columns.push({ column, source: derived, schema });
    else if (property) columns.push({ column, source: { kind: 'sap', property }, schema });
    else unresolved.push(column);
  }
  return { columns, unresolved };
}
