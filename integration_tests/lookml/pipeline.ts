/**
 * The whole path from SAP to a Looker query, for real except Looker itself: the Service Layer
 * simulator, the built connector (discover, read, incremental reads with state), Airbyte's
 * Postgres destination (emulated faithfully, see airbyte-postgres-destination.ts) on a
 * throwaway PostgreSQL cluster, the generated postgres LookML, and its SQL run on that cluster.
 * Used by the PostgreSQL test and by the chart script.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import type { AirbyteCatalog, ConfiguredAirbyteCatalog } from '../../src/protocol/generated/airbyte-protocol.js';
import { allProjectFiles, generateLookmlProject } from '../../src/looker/lookml/index.js';
import { withAppendedStreams, withoutStreams } from '../../test/looker-lookml/every-stream.js';
import { jsonFile, lastStates, runConnector, type ConnectorRun } from '../../test/helpers/connector.js';
import { connectorEntrypoint, repoRoot } from '../../test/helpers/paths.js';
import { configuredCatalog } from '../../test/looker-lookml/catalogs.js';
import { parseProject, type ParsedModel } from '../../test/looker-lookml/parsed-project.js';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';
import { AirbytePostgresDestination, type SyncRecord } from './airbyte-postgres-destination.js';
import { exploreSql, type ExploreQuery } from './lookml-query.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

export const SCHEMA = 'sap_b1';

export interface PipelineOptions {
  postgresBin: string;
  seed?: number;
  scale?: number;
  /** Streams to sync (all that discover offers when omitted). */
  streams?: readonly string[];
  /** Streams the destination appends every sync to (destination sync mode append), e.g. item_warehouse_stock for month-end history. */
  appendStreams?: readonly string[];
  /**
   * Synced streams the main model is generated without, as for a user who does not sync them; the
   * "with every stream" model has them all.
   */
  mainModelWithout?: readonly string[];
}

/** A generated model and how to run questions through it. */
export interface GeneratedModel {
  model: ParsedModel;
  files: Map<string, string>;
  notes: string[];
  /** Runs a question to an explore through the generated LookML's SQL. */
  query(explore: string, query: ExploreQuery): Promise<Record<string, unknown>[]>;
}

/** The pipeline's main model is generated from the synced streams less mainModelWithout. */
export interface LookmlPipeline extends GeneratedModel {
  simulator: ServiceLayerSimulator;
  cluster: PostgresCluster;
  client: pg.Client;
  configured: ConfiguredAirbyteCatalog;
  /** The model generated from every synced stream. */
  withEveryStream: GeneratedModel;
  /** Reads (incrementally after the first time) and loads the records as one sync. */
  sync(): Promise<ConnectorRun>;
  stop(): Promise<void>;
}

/** Builds dist/ when it is missing or older than the sources, so the connector under test is current. */
export async function ensureBuilt(): Promise<void> {
  const newestSource = newestMtime(join(repoRoot, 'src'));
  if (existsSync(connectorEntrypoint) && statSync(connectorEntrypoint).mtimeMs >= newestSource) return;
  await new Promise<void>((resolve, reject) =>
    execFile('npm', ['run', 'build'], { cwd: repoRoot, timeout: 180_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`npm run build failed: ${`${stdout}\n${stderr}`.trim().slice(-3000)}`)) : resolve(),
    ),
  );
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function syncRecords(run: ConnectorRun): SyncRecord[] {
  return run.messages
    .filter((m) => m.type === 'RECORD')
    .map((m) => {
      const r = m.record as { stream: string; data: Record<string, unknown>; emitted_at: number; meta?: { changes?: unknown[] } };
      return { stream: r.stream, data: r.data, emitted_at: r.emitted_at, meta: r.meta };
    });
}

export async function startLookmlPipeline(options: PipelineOptions): Promise<LookmlPipeline> {
  await ensureBuilt();
  const simulator = await startServiceLayerSimulator({ seed: options.seed, scale: options.scale ?? 1 });
  let cluster: PostgresCluster | undefined;
  let client: pg.Client | undefined;
  try {
    const config = jsonFile('lookml-config', {
      service_layer_url: simulator.baseUrl,
      credentials: { auth_type: 'session_login', company_db: simulator.companyDb, username: simulator.username, password: simulator.password },
      start_date: '2000-01-01',
    });
    const secrets = [simulator.password];
    const discovered = await runConnector(['discover', '--config', config], { secrets });
    if (discovered.code !== 0) throw new Error(`discover failed: ${discovered.stderr.slice(-2000)}`);
    const catalog = (discovered.messages.find((m) => m.type === 'CATALOG') as { catalog: AirbyteCatalog } | undefined)?.catalog;
    if (!catalog) throw new Error('discover printed no catalog');
    const configured = withAppendedStreams(configuredCatalog(catalog, options.streams), options.appendStreams ?? []);

    cluster = await startPostgresCluster(options.postgresBin);
    client = await cluster.connect();
    const destination = new AirbytePostgresDestination(client, SCHEMA, configured);
    await destination.setup();

    const pgClient = client;
    const generate = async (catalogToModel: ConfiguredAirbyteCatalog): Promise<GeneratedModel> => {
      const project = generateLookmlProject({ catalog: catalogToModel, dialect: 'postgres', connection: 'warehouse', schema: SCHEMA });
      const files = allProjectFiles(project);
      const { model } = await parseProject(files);
      return {
        model,
        files,
        notes: project.notes,
        async query(explore, question) {
          const sql = exploreSql(model, explore, question);
          try {
            return (await pgClient.query(sql)).rows as Record<string, unknown>[];
          } catch (error) {
            throw new Error(`${(error as Error).message}\nin:\n${sql}`);
          }
        },
      };
    };
    const main = await generate(withoutStreams(configured, options.mainModelWithout ?? []));
    const withEveryStream = await generate(configured);

    let state: unknown[] | undefined;
    let syncs = 0;
    const catalogFile = jsonFile('lookml-catalog', configured);
    const pgCluster = cluster;
    return {
      ...main,
      simulator,
      cluster,
      client,
      configured,
      withEveryStream,
      async sync() {
        const args = ['read', '--config', config, '--catalog', catalogFile, ...(state ? ['--state', jsonFile('lookml-state', state)] : [])];
        const run = await runConnector(args, { secrets, timeoutMs: 300_000 });
        if (run.code !== 0) throw new Error(`read failed (exit ${run.code}): ${run.stderr.slice(-2000)}`);
        await destination.writeSync(syncRecords(run), ++syncs);
        state = lastStates(run);
        return run;
      },
      async stop() {
        try {
          await pgClient.end().catch(() => undefined);
          await pgCluster.stop();
        } finally {
          await simulator.stop();
        }
      },
    };
  } catch (error) {
    await client?.end().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    await simulator.stop();
    throw error;
  }
}
