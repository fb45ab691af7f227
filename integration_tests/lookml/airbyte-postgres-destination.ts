/**
 * Loads a source's records into PostgreSQL the way Airbyte's Postgres destination (destinations
 * v2, typing and deduping) does, so that generated LookML runs against the same tables:
 * - raw tables in airbyte_internal ("<schema>_raw__stream_<stream>": _airbyte_raw_id varchar,
 *   _airbyte_extracted_at timestamptz from the record's emitted_at, _airbyte_loaded_at,
 *   _airbyte_data jsonb, _airbyte_meta jsonb, _airbyte_generation_id bigint);
 * - one final table per stream in the target schema, named after the stream, with the four
 *   metadata columns and one typed column per schema property: string varchar, integer bigint,
 *   number decimal, boolean boolean, date date, timestamp with/without time zone
 *   timestamptz/timestamp, time time, anything else jsonb (the destination's toDialectType);
 *   values typed with CAST(_airbyte_data ->> 'column' AS type);
 * - incremental append_dedup: rows are appended, then deduplicated by primary key keeping the
 *   row with the greatest cursor (NULLs last), then the latest _airbyte_extracted_at;
 *   full refresh overwrite: the final table holds exactly the last sync's rows.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../src/protocol/generated/airbyte-protocol.js';
import { columnKind, type ColumnKind } from '../../src/looker/lookml/tables.js';

const POSTGRES_TYPES: Record<ColumnKind, string> = {
  string: 'varchar',
  integer: 'bigint',
  number: 'decimal',
  boolean: 'boolean',
  date: 'date',
  timestamp_tz: 'timestamp with time zone',
  timestamp_ntz: 'timestamp',
  time: 'time',
  json: 'jsonb',
};

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
    return Object.entries(properties).map(([name, fragment]) => ({ name, type: POSTGRES_TYPES[columnKind(fragment)] }));
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
