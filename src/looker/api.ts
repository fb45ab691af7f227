/**
 * The few Looker API 4.0 operations the refresh uses, with the shapes from the official OpenAPI
 * spec (looker-open-source/sdk-codegen, spec/Looker.4.0.oas.json): operation ids all_datagroups,
 * update_datagroup, start_pdt_build, check_pdt_build, scheduled_plan_run_once_by_id.
 */
import { lookerPath, type LookerApiClient } from './client.js';

/** components/schemas/Datagroup (the fields we read or write). */
export interface LookerDatagroup {
  id: string;
  model_name?: string | null;
  name?: string | null;
  created_at?: number | null;
  stale_before?: number | null;
  trigger_check_at?: number | null;
  trigger_error?: string | null;
  trigger_value?: string | null;
  triggered_at?: number | null;
}

/** The writable part of Datagroup: both unix seconds, and Looker rejects values in the future. */
export interface LookerDatagroupUpdate {
  triggered_at?: number;
  stale_before?: number;
}

/** components/schemas/MaterializePDT. */
export interface LookerMaterializePdt {
  materialization_id?: string;
  /** A JSON document as text, e.g. {"status":"running","runtime":null,"message":"...","task_slug":"..."}. */
  resp_text?: string | null;
}

/** components/schemas/ScheduledPlan (the fields we report). */
export interface LookerScheduledPlan {
  id?: string;
  name?: string | null;
  run_once?: boolean;
}

/** Identifies the caller in Looker's PDT logs (the start operation's `source` parameter). */
export const PDT_BUILD_SOURCE = 'airbyte-source-sap-business-one';

export function allDatagroups(client: LookerApiClient): Promise<LookerDatagroup[]> {
  return client.request<LookerDatagroup[]>({ method: 'GET', path: '/datagroups', idempotent: true });
}

export function updateDatagroup(client: LookerApiClient, datagroupId: string, update: LookerDatagroupUpdate): Promise<LookerDatagroup> {
  // Setting an absolute timestamp twice has the same effect as once, so a repeat after a 5xx is safe.
  return client.request<LookerDatagroup>({ method: 'PATCH', path: lookerPath('datagroups', datagroupId), json: update, idempotent: true });
}

export function startPdtBuild(client: LookerApiClient, modelName: string, viewName: string): Promise<LookerMaterializePdt> {
  return client.request<LookerMaterializePdt>({
    method: 'GET',
    path: lookerPath('derived_table', modelName, viewName, 'start'),
    query: { source: PDT_BUILD_SOURCE },
    // A GET, but it enqueues a build: repeating an ambiguous failure could enqueue a second one.
    idempotent: false,
  });
}

export function checkPdtBuild(client: LookerApiClient, materializationId: string): Promise<LookerMaterializePdt> {
  return client.request<LookerMaterializePdt>({ method: 'GET', path: lookerPath('derived_table', materializationId, 'status'), idempotent: true });
}

export function runScheduledPlanOnce(client: LookerApiClient, scheduledPlanId: string): Promise<LookerScheduledPlan> {
  // The body (a WriteScheduledPlan of overrides) is optional; without one Looker runs a plain copy.
  return client.request<LookerScheduledPlan>({ method: 'POST', path: lookerPath('scheduled_plans', scheduledPlanId, 'run_once'), idempotent: false });
}
