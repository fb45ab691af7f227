/**
 * The catalog of every stream: what discover offers for the simulator's company, with
 * item_warehouse_stock in append mode for month-end history; and the streams issue 11 added, which
 * the catalog without them (what a user who syncs only the invoicing, purchasing and ledger streams
 * gets) leaves out, to prove what the model says and does without them.
 */
import type { ConfiguredAirbyteCatalog } from '../../src/protocol/generated/airbyte-protocol.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { configuredCatalog, discoverCatalog } from './catalogs.js';

/** Streams the destination appends every sync to in the "every stream" catalog. */
export const APPEND_STREAMS = ['item_warehouse_stock'];

const ISSUE_11_ENTITY_SETS = new Set([
  'Orders',
  'DeliveryNotes',
  'Returns',
  'PurchaseReturns',
  'InventoryGenEntries',
  'InventoryGenExits',
  'StockTransfers',
  'BatchNumberDetails',
  'FinancialYears',
]);

/**
 * The streams issue 11 added: the entity sets above with their lines, the batch allocations of
 * every stock-moving document's lines, and the distribution rules' lines as a stream of their own.
 */
export const ISSUE_11_STREAMS: readonly string[] = shippedStreams.flatMap((definition) => [
  ...(ISSUE_11_ENTITY_SETS.has(definition.entitySet) ? [definition.name] : []),
  ...definition.children
    .filter((child) => ISSUE_11_ENTITY_SETS.has(definition.entitySet) || child.nested || child.name === 'distribution_rule_lines')
    .map((child) => child.name),
]);

/** The configured catalog of every stream, for the simulator's company. */
export function everyStreamCatalog(): ConfiguredAirbyteCatalog {
  return withAppendedStreams(configuredCatalog(discoverCatalog()), APPEND_STREAMS);
}

/** The catalog without some streams, as when the user does not select them. */
export function withoutStreams(catalog: ConfiguredAirbyteCatalog, names: readonly string[]): ConfiguredAirbyteCatalog {
  return { ...catalog, streams: catalog.streams.filter((s) => !names.includes(s.stream.name)) };
}

/** The catalog with some streams switched to destination sync mode append. */
export function withAppendedStreams(catalog: ConfiguredAirbyteCatalog, names: readonly string[]): ConfiguredAirbyteCatalog {
  return { ...catalog, streams: catalog.streams.map((s) => (names.includes(s.stream.name) ? { ...s, destination_sync_mode: 'append' as const } : s)) };
}
