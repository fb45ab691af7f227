/**
 * Turns the configured catalog into read groups: the streams fed by one entity set are read in
 * one pass (invoices and invoice_lines cost one pass over Invoices), each with the columns the
 * user selected and the state Airbyte handed back.
 */
import type { ConfiguredAirbyteCatalog } from '../protocol/generated/airbyte-protocol.js';
import type { Logger } from '../logging.js';
import type { CatalogEntry } from './catalog.js';
import type { JsonSchemaFragment, StreamSchema } from '../json-schema.js';
import type { StreamDefinition } from './definitions.js';
import { EXPECTED_STATE_SHAPE, stateError, type SavedState } from './state.js';
import type { SyncMode } from './cursor/pass.js';
import type { CursorPolicy, CursorState, PassBound } from './cursor/policy.js';
import { RecordShaper, derivedColumnSource, type ColumnPlan } from './records.js';
import { ValueNormalizer } from './normalize.js';

export interface ConfiguredMember {
  name: string;
  syncMode: SyncMode;
  /** The state Airbyte handed back, as it was saved. */
  saved: SavedState | undefined;
  /** The same, as the group's cursor policy reads it. */
  cursor: CursorState<unknown, PassBound> | undefined;
  shaper: RecordShaper;
}

export interface ReadGroup {
  definition: StreamDefinition;
  policy: CursorPolicy;
  members: ConfiguredMember[];
}

/** What the company's $metadata says about columns, when it could be read. */
export interface ColumnResolver {
  /** The SAP property behind a column the catalog does not annotate (catalogs from older discovers). */
  resolve(entry: CatalogEntry, column: string): { property: string; schema: JsonSchemaFragment } | undefined;
  /** Whether the entity (or its collection rows) has this property on this server. */
  exists(entry: CatalogEntry, property: string): boolean;
}

export interface Selection {
  groups: ReadGroup[];
  /** Configured streams this connector does not offer. */
  unknownStreams: string[];
  /** Selected columns no rule or schema could map to a Service Layer property. */
  unresolvedColumns: { stream: string; column: string }[];
  /** Selected columns whose property this Service Layer does not have (left out of $select). */
  missingColumns: { stream: string; column: string; property: string }[];
}

export function selectStreams(
  configured: ConfiguredAirbyteCatalog,
  available: ReadonlyMap<string, CatalogEntry>,
  states: ReadonlyMap<string, SavedState>,
  logger: Logger,
  resolveColumn?: ColumnResolver,
): Selection {
  const groups = new Map<StreamDefinition, ReadGroup>();
  const unknownStreams: string[] = [];
  const unresolvedColumns: Selection['unresolvedColumns'] = [];
  const missingColumns: Selection['missingColumns'] = [];
  // One per read: the dates a company's records share are typed once for all its streams.
  const values = new ValueNormalizer();

  for (const configuredStream of configured.streams) {
    const name = configuredStream.stream.name;
    const entry = available.get(name);
    if (!entry) {
      unknownStreams.push(name);
      continue;
    }
    let syncMode: SyncMode = configuredStream.sync_mode;
    if (syncMode === 'incremental' && !entry.stream.supported_sync_modes.includes('incremental')) {
      logger.warn(`Stream ${name} supports full refresh only; reading it in full.`);
      syncMode = 'full_refresh';
    }
    const columns = planColumns(entry, configuredStream.stream.json_schema as JsonSchemaFragment, resolveColumn, {
      unresolved: (column) => unresolvedColumns.push({ stream: name, column }),
      missing: (column, property) => missingColumns.push({ stream: name, column, property }),
    });
    const saved = states.get(name);
    const member: ConfiguredMember = {
      name,
      syncMode,
      saved,
      cursor: saved === undefined ? undefined : readState(entry.policy, name, saved),
      shaper: new RecordShaper(entry.definition, entry.child, columns, values),
    };
    const group = groups.get(entry.definition) ?? { definition: entry.definition, policy: entry.policy, members: [] };
    group.members.push(member);
    groups.set(entry.definition, group);
  }
  return { groups: [...groups.values()], unknownStreams, unresolvedColumns, missingColumns };
}

/** A state the stream's policy would misread would silently read the whole history again: it is an error. */
function readState(policy: CursorPolicy, stream: string, saved: SavedState): CursorState<unknown, PassBound> {
  const reading = policy.readState(saved);
  if ('problem' in reading) throw stateError(`the state of stream ${stream} is not understood: ${reading.problem}. Expected ${EXPECTED_STATE_SHAPE}`);
  return reading.state;
}

/**
 * The columns of a configured stream, in the order the configured schema lists them. Key columns
 * are always read, whatever was deselected, because destinations deduplicate on them.
 */
function planColumns(
  entry: CatalogEntry,
  configuredSchema: JsonSchemaFragment,
  resolveColumn: ColumnResolver | undefined,
  report: { unresolved: (column: string) => void; missing: (column: string, property: string) => void },
): ColumnPlan[] {
  const offered = (entry.stream.json_schema as StreamSchema).properties;
  const requested = { ...(configuredSchema.properties ?? offered) };
  for (const keyPath of entry.stream.source_defined_primary_key ?? []) {
    const keyColumn = keyPath[0];
    if (keyColumn && !(keyColumn in requested) && offered[keyColumn]) requested[keyColumn] = offered[keyColumn]!;
  }
  const hasStamp = entry.definition.changeStamp !== undefined;
  const plans: ColumnPlan[] = [];
  for (const [column, configuredFragment] of Object.entries(requested)) {
    const known = offered[column];
    const schema = configuredFragment?.type ? configuredFragment : (known ?? configuredFragment ?? {});
    const derived = derivedColumnSource(column, entry.child, hasStamp);
    if (derived) {
      plans.push({ column, source: derived, schema });
      continue;
    }
    const property = configuredFragment?.['x-b1-property'] ?? known?.['x-b1-property'];
    if (property) {
      // A catalog discovered on another release may name another spelling of the property.
      const spellings = [property, ...(configuredFragment?.['x-b1-property-aliases'] ?? known?.['x-b1-property-aliases'] ?? [])];
      const available = resolveColumn ? spellings.find((spelling) => resolveColumn.exists(entry, spelling)) : property;
      // Asking the Service Layer for a property it lacks fails the whole request.
      if (available === undefined) report.missing(column, property);
      else plans.push({ column, source: { kind: 'sap', property: available }, schema });
      continue;
    }
    const resolved = resolveColumn?.resolve(entry, column);
    if (resolved) {
      plans.push({
        column,
        source: { kind: 'sap', property: resolved.property },
        schema: configuredFragment?.type ? configuredFragment : resolved.schema,
      });
      continue;
    }
    report.unresolved(column);
  }
  return plans;
}
