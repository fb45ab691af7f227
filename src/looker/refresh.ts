/**
 * Tells Looker that new data has landed: marks datagroups as triggered, rebuilds persistent derived
 * tables and runs scheduled plans once. Called by the looker-refresh command and, when
 * refresh_after_read is on, at the end of a successful read; in both cases the outcome is returned
 * rather than thrown, so a Looker problem can never turn a good sync into a failed one.
 */
import { asConnectorError, type FailureType } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { ConnectorConfig } from '../protocol/generated/config.js';
import { allDatagroups, checkPdtBuild, runScheduledPlanOnce, startPdtBuild, updateDatagroup, type LookerDatagroup } from './api.js';
import type { Dispatcher } from 'undici';
import { formatDuration, systemClock, type Clock } from '../http/clock.js';
import { LookerApiClient, LookerApiError, normalizeLookerBaseUrl } from './client.js';
import { readPdtBuildState, type PdtBuildState } from './pdt-status.js';

export type LookerConfig = NonNullable<ConnectorConfig['looker']>;

export interface LookerRefreshOptions {
  sleep?: Clock['sleep'];
  /** Milliseconds since the epoch. */
  now?: Clock['now'];
  /** The jitter of backoff waits, in [0, 1). */
  random?: Clock['random'];
  /** The connection pool to Looker; by default the client's own. */
  dispatcher?: Dispatcher;
  requestTimeoutMs?: number;
  /** First wait between PDT status checks; grows by half each time up to pdtPollMaxMs. */
  pdtPollInitialMs?: number;
  pdtPollMaxMs?: number;
}

export interface DatagroupRefreshResult {
  model: string;
  name: string;
  id?: string;
  status: 'triggered' | 'not_found' | 'failed' | 'skipped';
  /** The triggered_at sent to Looker, unix seconds. */
  triggeredAt?: number;
  message?: string;
}

export interface PdtBuildResult {
  model: string;
  view: string;
  materializationId?: string;
  status: 'complete' | 'not_found' | 'failed' | 'timeout' | 'skipped';
  message?: string;
}

export interface ScheduledPlanRunResult {
  id: string;
  /** The id of the run-once copy Looker created and started. */
  runId?: string;
  status: 'started' | 'not_found' | 'failed' | 'skipped';
  message?: string;
}

export interface LookerRefreshOutcome {
  /** True when every configured datagroup, PDT build and scheduled plan succeeded. */
  ok: boolean;
  /** Set when the run could not start (bad host, refused credentials); every item is then 'skipped'. */
  failure?: { failureType: FailureType; message: string };
  datagroups: DatagroupRefreshResult[];
  pdtBuilds: PdtBuildResult[];
  scheduledPlans: ScheduledPlanRunResult[];
}

const DEFAULT_PDT_BUILD_TIMEOUT_SECONDS = 1800;

/** Runs the whole refresh against Looker and reports per item. Never rejects. */
export async function runLookerRefresh(
  looker: LookerConfig,
  logger: Logger,
  secrets: SecretRedactor,
  options: LookerRefreshOptions = {},
): Promise<LookerRefreshOutcome> {
  const datagroups = looker.datagroups ?? [];
  const pdtBuilds = looker.pdt_builds ?? [];
  const planIds = looker.scheduled_plan_ids ?? [];
  const skippedOutcome = (failureType: FailureType, message: string): LookerRefreshOutcome => ({
    ok: false,
    failure: { failureType, message },
    datagroups: datagroups.map((d) => ({ model: d.model, name: d.name, status: 'skipped', message })),
    pdtBuilds: pdtBuilds.map((p) => ({ model: p.model, view: p.view, status: 'skipped', message })),
    scheduledPlans: planIds.map((id) => ({ id, status: 'skipped', message })),
  });

  if (datagroups.length + pdtBuilds.length + planIds.length === 0) {
    logger.warn('Looker refresh: no datagroups, PDT builds or scheduled plans are configured in the looker section; nothing to do.');
    return { ok: true, datagroups: [], pdtBuilds: [], scheduledPlans: [] };
  }

  const now = options.now ?? systemClock.now;
  const sleep = options.sleep ?? systemClock.sleep;
  let client: LookerApiClient;
  try {
    client = new LookerApiClient(
      { baseUrl: looker.base_url, clientId: looker.client_id, clientSecret: looker.client_secret },
      {
        secrets,
        logger,
        now,
        sleep,
        ...(options.random === undefined ? {} : { random: options.random }),
        ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      },
    );
    logger.info(
      `Looker refresh at ${normalizeLookerBaseUrl(looker.base_url)}: ${count(datagroups.length, 'datagroup')}, ` +
        `${count(pdtBuilds.length, 'PDT build')}, ${count(planIds.length, 'scheduled plan')}.`,
    );
  } catch (error) {
    const failure = asConnectorError(error);
    logger.error(`Looker refresh not started: ${failure.message}`);
    return skippedOutcome(failure.failureType, failure.message);
  }

  try {
    try {
      // A wrong host, then refused credentials, then item failures: each said for what it is.
      await client.checkApiHost();
      await client.request({ method: 'GET', path: '/user', query: { fields: 'id' }, idempotent: true });
    } catch (error) {
      const failure = asConnectorError(error);
      logger.error(`Looker refresh not started: ${failure.message}`);
      return skippedOutcome(failure.failureType, failure.message);
    }
    const datagroupResults = await triggerDatagroups(client, datagroups, logger);
    const timeoutSeconds = looker.pdt_build_timeout_seconds ?? DEFAULT_PDT_BUILD_TIMEOUT_SECONDS;
    const pdtResults: PdtBuildResult[] = [];
    for (const build of pdtBuilds) {
      pdtResults.push(await buildPdt(client, build, timeoutSeconds, { logger, now, sleep, initialMs: options.pdtPollInitialMs ?? 5_000, maxMs: options.pdtPollMaxMs ?? 60_000 }));
    }
    const refreshFailed = datagroupResults.some((r) => r.status !== 'triggered') || pdtResults.some((r) => r.status !== 'complete');
    const planResults = await runScheduledPlans(client, planIds, refreshFailed, logger);
    const outcome: LookerRefreshOutcome = {
      ok: !refreshFailed && planResults.every((r) => r.status === 'started'),
      datagroups: datagroupResults,
      pdtBuilds: pdtResults,
      scheduledPlans: planResults,
    };
    logSummary(outcome, logger);
    return outcome;
  } catch (error) {
    // Only a defect gets here: every Looker failure is caught per item above.
    const failure = asConnectorError(error);
    logger.error(`Looker refresh stopped unexpectedly: ${failure.message}`);
    return skippedOutcome(failure.failureType, failure.message);
  } finally {
    await client.logout();
  }
}

async function triggerDatagroups(client: LookerApiClient, wanted: NonNullable<LookerConfig['datagroups']>, logger: Logger): Promise<DatagroupRefreshResult[]> {
  if (wanted.length === 0) return [];
  let known: LookerDatagroup[];
  try {
    known = await allDatagroups(client);
  } catch (error) {
    const message = `could not list Looker's datagroups: ${asConnectorError(error).message}`;
    logger.error(`Looker datagroups not triggered: ${message}`);
    return wanted.map((d) => ({ model: d.model, name: d.name, status: 'failed', message }));
  }
  const results: DatagroupRefreshResult[] = [];
  for (const { model, name } of wanted) {
    const label = `datagroup ${model}::${name}`;
    const match = known.find((d) => d.model_name === model && d.name === name);
    if (match === undefined) {
      const message = describeMissingDatagroup(known, model, name);
      logger.error(`Looker ${label} not triggered: ${message}`);
      results.push({ model, name, status: 'not_found', message });
      continue;
    }
    // Taken at the moment of the call and never ahead of Looker's clock: Looker refuses future times.
    const triggeredAt = client.nowNotAheadOfServerSeconds();
    try {
      await updateDatagroup(client, match.id, { triggered_at: triggeredAt });
      logger.info(`Looker ${label} (id ${match.id}) triggered at ${new Date(triggeredAt * 1000).toISOString()}.`);
      results.push({ model, name, id: match.id, status: 'triggered', triggeredAt });
    } catch (error) {
      const message = asConnectorError(error).message;
      logger.error(`Looker ${label} (id ${match.id}) not triggered: ${message}`);
      results.push({ model, name, id: match.id, status: 'failed', message });
    }
  }
  return results;
}

function describeMissingDatagroup(known: LookerDatagroup[], model: string, name: string): string {
  const inModel = known.filter((d) => d.model_name === model).map((d) => d.name ?? '(unnamed)');
  if (inModel.length > 0) {
    return `model "${model}" has no datagroup "${name}"; its datagroups are: ${[...new Set(inModel)].sort().join(', ')}.`;
  }
  const models = [...new Set(known.map((d) => d.model_name).filter((m): m is string => typeof m === 'string'))].sort();
  return (
    `Looker has no datagroups for model "${model}" (is the model deployed to production, and may the API user see it?). ` +
    (models.length > 0 ? `Models with datagroups: ${models.join(', ')}.` : 'Looker lists no datagroups at all for this API user.')
  );
}

interface PollSettings {
  logger: Logger;
  now: Clock['now'];
  sleep: Clock['sleep'];
  initialMs: number;
  maxMs: number;
}

async function buildPdt(
  client: LookerApiClient,
  build: { model: string; view: string },
  timeoutSeconds: number,
  poll: PollSettings,
): Promise<PdtBuildResult> {
  const { model, view } = build;
  const label = `PDT ${model}::${view}`;
  const base = { model, view };
  let materializationId: string;
  let state: PdtBuildState;
  try {
    const started = await startPdtBuild(client, model, view);
    if (typeof started.materialization_id !== 'string' || started.materialization_id === '') {
      const message = `Looker did not return a materialization id${started.resp_text ? ` (${started.resp_text.slice(0, 200)})` : ''}.`;
      poll.logger.error(`Looker ${label} not built: ${message}`);
      return { ...base, status: 'failed', message };
    }
    materializationId = started.materialization_id;
    state = readPdtBuildState(started.resp_text);
  } catch (error) {
    if (error instanceof LookerApiError && error.status === 404) {
      const message =
        `Looker found no persistent derived table "${view}" in model "${model}" (HTTP 404). Check the names, that the view is a PDT ` +
        'in the production model, and that "Enable PDT API Control" is on for its connection.';
      poll.logger.error(`Looker ${label} not built: ${message}`);
      return { ...base, status: 'not_found', message };
    }
    const message = asConnectorError(error).message;
    poll.logger.error(`Looker ${label} not built: ${message}`);
    return { ...base, status: 'failed', message };
  }
  poll.logger.info(`Looker ${label}: build ${materializationId} started; waiting up to ${formatDuration(timeoutSeconds * 1000)}.`);

  const deadline = poll.now() + timeoutSeconds * 1000;
  let delay = poll.initialMs;
  while (state.phase === 'in_progress') {
    const remaining = deadline - poll.now();
    if (remaining <= 0) {
      // We stop waiting, not the build: Looker finishes it and the next queries use it.
      const message =
        `build ${materializationId} still "${state.status}" after ${formatDuration(timeoutSeconds * 1000)} ` +
        `(pdt_build_timeout_seconds = ${timeoutSeconds}); it keeps running in Looker.`;
      poll.logger.error(`Looker ${label} timed out: ${message}`);
      return { ...base, materializationId, status: 'timeout', message };
    }
    await poll.sleep(Math.min(delay, remaining));
    delay = Math.min(poll.maxMs, Math.round(delay * 1.5));
    try {
      state = readPdtBuildState((await checkPdtBuild(client, materializationId)).resp_text);
      if (state.phase === 'in_progress') poll.logger.debug(`Looker ${label}: build ${materializationId} is ${state.status}.`);
    } catch (error) {
      const failure = asConnectorError(error);
      if (failure.failureType !== 'transient_error') {
        const message = `could not follow build ${materializationId}: ${failure.message}`;
        poll.logger.error(`Looker ${label}: ${message}`);
        return { ...base, materializationId, status: 'failed', message };
      }
      // Looker busy even after retries: the build is unaffected, so keep waiting until the deadline.
      poll.logger.warn(`Looker ${label}: status check failed (${failure.message}); still waiting.`);
    }
  }
  if (state.phase === 'failed') {
    poll.logger.error(`Looker ${label}: ${state.reason}`);
    return { ...base, materializationId, status: 'failed', message: state.reason };
  }
  poll.logger.info(`Looker ${label}: build ${materializationId} complete.`);
  return { ...base, materializationId, status: 'complete' };
}

async function runScheduledPlans(client: LookerApiClient, planIds: string[], refreshFailed: boolean, logger: Logger): Promise<ScheduledPlanRunResult[]> {
  if (refreshFailed && planIds.length > 0) {
    // A delivery now would send dashboards built on the stale cache the refresh failed to clear.
    const message = 'not run because a datagroup or PDT build above did not succeed; the delivery would show stale data.';
    logger.warn(`Looker scheduled plans ${planIds.join(', ')} ${message}`);
    return planIds.map((id) => ({ id, status: 'skipped', message }));
  }
  const results: ScheduledPlanRunResult[] = [];
  for (const id of planIds) {
    try {
      const run = await runScheduledPlanOnce(client, id);
      const runId = typeof run.id === 'string' ? run.id : undefined;
      logger.info(`Looker scheduled plan ${id} started${runId === undefined ? '' : ` (run-once copy ${runId})`}.`);
      results.push({ id, status: 'started', ...(runId === undefined ? {} : { runId }) });
    } catch (error) {
      if (error instanceof LookerApiError && error.status === 404) {
        const message = `Looker has no scheduled plan with id ${id}, or the API user may not run it (HTTP 404).`;
        logger.error(`Looker scheduled plan ${id} not run: ${message}`);
        results.push({ id, status: 'not_found', message });
        continue;
      }
      const message = asConnectorError(error).message;
      logger.error(`Looker scheduled plan ${id} not run: ${message}`);
      results.push({ id, status: 'failed', message });
    }
  }
  return results;
}

function logSummary(outcome: LookerRefreshOutcome, logger: Logger): void {
  const parts = [
    tally(outcome.datagroups, 'triggered', 'datagroup'),
    tally(outcome.pdtBuilds, 'complete', 'PDT build'),
    tally(outcome.scheduledPlans, 'started', 'scheduled plan'),
  ].filter((part): part is string => part !== undefined);
  if (outcome.ok) logger.info(`Looker refresh succeeded: ${parts.join('; ')}.`);
  else logger.error(`Looker refresh incomplete: ${parts.join('; ')}.`);
}

function tally(results: { status: string }[], success: string, noun: string): string | undefined {
  if (results.length === 0) return undefined;
  const good = results.filter((r) => r.status === success).length;
  return `${good} of ${count(results.length, noun)} ${success}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
