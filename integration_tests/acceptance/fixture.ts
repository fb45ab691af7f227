/**
 * Shared set-up of the acceptance tests: a simulator, a config pointing at it, the catalog that
 * discover offers turned into a configured catalog, and ways to compare what the connector
 * emitted with the simulator's ground truth.
 */
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator, type SimulatorOptions } from '@sap-b1-airbyte/service-layer-simulator';
import { jsonFile, runConnector, type ConnectorRun } from '../../test/helpers/connector.js';
import { configureStreams } from '../../test/helpers/catalog.js';

export type { ServiceLayerSimulator };

/**
 * The concurrency settings the read suites run at: one session reading entity sets one after
 * another, and four reading entity sets (and key ranges of the large ones) side by side.
 */
export const CONCURRENCIES = [1, 4] as const;

export async function startSimulator(options: SimulatorOptions = {}): Promise<ServiceLayerSimulator> {
  return startServiceLayerSimulator({ clockStart: '2026-11-25T10:00:00', ...options });
}

export function configFor(sim: ServiceLayerSimulator, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_layer_url: `${sim.baseUrl}/`,
    credentials: { auth_type: 'session_login', company_db: sim.companyDb, username: sim.username, password: sim.password },
    ...(sim.certificatePem ? { tls: { mode: 'trusted_certificate', certificate_pem: sim.certificatePem } } : {}),
    page_size: 100,
    request_timeout_seconds: 30,
    ...overrides,
  };
}

export interface AirbyteStreamLike {
  name: string;
  json_schema: { properties: Record<string, Record<string, unknown>> };
  supported_sync_modes: string[];
  source_defined_primary_key?: string[][];
  default_cursor_field?: string[];
}

export async function discover(configPath: string, secrets: string[]): Promise<AirbyteStreamLike[]> {
  const run = await runConnector(['discover', '--config', configPath], { secrets });
  assert.equal(run.code, 0, run.stderr);
  const catalog = run.messages.find((m) => m.type === 'CATALOG');
  assert.ok(catalog, 'discover printed no CATALOG');
  return (catalog.catalog as { streams: AirbyteStreamLike[] }).streams;
}

/** A configured catalog of the given streams (all when omitted), as the Airbyte UI would save it. */
export function configuredCatalog(streams: AirbyteStreamLike[], mode: 'incremental' | 'full_refresh' = 'incremental', only?: string[]): unknown {
  return configureStreams(
    streams.filter((stream) => !only || only.includes(stream.name)),
    mode,
  );
}

export interface Session {
  sim: ServiceLayerSimulator;
  config: Record<string, unknown>;
  configPath: string;
  secrets: string[];
  streams: AirbyteStreamLike[];
}

/** A simulator and what discover offers for it. The simulator is stopped again when discover fails, so no test leaves it running. */
export async function openSession(options: SimulatorOptions = {}, configOverrides: Record<string, unknown> = {}): Promise<Session> {
  const sim = await startSimulator(options);
  try {
    const config = configFor(sim, configOverrides);
    const configPath = jsonFile('config', config);
    const secrets = [sim.password];
    const streams = await discover(configPath, secrets);
    return { sim, config, configPath, secrets, streams };
  } catch (error) {
    await sim.stop();
    throw error;
  }
}

export function read(session: Session, catalog: unknown, state?: unknown, options: Parameters<typeof runConnector>[1] = {}): Promise<ConnectorRun> {
  const args = ['read', '--config', session.configPath, '--catalog', jsonFile('catalog', catalog)];
  if (state !== undefined) args.push('--state', jsonFile('state', state));
  return runConnector(args, { secrets: session.secrets, ...options });
}

/** Emitted records of a stream, the last emitted version of each key winning (what a deduplicating destination keeps). */
export function latestByKey(runs: ConnectorRun[], stream: string, keyColumns: string[]): Map<string, Record<string, unknown>> {
  const latest = new Map<string, Record<string, unknown>>();
  for (const run of runs) {
    for (const message of run.messages) {
      if (message.type !== 'RECORD') continue;
      const record = message.record as { stream: string; data: Record<string, unknown> };
      if (record.stream !== stream) continue;
      latest.set(keyColumns.map((column) => String(record.data[column])).join('|'), record.data);
    }
  }
  return latest;
}

/** Company-local updated_at of a ground-truth record, as the connector derives it. */
export function truthUpdatedAt(record: Record<string, unknown>): string | null {
  const date = record.UpdateDate as string | null | undefined;
  if (!date) return null;
  const time = (record.UpdateTime as string | null | undefined) ?? '00:00:00';
  return `${date.slice(0, 10)}T${time}`;
}

export function streamNames(run: ConnectorRun, type: 'RECORD' | 'STATE'): Set<string> {
  const names = new Set<string>();
  for (const message of run.messages) {
    if (message.type !== type) continue;
    if (type === 'RECORD') names.add((message.record as { stream: string }).stream);
    else names.add((message.state as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name);
  }
  return names;
}

/**
 * The rows of a child stream a deduplicating destination holds as current: the latest copy of each
 * key whose parent hash is its parent's latest record hash (what the LookML model reads).
 */
export function currentChildRows(runs: ConnectorRun[], parent: string, child: string, childKey: string[]): Record<string, unknown>[] {
  const headers = latestByKey(runs, parent, ['doc_entry']);
  return [...latestByKey(runs, child, childKey).values()].filter((row) => row._b1_parent_record_hash === headers.get(String(row.doc_entry))?._b1_record_hash);
}

/** The batch allocations of an entity set's documents, as "doc_entry|line|batch" -> quantity, from the simulator's ground truth. */
export function truthBatchAllocations(sim: ServiceLayerSimulator, entitySet: string, lines = 'DocumentLines'): Map<string, number> {
  const allocations = new Map<string, number>();
  for (const document of sim.groundTruth(entitySet, ['DocEntry', `${lines}/LineNum`, `${lines}/BatchNumbers`])) {
    for (const line of (document[lines] as Record<string, unknown>[] | null) ?? []) {
      for (const batch of (line.BatchNumbers as Record<string, unknown>[] | null) ?? []) {
        allocations.set(`${String(document.DocEntry)}|${String(line.LineNum)}|${String(batch.BatchNumberProperty)}`, batch.Quantity as number);
      }
    }
  }
  return allocations;
}
