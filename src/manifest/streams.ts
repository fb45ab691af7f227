/**
 * One DeclarativeStream per catalog entry. A header stream reads its entity set's records; a line
 * stream reads the same pages and emits each record's collection rows with the parent attached
 * (DpathExtractor's RecordExpander with remain_original_record, record_expander.py), so lines cost
 * one request per page, not one per document, and carry the parent's key and change stamp.
 */
import type { CatalogEntry } from '../streams/catalog.js';
import type { CursorPolicy } from '../streams/cursor/policy.js';
import type { StreamDefinition } from '../streams/definitions.js';
import { requestedProperties } from '../streams/records.js';
import { definitionRef, type Component } from './components.js';
import { streamColumns, type StreamColumns } from './columns.js';
import { recordTransformations } from './fields.js';
import { requester, type EntitySetRequest } from './requester.js';

/** The streams of one entity set that go into the manifest, with their columns. */
export interface EntitySetStreams {
  definition: StreamDefinition;
  policy: CursorPolicy;
  entries: { entry: CatalogEntry; columns: StreamColumns }[];
}

export function groupByEntitySet(entries: readonly CatalogEntry[]): EntitySetStreams[] {
  const groups = new Map<StreamDefinition, EntitySetStreams>();
  for (const entry of entries) {
    const group = groups.get(entry.definition) ?? { definition: entry.definition, policy: entry.policy, entries: [] };
    group.entries.push({ entry, columns: streamColumns(entry) });
    groups.set(entry.definition, group);
  }
  return [...groups.values()];
}

/** The one request all streams of the entity set send (see requester.ts). */
export function entitySetRequest(group: EntitySetStreams): EntitySetRequest {
  const { definition } = group;
  const select = requestedProperties(
    definition,
    group.entries.map(({ entry, columns }) => ({ child: entry.child, columns: columns.columns })),
  );
  return { definition, select, filter: group.policy.manifest.filter() };
}

function primaryKey(entry: CatalogEntry): string | string[] {
  const key = (entry.stream.source_defined_primary_key ?? []).map((path) => path[0]!);
  return key.length === 1 ? key[0]! : key;
}

export function declarativeStream(entry: CatalogEntry, columns: StreamColumns, request: EntitySetRequest): Component {
  const { definition, child, policy } = entry;
  const extractor: Component = { type: 'DpathExtractor', field_path: ['value'] };
  if (child) {
    // A wildcard step reaches the collection in every row of the parent's collection
    // (record_expander.py: dpath.values over the path, each list's items expanded).
    const path = child.nested ? [child.collection, '*', child.nested.collection] : [child.collection];
    extractor['record_expander'] = { type: 'RecordExpander', expand_records_from_field: path, remain_original_record: true };
  }
  const cursorField = entry.stream.default_cursor_field?.[0];
  // Each cursor policy writes its own part of the manifest (streams/cursor/).
  const incrementalSync = cursorField === undefined ? undefined : policy.manifest.incrementalSync(cursorField);
  return {
    type: 'DeclarativeStream',
    name: entry.stream.name,
    primary_key: primaryKey(entry),
    schema_loader: { type: 'InlineSchemaLoader', schema: entry.stream.json_schema },
    retriever: {
      type: 'SimpleRetriever',
      requester: requester(request),
      record_selector: { type: 'RecordSelector', extractor },
      paginator: definitionRef('paginator'),
    },
    ...(incrementalSync ? { incremental_sync: incrementalSync } : {}),
    transformations: recordTransformations(columns.columns, { definition, child }),
  };
}

