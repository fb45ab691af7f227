/**
 * An in-process Looker API 4.0 server for tests: the login/logout, datagroup, PDT build and
 * scheduled-plan operations the refresh uses, answering with the shapes of the official OpenAPI
 * spec (checked by simulator-spec.test.ts), with a token table, a PDT build state machine and
 * fault injection (429 with Retry-After, 5xx, tokens expiring early).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimulatedDatagroup {
  id: string;
  model_name: string;
  name: string;
  triggered_at?: number | null;
  stale_before?: number | null;
}

export interface SimulatedPdt {
  model: string;
  view: string;
  /** How many status checks answer "running" before the final status. Default 2. */
  statusChecksUntilDone?: number;
  /** Where the build ends; 'never' keeps it running forever. Default 'complete'. */
  finalStatus?: 'complete' | 'error' | 'never';
  errorMessage?: string;
}

export interface SimulatedScheduledPlan {
  id: string;
  name: string;
}

export interface LookerSimulatorOptions {
  clientId: string;
  clientSecret: string;
  /** expires_in of issued tokens. Default 3600, as Looker. */
  tokenTtlSeconds?: number;
  datagroups?: SimulatedDatagroup[];
  pdts?: SimulatedPdt[];
  scheduledPlans?: SimulatedScheduledPlan[];
  /** The clock the server believes in, ms since the epoch (share a fake clock with the client). */
  now?: () => number;
  /** Added to `now` for everything server-side (Date header, token expiry, "not in the future"). */
  serverClockOffsetMs?: number;
}

/** One request and its answer, as the server saw them. */
export interface RecordedExchange {
  method: string;
  /** The raw path, e.g. /api/4.0/datagroups/7. */
  path: string;
  /** The OpenAPI path template it matched under /api/4.0, e.g. /datagroups/{datagroup_id}. */
  route: string | undefined;
  query: Record<string, string>;
  authorization: string | undefined;
  contentType: string | undefined;
  /** Parsed JSON, or the fields of a form-encoded body, or undefined when there was none. */
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  /** Parsed JSON answer, or undefined for an empty one. */
  responseBody: unknown;
  /** True when a fault was injected instead of the real handler running. */
  injectedFault: boolean;
}

export interface InjectedFault {
  /** Only requests with this method; any when absent. */
  method?: string;
  /** Only requests matching this route template (e.g. /datagroups); any when absent. */
  route?: string;
  status: 401 | 429 | 500 | 502 | 503 | 504;
  retryAfter?: string;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
}

export interface PdtMaterialization {
  id: string;
  model: string;
  view: string;
  source: string | undefined;
  statusChecks: number;
  status: 'added' | 'running' | 'complete' | 'error' | 'killed';
}

export interface LookerSimulator {
  baseUrl: string;
  requests: RecordedExchange[];
  counters: { logins: number; refusedLogins: number; logouts: number };
  datagroups: Map<string, SimulatedDatagroup>;
  datagroupPatches: { datagroupId: string; body: unknown; serverNowSeconds: number }[];
  materializations: Map<string, PdtMaterialization>;
  scheduledPlanRuns: { scheduledPlanId: string; runId: string }[];
  injectFault(fault: InjectedFault): void;
  /** Invalidates every issued token at once, as a Looker restart or an admin would. */
  expireAllTokens(): void;
  close(): Promise<void>;
}

export const LOOKER_API_PREFIX = '/api/4.0';
export const DOCUMENTATION_URL = 'https://cloud.google.com/looker/docs/r/api/support';

type Handler = (ctx: RequestContext) => Reply;
interface RequestContext {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  token: string | undefined;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The operations the simulator serves: method and OpenAPI path template under /api/4.0. */
export const SIMULATOR_ROUTES = [
  { method: 'GET', path: '/versions', authenticated: false },
  { method: 'POST', path: '/login', authenticated: false },
  { method: 'DELETE', path: '/logout', authenticated: true },
  { method: 'GET', path: '/user', authenticated: true },
  { method: 'GET', path: '/datagroups', authenticated: true },
  { method: 'GET', path: '/datagroups/{datagroup_id}', authenticated: true },
  { method: 'PATCH', path: '/datagroups/{datagroup_id}', authenticated: true },
  { method: 'GET', path: '/derived_table/{model_name}/{view_name}/start', authenticated: true },
  { method: 'GET', path: '/derived_table/{materialization_id}/status', authenticated: true },
  { method: 'GET', path: '/derived_table/{materialization_id}/stop', authenticated: true },
  { method: 'POST', path: '/scheduled_plans/{scheduled_plan_id}/run_once', authenticated: true },
] as const;

/** Query parameters each operation accepts, as named in the spec; anything else is refused with 400. */
export const ACCEPTED_QUERY: Record<string, string[]> = {
  'POST /login': ['client_id', 'client_secret'],
  'GET /versions': ['fields'],
  'GET /user': ['fields'],
  'GET /derived_table/{model_name}/{view_name}/start': ['force_rebuild', 'force_full_incremental', 'workspace', 'source'],
  'GET /derived_table/{materialization_id}/stop': ['source'],
};

/** Datagroup fields a client may write (the rest are readOnly in the spec). */
const WRITABLE_DATAGROUP_FIELDS = new Set(['stale_before', 'triggered_at']);

const FAULT_MESSAGES: Record<InjectedFault['status'], string> = {
  401: 'Requires authentication.',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function error(status: number, message: string): Reply {
  return { status, body: { message, documentation_url: DOCUMENTATION_URL } };
}

export async function startLookerSimulator(options: LookerSimulatorOptions): Promise<LookerSimulator> {
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const serverNow = (): number => (options.now ?? Date.now)() + (options.serverClockOffsetMs ?? 0);
  const tokens = new Map<string, number>(); // token -> expiry (server ms)
  const faults: (InjectedFault & { remaining: number })[] = [];
  const datagroups = new Map((options.datagroups ?? []).map((d) => [d.id, { ...d }]));
  const pdts = options.pdts ?? [];
  const plans = new Map((options.scheduledPlans ?? []).map((p) => [p.id, p]));
  const materializations = new Map<string, PdtMaterialization>();
  let nextMaterializationId = 100;
  let nextPlanRunId = 9000;

  const sim: Omit<LookerSimulator, 'baseUrl' | 'close'> = {
    requests: [],
    counters: { logins: 0, refusedLogins: 0, logouts: 0 },
    datagroups,
    datagroupPatches: [],
    materializations,
    scheduledPlanRuns: [],
    injectFault: (fault) => faults.push({ ...fault, remaining: fault.times ?? 1 }),
    expireAllTokens: () => tokens.clear(),
  };

  const datagroupJson = (d: SimulatedDatagroup): Record<string, unknown> => ({
    can: { show: true, update: true },
    created_at: 1_700_000_000,
    id: d.id,
    model_name: d.model_name,
    name: d.name,
    stale_before: d.stale_before ?? null,
    trigger_check_at: Math.floor(serverNow() / 1000),
    trigger_error: null,
    trigger_value: '2024-01-01 00:00:00',
    triggered_at: d.triggered_at ?? null,
  });

  const materializationJson = (m: PdtMaterialization): Record<string, unknown> => ({
    materialization_id: m.id,
    resp_text: JSON.stringify({
      status: m.status,
      runtime: m.status === 'complete' ? 1.5 : null,
      message: m.status === 'error' ? (pdts.find((p) => p.model === m.model && p.view === m.view)?.errorMessage ?? 'Build failed') : `Materialize ${m.view}, `,
      task_slug: `slug${m.id}`,
    }),
  });

  const apiVersion = { version: '4.0', full_version: '4.0.25.0', status: 'current', swagger_url: '/api/4.0/swagger.json' };
  const handlers: Record<string, Handler> = {
    'GET /versions': () => ({
      status: 200,
      body: { looker_release_version: '25.0.0', current_version: apiVersion, supported_versions: [apiVersion], api_server_url: 'https://localhost:19999', web_server_url: 'https://localhost:9999' },
    }),
    'POST /login': ({ body, query, contentType }) => {
      const form = (contentType?.startsWith('application/x-www-form-urlencoded') ? body : {}) as Record<string, string>;
      const clientId = form.client_id ?? query.client_id;
      const clientSecret = form.client_secret ?? query.client_secret;
      if (clientId !== options.clientId || clientSecret !== options.clientSecret) {
        sim.counters.refusedLogins += 1;
        // What Looker answers to unknown or wrong API credentials.
        return error(404, 'Not found');
      }
      const token = randomBytes(20).toString('hex');
      tokens.set(token, serverNow() + ttlSeconds * 1000);
      sim.counters.logins += 1;
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, refresh_token: null } };
    },
    'DELETE /logout': ({ token }) => {
      if (token !== undefined) tokens.delete(token);
      sim.counters.logouts += 1;
      return { status: 204 };
    },
    'GET /user': ({ query }) => {
      const user: Record<string, unknown> = { id: '42', display_name: 'Airbyte Refresh', first_name: 'Airbyte', last_name: 'Refresh', is_disabled: false };
      const fields = query.fields?.split(',').map((f) => f.trim());
      return { status: 200, body: fields === undefined ? user : Object.fromEntries(Object.entries(user).filter(([k]) => fields.includes(k))) };
    },
    'GET /datagroups': () => ({ status: 200, body: [...datagroups.values()].map(datagroupJson) }),
    'GET /datagroups/{datagroup_id}': ({ params }) => {
      const datagroup = datagroups.get(params.datagroup_id ?? '');
      return datagroup === undefined ? error(404, 'Not found') : { status: 200, body: datagroupJson(datagroup) };
    },
    'PATCH /datagroups/{datagroup_id}': ({ params, body, contentType }) => {
      const datagroup = datagroups.get(params.datagroup_id ?? '');
      if (datagroup === undefined) return error(404, 'Not found');
      if (!contentType?.startsWith('application/json') || typeof body !== 'object' || body === null || Array.isArray(body)) {
        return error(400, 'Request body must be a JSON object');
      }
      const nowSeconds = Math.floor(serverNow() / 1000);
      const problems: { field: string; message: string }[] = [];
      for (const [field, value] of Object.entries(body)) {
        if (!WRITABLE_DATAGROUP_FIELDS.has(field)) problems.push({ field, message: 'is read-only or unknown' });
        else if (value !== null && (typeof value !== 'number' || !Number.isInteger(value))) problems.push({ field, message: 'must be an integer unix timestamp' });
        else if (typeof value === 'number' && value > nowSeconds) problems.push({ field, message: 'cannot be in the future' });
      }
      if (problems.length > 0) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: problems.map((p) => ({ field: p.field, code: 'invalid', message: p.message, documentation_url: DOCUMENTATION_URL })),
            documentation_url: DOCUMENTATION_URL,
          },
        };
      }
      sim.datagroupPatches.push({ datagroupId: datagroup.id, body, serverNowSeconds: nowSeconds });
      Object.assign(datagroup, body);
      return { status: 200, body: datagroupJson(datagroup) };
    },
    'GET /derived_table/{model_name}/{view_name}/start': ({ params, query }) => {
      const pdt = pdts.find((p) => p.model === params.model_name && p.view === params.view_name);
      if (pdt === undefined) return error(404, 'Not found');
      const m: PdtMaterialization = { id: String(nextMaterializationId++), model: pdt.model, view: pdt.view, source: query.source, statusChecks: 0, status: 'added' };
      materializations.set(m.id, m);
      return { status: 200, body: materializationJson(m) };
    },
    'GET /derived_table/{materialization_id}/status': ({ params }) => {
      const m = materializations.get(params.materialization_id ?? '');
      if (m === undefined) return error(404, 'Not found');
      if (m.status === 'added' || m.status === 'running') {
        const pdt = pdts.find((p) => p.model === m.model && p.view === m.view);
        m.statusChecks += 1;
        const final = pdt?.finalStatus ?? 'complete';
        m.status = final !== 'never' && m.statusChecks >= (pdt?.statusChecksUntilDone ?? 2) ? final : 'running';
      }
      return { status: 200, body: materializationJson(m) };
    },
    'GET /derived_table/{materialization_id}/stop': ({ params }) => {
      const m = materializations.get(params.materialization_id ?? '');
      if (m === undefined) return error(404, 'Not found');
      if (m.status === 'added' || m.status === 'running') m.status = 'killed';
      return { status: 200, body: materializationJson(m) };
    },
    'POST /scheduled_plans/{scheduled_plan_id}/run_once': ({ params, body }) => {
      const plan = plans.get(params.scheduled_plan_id ?? '');
      if (plan === undefined) return error(404, 'Not found');
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) return error(400, 'Request body must be a JSON object');
      const runId = String(nextPlanRunId++);
      sim.scheduledPlanRuns.push({ scheduledPlanId: plan.id, runId });
      return { status: 200, body: { id: runId, name: plan.name, run_once: true, enabled: true, require_results: false, require_no_results: false, require_change: false, send_all_results: false } };
    },
  };

  const routeMatchers = SIMULATOR_ROUTES.map((route) => ({
    ...route,
    key: `${route.method} ${route.path}`,
    names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    regex: new RegExp('^' + route.path.replace(/\{\w+\}/g, '([^/]+)') + '$'),
  }));

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ message: `simulator defect: ${String(err)}`, documentation_url: DOCUMENTATION_URL }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type'];
    const raw = await readBody(req);
    const requestBody = parseBody(raw, contentType);
    const query = Object.fromEntries(url.searchParams.entries());
    const authorization = req.headers.authorization;
    const apiPath = url.pathname.startsWith(LOOKER_API_PREFIX + '/') ? url.pathname.slice(LOOKER_API_PREFIX.length) : undefined;
    // Static routes (derived_table/graph, ...) are not served, so the first regex match is the route.
    const route = apiPath === undefined ? undefined : routeMatchers.find((r) => r.method === method && r.regex.test(apiPath));

    let reply: Reply;
    let injectedFault = false;
    const fault = faults.find((f) => f.remaining > 0 && (f.method === undefined || f.method === method) && (f.route === undefined || f.route === route?.path));
    if (fault !== undefined) {
      fault.remaining -= 1;
      injectedFault = true;
      reply = error(fault.status, FAULT_MESSAGES[fault.status]);
      if (fault.retryAfter !== undefined) reply.headers = { 'Retry-After': fault.retryAfter };
    } else if (route === undefined || apiPath === undefined) {
      reply = error(404, 'Not found');
    } else {
      const unknownQuery = Object.keys(query).filter((name) => !(ACCEPTED_QUERY[route.key] ?? []).includes(name));
      const token = bearerOrToken(authorization);
      const tokenExpiry = token === undefined ? undefined : tokens.get(token);
      if (unknownQuery.length > 0) {
        reply = error(400, `Unknown query parameter(s): ${unknownQuery.join(', ')}`);
      } else if (route.authenticated && (tokenExpiry === undefined || tokenExpiry <= serverNow())) {
        if (token !== undefined) tokens.delete(token);
        reply = error(401, 'Requires authentication.');
      } else {
        const match = route.regex.exec(apiPath) as RegExpExecArray;
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
        reply = (handlers[route.key] as Handler)({ params, query, body: requestBody, contentType, token });
      }
    }

    const headers: Record<string, string> = { Date: new Date(serverNow()).toUTCString(), ...reply.headers };
    if (reply.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    sim.requests.push({
      method,
      path: url.pathname,
      route: route?.path,
      query,
      authorization,
      contentType,
      requestBody,
      status: reply.status,
      responseHeaders: headers,
      responseBody: reply.body,
      injectedFault,
    });
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...sim,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Looker takes "token <t>" (its documented form) and "Bearer <t>" (what its SDKs send). */
function bearerOrToken(authorization: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw).entries());
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
