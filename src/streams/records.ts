/**
 * Shapes Service Layer entities into Airbyte records for one configured stream: picks the
 * selected columns, types their values, derives updated_at and the child rows' link to their
 * parent, and adds the audit columns. Column plans are computed once per stream, not per record.
 */
import { createHash, hash } from 'node:crypto';
import type { RecordChange } from '../protocol/messages.js';
import type { ScannedCollection } from '../service-layer/collection-scanner.js';
import type { ChildStreamDefinition, StreamDefinition } from './definitions.js';
import type { JsonSchemaFragment } from '../json-schema.js';
import { PARENT_RECORD_HASH, PARENT_UPDATED_AT, UPDATED_AT, auditColumns } from './columns.js';
import { UNTYPABLE, type Typer, type ValueNormalizer } from './normalize.js';

export type ColumnSource =
  | { kind: 'sap'; property: string }
  | { kind: 'updated_at' }
  | { kind: 'parent_updated_at' }
  | { kind: 'parent_key' }
  | { kind: 'line_key' }
  | { kind: 'parent_hash' }
  | { kind: 'audit'; name: keyof typeof auditColumns };

export interface ColumnPlan {
  column: string;
  source: ColumnSource;
  schema: JsonSchemaFragment;
}

/** What the audit columns of one page share. */
export interface PageContext {
  companyDb: string | null;
  sourceUrlOf: (key: unknown) => string;
}

export interface ShapedRecord {
  data: Record<string, unknown>;
  changes: RecordChange[];
}

export type RawEntity = Record<string, unknown>;

export function hashOf(raw: unknown): string {
  return createHash('sha256').update(JSON.stringify(raw)).digest('hex');
}

/**
 * The source hashes of one entity and its collection rows, from the JSON the Service Layer sent for
 * it (collection-scanner.ts), so that nothing is serialised again to be hashed. A row's hash is the
 * SHA-256 of its bytes, and so is the hash of a row of a collection inside a row (a document line's
 * batch allocation); the entity's is the SHA-256 of its bytes with each row replaced by the row's
 * hash (a Merkle hash): a change anywhere in a document changes the document's hash, and every byte
 * is hashed once.
 */
export class EntityHashes {
  readonly entity: string;
  private readonly rows = new Map<string, string[]>();
  /** The hashes of the rows of collections inside rows, by `nestedKey`. */
  private readonly nestedRows = new Map<string, string[]>();

  constructor(bytes: Buffer, collections: readonly ScannedCollection[]) {
    const entity = createHash('sha256');
    let from = 0;
    for (const collection of collections) {
      const name = nameOf(bytes, collection);
      const rowHashes: string[] = [];
      collection.rows.forEach(([start, end], index) => {
        const rowHash = hash('sha256', bytes.subarray(start, end), 'hex');
        entity.update(bytes.subarray(from, start)).update(rowHash);
        rowHashes.push(rowHash);
        from = end;
        for (const inner of collection.nested?.[index] ?? []) {
          const innerHashes = inner.rows.map(([innerStart, innerEnd]) => hash('sha256', bytes.subarray(innerStart, innerEnd), 'hex'));
          this.nestedRows.set(nestedKey(name, index, nameOf(bytes, inner)), innerHashes);
        }
      });
      this.rows.set(name, rowHashes);
    }
    this.entity = entity.update(bytes.subarray(from)).digest('hex');
  }

  row(collection: string, index: number): string | undefined {
    return this.rows.get(collection)?.[index];
  }

  /** The hash of a row of a collection inside a row (a batch allocation of a document line): the SHA-256 of its bytes. */
  nestedRow(collection: string, rowIndex: number, nested: string, index: number): string | undefined {
    return this.nestedRows.get(nestedKey(collection, rowIndex, nested))?.[index];
  }
}

/** The name of a scanned collection. */
export function nameOf(bytes: Buffer, collection: ScannedCollection): string {
  return JSON.parse(bytes.toString('utf8', ...collection.name)) as string;
}

function nestedKey(collection: string, rowIndex: number, nested: string): string {
  return `${collection}[${rowIndex}].${nested}`;
}

/** The Service Layer properties a stream's columns read from each row (the parent's or the child's). */
export function sapProperties(columns: readonly ColumnPlan[]): string[] {
  return columns.flatMap((plan) => (plan.source.kind === 'sap' ? [plan.source.property] : []));
}

/**
 * The properties the one request for an entity set asks for ($select): its key and change stamp,
 * each child stream's collection, and each parent stream's columns. The image and the manifest
 * send the same.
 */
export function requestedProperties(
  definition: StreamDefinition,
  streams: readonly { child: ChildStreamDefinition | undefined; columns: readonly ColumnPlan[] }[],
): string[] {
  const properties = new Set<string>([definition.key]);
  if (definition.changeStamp) {
    properties.add(definition.changeStamp.dateProperty);
    if (definition.changeStamp.timeProperty) properties.add(definition.changeStamp.timeProperty);
  }
  for (const stream of streams) {
    if (stream.child) properties.add(stream.child.collection);
    else for (const property of sapProperties(stream.columns)) properties.add(property);
  }
  return [...properties];
}

export class RecordShaper {
  /** Each column's typer, in the order of `columns`. */
  private readonly typers: Typer[];
  private readonly build: RecordBuilder;

  constructor(
    readonly definition: StreamDefinition,
    readonly child: ChildStreamDefinition | undefined,
    readonly columns: readonly ColumnPlan[],
    private readonly values: ValueNormalizer,
  ) {
    this.typers = columns.map((plan) => values.typer(plan.schema));
    this.build = compileRecordBuilder(columns, definition.key);
  }

  parentRecord(raw: RawEntity, hashes: EntityHashes, page: PageContext): ShapedRecord {
    return this.shape(raw, raw, hashes.entity, hashes.entity, page);
  }

  /**
   * One record per row of the child collection, or per row of the collection nested in each of
   * its rows (with that row's key); the records of one entity share its hash and stamp. `rows` are
   * the collection's rows from the `firstIndex`th on (a slice of them, for a large entity).
   */
  childRecords(parent: RawEntity, rows: readonly unknown[], firstIndex: number, hashes: EntityHashes, page: PageContext): ShapedRecord[] {
    const { collection, nested, lineKey } = this.child!;
    if (!nested)
      return rows.map((row, index) => this.shape(row as RawEntity, parent, hashes.entity, hashes.row(collection, firstIndex + index) ?? hashOf(row), page));
    return (rows as RawEntity[]).flatMap((line, index) => {
      const inner = line[nested.collection];
      if (!Array.isArray(inner)) return [];
      const lineIndex = firstIndex + index;
      return inner.map((row, innerIndex) =>
        this.shape(row as RawEntity, parent, hashes.entity, hashes.nestedRow(collection, lineIndex, nested.collection, innerIndex) ?? hashOf(row), page, line[lineKey[0]!]),
      );
    });
  }

  private shape(row: RawEntity, parent: RawEntity, parentHash: string, rowHash: string, page: PageContext, lineKey?: unknown): ShapedRecord {
    const data = this.build(row, parent, parentHash, rowHash, page, lineKey, this.typers, this.stampOf);
    if (data !== undefined) return { data, changes: NO_CHANGES };
    // A value could not be typed (rare): built again with typers that null it and record the change.
    const changes: RecordChange[] = [];
    const nulling = this.typers.map((typer, index): Typer => (value) => {
      const typed = typer(value);
      if (typed !== UNTYPABLE) return typed;
      changes.push({ field: this.columns[index]!.column, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
      return null;
    });
    return { data: this.build(row, parent, parentHash, rowHash, page, lineKey, nulling, this.stampOf)!, changes };
  }

  /** updated_at: the parent's change date and time. */
  private readonly stampOf = (parent: RawEntity): string | null => {
    const stamp = this.definition.changeStamp;
    return stamp ? this.values.dateTime(parent[stamp.dateProperty], stamp.timeProperty ? parent[stamp.timeProperty] : undefined) : null;
  };
}

/** A record with no changes; shared, since nothing adds to it. */
const NO_CHANGES: RecordChange[] = [];

/**
 * Builds the data of one record, or undefined when a value cannot be typed (the caller then shapes
 * it again, recording the change).
 */
type RecordBuilder = (
  row: RawEntity,
  parent: RawEntity,
  parentHash: string,
  rowHash: string,
  page: PageContext,
  lineKey: unknown,
  typers: readonly Typer[],
  stampOf: (parent: RawEntity) => string | null,
) => Record<string, unknown> | undefined;

/**
 * A stream's record builder, compiled once per stream: one object literal with the stream's columns
 * in order, and a named read of each property. Records built column by column, with computed keys,
 * turn into hash tables after 16 columns, which take about ten times as long to build and half as
 * long again to serialise as an object of a fixed shape (a document line has 61 columns), and the
 * reads of a loop over the columns see every property at one site. Column and property names enter
 * the code only as JSON string literals (JSON.stringify), which are JavaScript string literals
 * whatever the catalog names them, so no name can change what the code does.
 */
function compileRecordBuilder(columns: readonly ColumnPlan[], keyProperty: string): RecordBuilder {
  const values: string[] = [];
  const typed: string[] = [];
  columns.forEach((plan, index) => {
    const source = plan.source;
    const typedValue = (value: string): string => {
      typed.push(`v${index}`);
      return `T[${index}](${value})`;
    };
    switch (source.kind) {
      case 'sap':
        values.push(typedValue(`row[${JSON.stringify(source.property)}]`));
        break;
      case 'updated_at':
      case 'parent_updated_at':
        values.push('stampOf(parent)');
        break;
      case 'parent_key':
        values.push(typedValue('parentKey'));
        break;
      case 'line_key':
        values.push(typedValue('lineKey'));
        break;
      case 'parent_hash':
        values.push('parentHash');
        break;
      case 'audit':
        values.push(source.name === '_b1_company_db' ? 'page.companyDb' : source.name === '_b1_source_url' ? 'page.sourceUrlOf(parentKey)' : 'rowHash');
        break;
    }
  });
  // A literal's "__proto__" key would set the prototype; a computed key defines the column.
  const key = (column: string): string => (column === '__proto__' ? `[${JSON.stringify(column)}]` : JSON.stringify(column));
  const body = [
    `const parentKey = parent[${JSON.stringify(keyProperty)}];`,
    ...values.map((value, index) => `const v${index} = ${value};`),
    typed.length > 0 ? `if (${typed.map((name) => `${name} === U`).join(' || ')}) return undefined;` : '',
    `return {${columns.map((plan, index) => `${key(plan.column)}: v${index}`).join(', ')}};`,
  ].join('\n');
  const compile = new Function('U', `return function build(row, parent, parentHash, rowHash, page, lineKey, T, stampOf) {\n${body}\n};`) as (
    untypable: typeof UNTYPABLE,
  ) => RecordBuilder;
  return compile(UNTYPABLE);
}

/** How each column of a configured stream (of the given child, or the parent) is filled, or undefined when no rule knows it. */
export function derivedColumnSource(column: string, child: ChildStreamDefinition | undefined, hasStamp: boolean): ColumnSource | undefined {
  if (column in auditColumns) return { kind: 'audit', name: column as keyof typeof auditColumns };
  if (!child) return hasStamp && column === UPDATED_AT ? { kind: 'updated_at' } : undefined;
  if (hasStamp && column === PARENT_UPDATED_AT) return { kind: 'parent_updated_at' };
  if (column === child.parentKeyColumn) return { kind: 'parent_key' };
  if (column === child.nested?.lineKeyColumn) return { kind: 'line_key' };
  if (column === PARENT_RECORD_HASH) return { kind: 'parent_hash' };
  return undefined;
}
