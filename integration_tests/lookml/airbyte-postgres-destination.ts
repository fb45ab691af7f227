/**
 * Loads a source's records into PostgreSQL the way Airbyte's Postgres destination (destinations
 * v2, typing and deduping) does, so that generated LookML runs against the same tables:
 * - raw tables in airbyte_internal ("<schema>_raw__stream_<stream>": _airbyte_raw_id varchar,
 *   _airbyte_extracted_at timestamptz from the record's emitted_at, _airbyte_loaded_at,
 *   _airbyte_data jsonb, _airbyte_meta jsonb, _airbyte_generation_id bigint);
 * - one final table per stream in the target schema, named after the stream, with the four
 *   metadata columns and one typed column per schema property, typed as Airbyte types it (below);
 *   values typed with CAST(_airbyte_data ->> 'column' AS type);
 * - incremental append_dedup: rows are appended, then deduplicated by primary key keeping the
 *   row with the greatest cursor (NULLs last), then the latest _airbyte_extracted_at;
 *   full refresh overwrite: the final table holds exactly the last sync's rows;
 *   append (full refresh or incremental): every sync's rows are appended and kept.
 *
 * The column types follow Airbyte's own code, not the LookML generator's idea of them (a test
 * oracle must not share the code it tests): the JSON schema is read as AirbyteType.fromJsonSchema
 * and AirbyteProtocolType.fromJson do in the destinations' typing-and-deduping base (airbytehq/
 * airbyte, typing_deduping), and mapped as JdbcSqlGenerator.toDialectType with the Postgres
 * generator's override (STRING is an unbounded VARCHAR): NUMBER decimal(38, 9), INTEGER bigint,
 * dates and times to their types, objects, arrays, oneOf and anything unrecognised to jsonb; a
 * union of types takes the widest (Union.chooseType).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../src/protocol/generated/airbyte-protocol.js';

/** AirbyteProtocolType, in Airbyte's order of precedence within a union (widest first). */
const PROTOCOL_TYPES = ['STRING', 'DATE', 'TIME_WITHOUT_TIMEZONE', 'TIME_WITH_TIMEZONE', 'TIMESTAMP_WITHOUT_TIMEZONE', 'TIMESTAMP_WITH_TIMEZONE', 'NUMBER', 'INTEGER', 'BOOLEAN', 'UNKNOWN'] as const;
type ProtocolType = (typeof PROTOCOL_TYPES)[number];
type AirbyteType = { protocol: ProtocolType } | { kind: 'struct' | 'array' | 'one_of' } | { union: AirbyteType[] };

interface JsonSchema {
  type?: string | string[];
  format?: string;
  airbyte_type?: string;
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
}

/** AirbyteProtocolType.fromJson: one JSON type with its format and airbyte_type. */
function protocolType(schema: JsonSchema & { type: string }): ProtocolType {
  const { type, format, airbyte_type: airbyteType } = schema;
  if (type === 'boolean') return 'BOOLEAN';
  if (type === 'integer') return 'INTEGER';
  if (type === 'number') return airbyteType === 'integer' ? 'INTEGER' : 'NUMBER';
  if (type === 'string') {
    if (format === 'date') return 'DATE';
    if (format === 'time') {
      if (airbyteType === 'time_without_timezone') return 'TIME_WITHOUT_TIMEZONE';
      if (airbyteType === 'time_with_timezone') return 'TIME_WITH_TIMEZONE';
      return 'UNKNOWN';
    }
    if (format === 'date-time') {
      if (airbyteType === 'timestamp_without_timezone') return 'TIMESTAMP_WITHOUT_TIMEZONE';
      if (airbyteType === undefined || airbyteType === 'timestamp_with_timezone') return 'TIMESTAMP_WITH_TIMEZONE';
      return 'UNKNOWN';
    }
    return 'STRING';
  }
  return 'UNKNOWN';
}

/** AirbyteType.fromJsonSchema for a column's schema. */
function airbyteType(schema: JsonSchema): AirbyteType {
  const { type } = schema;
  if (typeof type === 'string') {
    if (type === 'object') return { kind: 'struct' };
    if (type === 'array') return { kind: 'array' };
    return { protocol: protocolType({ ...schema, type }) };
  }
  if (Array.isArray(type)) {
    const options = [...new Set(type.filter((t) => t !== 'null'))];
    if (options.length === 1) return airbyteType({ ...schema, type: options[0]! });
    return { union: options.map((option) => airbyteType({ ...schema, type: option })) };
  }
  if (schema.oneOf) return { kind: 'one_of' };
  if (schema.properties) return { kind: 'struct' };
  return { protocol: 'UNKNOWN' };
}

/** Union.chooseType: arrays, then objects, then the protocol type earliest in precedence. */
function chooseType(options: AirbyteType[]): AirbyteType {
  const rank = (t: AirbyteType) => ('kind' in t ? (t.kind === 'array' ? -2 : t.kind === 'struct' ? -1 : Number.MAX_SAFE_INTEGER) : 'protocol' in t ? PROTOCOL_TYPES.indexOf(t.protocol) : Number.MAX_SAFE_INTEGER);
  return options.length ? options.reduce((best, t) => (rank(t) < rank(best) ? t : best)) : { protocol: 'UNKNOWN' };
}

const POSTGRES_TYPES: Record<ProtocolType, string> = {
  STRING: 'varchar',
  NUMBER: 'decimal(38, 9)',
  INTEGER: 'bigint',
  BOOLEAN: 'boolean',
  TIMESTAMP_WITH_TIMEZONE: 'timestamp with time zone',
  TIMESTAMP_WITHOUT_TIMEZONE: 'timestamp',
  TIME_WITH_TIMEZONE: 'time with time zone',
  TIME_WITHOUT_TIMEZONE: 'time',
  DATE: 'date',
  UNKNOWN: 'jsonb',
};

/** The Postgres column type Airbyte's Postgres destination creates for a column's JSON schema. */
export function postgresColumnType(schema: JsonSchema): string {
  let type = airbyteType(schema);
  if ('union' in type) type = chooseType(type.union);
  return 'protocol' in type ? POSTGRES_TYPES[type.protocol] : 'jsonb';
}

export interface SyncRecord {
  stream: string;
  data: Record<string, unknown>;
  emitted_at: number;
  meta?: { changes?: unknown[] };
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

export class AirbytePostgresDestination {
  private readonly streams: Map<string, ConfiguredAirbyteStream>;

  constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
    catalog: ConfiguredAirbyteCatalog,
  ) {
    this.streams = new Map(catalog.streams.map((s) => [s.stream.name, s]));
  }

  private columns(stream: ConfiguredAirbyteStream): { name: string; type: string }[] {
    const properties = (stream.stream.json_schema as { properties: Record<string, object> }).properties;
    return Object.entries(properties).map(([name, fragment]) => ({ name, type: postgresColumnType(fragment) }));
  }

  private finalTable(name: string): string {
    return `${q(this.schema)}.${q(name)}`;
  }

  private rawTable(name: string): string {
    return `airbyte_internal.${q(`${this.schema}_raw__stream_${name}`)}`;
  }

  async setup(): Promise<void> {
    await this.client.query(`CREATE SCHEMA IF NOT EXISTS ${q(this.schema)}; CREATE SCHEMA IF NOT EXISTS airbyte_internal;`);
    for (const [name, stream] of this.streams) {
      await this.client.query(
        `CREATE TABLE IF NOT EXISTS ${this.rawTable(name)} (
          "_airbyte_raw_id" varchar NOT NULL, "_airbyte_extracted_at" timestamptz NOT NULL, "_airbyte_loaded_at" timestamptz,
          "_airbyte_data" jsonb NOT NULL, "_airbyte_meta" jsonb, "_airbyte_generation_id" bigint)`,
      );
      const columns = this.columns(stream).map((c) => `${q(c.name)} ${c.type}`);
      await this.client.query(
        `CREATE TABLE IF NOT EXISTS ${this.finalTable(name)} (
          "_airbyte_raw_id" varchar NOT NULL, "_airbyte_extracted_at" timestamptz NOT NULL, "_airbyte_meta" jsonb NOT NULL,
          "_airbyte_generation_id" bigint, ${columns.join(', ')})`,
      );
    }
  }

  /** One sync: every record of the read, then typing and deduping per stream. */
  async writeSync(records: Iterable<SyncRecord>, syncId: number): Promise<void> {
    const batches = new Map<string, SyncRecord[]>();
    for (const record of records) {
      if (!this.streams.has(record.stream)) throw new Error(`Record of stream ${record.stream}, which the configured catalog does not have`);
      const batch = batches.get(record.stream) ?? [];
      batch.push(record);
      batches.set(record.stream, batch);
    }
    for (const [name, stream] of this.streams) {
      if (stream.destination_sync_mode === 'overwrite') await this.client.query(`TRUNCATE ${this.rawTable(name)}`);
      const batch = batches.get(name) ?? [];
      for (let i = 0; i < batch.length; i += 2000) await this.insertRaw(name, batch.slice(i, i + 2000));
      await this.typeAndDedupe(name, stream, syncId);
    }
  }

  private async insertRaw(name: string, records: SyncRecord[]): Promise<void> {
    const rows = records.map((r) => ({ id: randomUUID(), ts: r.emitted_at, data: r.data, changes: r.meta?.changes ?? [] }));
    await this.client.query(
      `INSERT INTO ${this.rawTable(name)} ("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_data", "_airbyte_meta", "_airbyte_generation_id")
       SELECT x.id, to_timestamp(x.ts / 1000.0), x.data, jsonb_build_object('changes', x.changes), 0
       FROM jsonb_to_recordset($1::jsonb) AS x(id varchar, ts bigint, data jsonb, changes jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  private async typeAndDedupe(name: string, stream: ConfiguredAirbyteStream, syncId: number): Promise<void> {
    const columns = this.columns(stream);
    const typed = columns.map((c) =>
      c.type === 'jsonb' ? `("_airbyte_data" -> '${c.name}') AS ${q(c.name)}` : `CAST(("_airbyte_data" ->> '${c.name}') AS ${c.type}) AS ${q(c.name)}`,
    );
    const names = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_meta', '_airbyte_generation_id', ...columns.map((c) => c.name)].map(q).join(', ');
    const select = `SELECT "_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta" || jsonb_build_object('sync_id', ${syncId}), "_airbyte_generation_id", ${typed.join(', ')}
      FROM ${this.rawTable(name)} WHERE "_airbyte_loaded_at" IS NULL`;
    if (stream.destination_sync_mode === 'overwrite') {
      await this.client.query(`TRUNCATE ${this.finalTable(name)}`);
      await this.client.query(`INSERT INTO ${this.finalTable(name)} (${names}) ${select}`);
    } else if (stream.destination_sync_mode === 'append') {
      await this.client.query(`INSERT INTO ${this.finalTable(name)} (${names}) ${select}`);
    } else if (stream.destination_sync_mode === 'append_dedup') {
      await this.client.query(`INSERT INTO ${this.finalTable(name)} (${names}) ${select}`);
      const key = (stream.primary_key ?? stream.stream.source_defined_primary_key ?? []).map((path) => q(path[0]!));
      if (key.length === 0) throw new Error(`Stream ${name} is append_dedup without a primary key`);
      const cursor = stream.cursor_field?.[0];
      const order = [...(cursor ? [`${q(cursor)} DESC NULLS LAST`] : []), '"_airbyte_extracted_at" DESC'].join(', ');
      await this.client.query(
        `DELETE FROM ${this.finalTable(name)} AS f USING (
           SELECT ctid AS row_id, ROW_NUMBER() OVER (PARTITION BY ${key.join(', ')} ORDER BY ${order}) AS row_number FROM ${this.finalTable(name)}
         ) AS d WHERE f.ctid = d.row_id AND d.row_number > 1`,
      );
    } else {
      throw new Error(`Destination sync mode ${stream.destination_sync_mode} is not emulated`);
    }
    await this.client.query(`UPDATE ${this.rawTable(name)} SET "_airbyte_loaded_at" = now() WHERE "_airbyte_loaded_at" IS NULL`);
  }
}
