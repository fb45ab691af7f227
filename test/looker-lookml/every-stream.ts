/**
 * The catalog of "every stream": what the connector ships, plus what issue 11 turns into streams,
 * as far as it can be had before those streams exist:
 * - the entity sets today's connector reads as custom_entity_sets, under issue 11's stream names
 *   (their line streams are <name>_lines; the LookML generator finds lines through the stream
 *   relations, not by name);
 * - the batch allocations of document lines, which no connector reads yet: planned streams, loaded
 *   in the PostgreSQL proof straight from what the simulator serves (they prove the model's SQL,
 *   not the streams);
 * - item_warehouse_stock in append mode, for month-end history.
 */
import { serviceLayerMetadata, type ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';
import type { AirbyteCatalog, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../src/protocol/generated/airbyte-protocol.js';
import type { EntitySet } from '../../src/protocol/generated/config.js';
import { offeredStreams } from '../../src/streams/offered.js';
import { parseConfig } from '../../src/config/load.js';
import { SecretRedactor, silentLogger } from '../../src/logging.js';
import { parseEdmx } from '../../src/metadata/edmx.js';
import { streamDefinitions } from '../../src/streams/offered.js';
import { streamRelations, type StreamRelation } from '../../src/streams/relations.js';
import { configuredCatalog } from './catalogs.js';

type Row = Record<string, unknown>;

/** A stream no connector produces yet, shaped as planned: its configured stream, its relation, and its records from the simulator. */
export interface PlannedStream {
  stream: ConfiguredAirbyteStream;
  relation: StreamRelation;
  records(simulator: ServiceLayerSimulator): Iterable<Row>;
}

/** Streams the destination appends every sync to in the "every stream" catalog. */
export const APPEND_STREAMS = ['item_warehouse_stock'];

const document = (entity_set: string, stream_name: string, line_collection = 'DocumentLines'): EntitySet => ({
  entity_set,
  stream_name,
  primary_key: 'DocEntry',
  cursor_date_property: 'UpdateDate',
  ...(entity_set === 'StockTransfers' ? {} : { cursor_time_property: 'UpdateTime' }),
  line_collection,
  line_key: 'LineNum',
});

/** Issue 11's streams that today's connector can read as custom entity sets, under issue 11's names. */
export const ISSUE_11_ENTITY_SETS: EntitySet[] = [
  document('DeliveryNotes', 'delivery_notes'),
  document('Returns', 'returns'),
  document('PurchaseReturns', 'purchase_returns'),
  document('InventoryGenEntries', 'inventory_gen_entries'),
  document('InventoryGenExits', 'inventory_gen_exits'),
  document('StockTransfers', 'stock_transfers', 'StockTransferLines'),
  { entity_set: 'FinancialYears', stream_name: 'financial_years', primary_key: 'AbsEntry' },
  { entity_set: 'BatchNumberDetails', stream_name: 'batch_number_details', primary_key: 'DocEntry' },
];

/**
 * The batch allocations of document lines (issue 11), which no connector reads yet: one stream per
 * document kind, as the batch-expiry model expects them (a child of the document with the
 * collection DocumentLines/BatchNumbers, snake_case SAP names), loaded from what the simulator
 * serves. They prove the model's SQL, not the streams.
 */
const BATCH_ALLOCATIONS: [string, string, string][] = [
  ['Invoices', 'invoices', 'DocumentLines'],
  ['CreditNotes', 'credit_notes', 'DocumentLines'],
  ['DeliveryNotes', 'delivery_notes', 'DocumentLines'],
  ['Returns', 'returns', 'DocumentLines'],
  ['PurchaseDeliveryNotes', 'goods_receipts', 'DocumentLines'],
  // PurchaseInvoices: the A/P invoices that bring goods (the importers') carry no batch items.
  ['PurchaseReturns', 'purchase_returns', 'DocumentLines'],
  ['InventoryGenEntries', 'inventory_gen_entries', 'DocumentLines'],
  ['InventoryGenExits', 'inventory_gen_exits', 'DocumentLines'],
  ['StockTransfers', 'stock_transfers', 'StockTransferLines'],
];

const nullable = (type: string, format?: string) => ({ type: ['null', type], ...(format ? { format } : {}) });

function plannedBatchStream([entitySet, header, collection]: [string, string, string]): PlannedStream {
  const name = `${header}_batch_numbers`;
  return {
    stream: {
      stream: {
        name,
        json_schema: {
          type: 'object',
          properties: {
            doc_entry: nullable('integer'),
            base_line_number: nullable('integer'),
            batch_number_property: nullable('string'),
            quantity: nullable('number'),
            item_code: nullable('string'),
            expiry_date: nullable('string', 'date'),
            _b1_parent_record_hash: nullable('string'),
          },
        },
        supported_sync_modes: ['full_refresh'],
        source_defined_primary_key: [['doc_entry'], ['base_line_number'], ['batch_number_property']],
      },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
      primary_key: [['doc_entry'], ['base_line_number'], ['batch_number_property']],
    },
    relation: { parent: header, child: name, collection: `${collection}/BatchNumbers`, parentKeyColumn: 'doc_entry', childParentKeyColumn: 'doc_entry', childKeyColumns: ['base_line_number', 'batch_number_property'], childLineKeyColumn: 'base_line_number' },
    *records(simulator) {
      for (const document of simulator.groundTruth(entitySet, ['DocEntry', `${collection}/BatchNumbers`])) {
        for (const line of (document[collection] as Row[]) ?? []) {
          for (const batch of (line.BatchNumbers as Row[]) ?? []) {
            yield { doc_entry: document.DocEntry, base_line_number: batch.BaseLineNumber, batch_number_property: batch.BatchNumberProperty, quantity: batch.Quantity, item_code: batch.ItemCode, expiry_date: batch.ExpiryDate };
          }
        }
      }
    },
  };
}


/** The planned batch allocation streams. */
export const PLANNED_STREAMS: readonly PlannedStream[] = BATCH_ALLOCATIONS.map(plannedBatchStream);

/** The stream relations of the shipped streams, the custom entity sets above and the planned streams. */
export function everyStreamRelations(): StreamRelation[] {
  return [...streamRelations(streamDefinitions({ custom_entity_sets: ISSUE_11_ENTITY_SETS })), ...PLANNED_STREAMS.map((s) => s.relation)];
}

/** The configured catalog of every stream (as the PostgreSQL proof syncs it, planned streams included), for the simulator's company. */
export function everyStreamCatalog(): ConfiguredAirbyteCatalog {
  const config = parseConfig({
    service_layer_url: 'https://127.0.0.1:50000/b1s/v2/',
    credentials: { auth_type: 'session_login', company_db: 'SBO_FOODCO', username: 'manager', password: 'not-used' },
    custom_entity_sets: ISSUE_11_ENTITY_SETS,
  }, new SecretRedactor());
  const discovered: AirbyteCatalog = { streams: [...offeredStreams(config, parseEdmx(serviceLayerMetadata('v2')), silentLogger).values()].map((e) => e.stream) };
  const configured = withAppendedStreams(configuredCatalog(discovered), APPEND_STREAMS);
  return { ...configured, streams: [...configured.streams, ...PLANNED_STREAMS.map((s) => s.stream)] };
}

/** The catalog with some streams switched to destination sync mode append. */
export function withAppendedStreams(catalog: ConfiguredAirbyteCatalog, names: readonly string[]): ConfiguredAirbyteCatalog {
  return { ...catalog, streams: catalog.streams.map((s) => (names.includes(s.stream.name) ? { ...s, destination_sync_mode: 'append' as const } : s)) };
}
