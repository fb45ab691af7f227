/**
 * Reads one stream of a declarative manifest the way airbyte-python-cdk's engine does, for the
 * components and options our manifests use, so that tests can run a manifest against the Service
 * Layer simulator without Python. Each behaviour follows the engine source cited beside it; any
 * component or option it does not know is an error, never silently skipped.
 */
import { interpolate, interpolateBoolean, interpolateOption } from './interpolation.js';
import type { Globals, Scope } from './jinja.js';
import { isMapping, str, strftime, type PyValue } from './python-values.js';

type Component = Record<string, unknown> & { type?: string };

export interface StreamReadResult {
  records: Record<string, unknown>[];
  /** The stream's state after the read, as the engine emits it (sequential state), or undefined for full refresh. */
  state: Record<string, unknown> | undefined;
  /** Every data request's URL, in order. */
  urls: string[];
  logins: number;
}

export interface EngineOptions {
  config: Record<string, unknown>;
  now?: () => Date;
}

function component(value: unknown, where: string): Component {
  if (!isMapping(value as PyValue)) throw new Error(`${where} is not a component`);
  return value as Component;
}

function expectType(value: Component, types: string[], where: string): void {
  if (!types.includes(value.type ?? '')) throw new Error(`${where}: the test engine does not support ${String(value.type)}`);
}

/** urllib.parse.quote_plus, as requests encodes params (RequestEncodingMixin._encode_params uses urlencode). */
function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unquotePlus(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** urllib.parse.parse_qs without blank values, first value per key (http_client.py _dedupe_query_params). */
function parseQuery(url: string): Map<string, string> {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const values = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const value = unquotePlus(part.slice(eq + 1));
    if (value === '') continue;
    const key = unquotePlus(part.slice(0, eq));
    if (!values.has(key)) values.set(key, value);
  }
  return values;
}

/** HttpRequester._join_url: a '/' is added to the base, then urllib's urljoin for a relative or absolute path. */
function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  const root = base.endsWith('/') ? base : `${base}/`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  if (path.startsWith('/')) return new URL(root).origin + path;
  return root.slice(0, root.lastIndexOf('/') + 1) + path;
}

const FORMAT_PARTS: Record<string, string> = { '%Y': '(\\d{4})', '%m': '(\\d{2})', '%d': '(\\d{2})', '%H': '(\\d{2})', '%M': '(\\d{2})', '%S': '(\\d{2})' };

/** datetime.strptime for the directives our manifests use; naive values are UTC, as the engine assumes. */
function parseDatetime(text: string, format: string): Date | undefined {
  const order: string[] = [];
  const pattern = format.replace(/%[YmdHMS]|[.*+?^${}()|[\]\\]/g, (token) => {
    if (token in FORMAT_PARTS) {
      order.push(token);
      return FORMAT_PARTS[token]!;
    }
    return `\\${token}`;
  });
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const part = (directive: string, fallback: number): number => {
    const index = order.indexOf(directive);
    return index < 0 ? fallback : Number(match[index + 1]);
  };
  return new Date(Date.UTC(part('%Y', 1970), part('%m', 1) - 1, part('%d', 1), part('%H', 0), part('%M', 0), part('%S', 0)));
}

/** ISO 8601 durations of days, hours, minutes and seconds (isodate.parse_duration). */
export function durationMs(text: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match) throw new Error(`Unsupported duration ${text}`);
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}

interface CursorRun {
  slice: Scope;
  observe(record: Record<string, unknown>): void;
  finalState(): Record<string, unknown>;
  /** False when the engine would generate no slice (the start is not before the end). */
  hasSlice: boolean;
}

/**
 * The concurrent cursor (streams/concurrent/cursor.py) for one sync: one slice from the sync start
 * (the state, never before the start) less the lookback, clamped to the start, up to now; the
 * state afterwards is the latest cursor value seen, never below the sync start
 * (abstract_stream_state_converter.py, merge_intervals and _get_latest_complete_time).
 */
function cursorRun(incremental: Component | undefined, state: Record<string, unknown> | undefined, config: Scope, globals: Globals): CursorRun | undefined {
  if (!incremental) return undefined;
  const cursorField = String(incremental['cursor_field']);
  if (incremental.type === 'DatetimeBasedCursor') {
    if (incremental['step'] !== undefined || incremental['end_datetime'] !== undefined) throw new Error('step and end_datetime are not supported by the test engine');
    const format = String(incremental['datetime_format']);
    const recordFormats = (incremental['cursor_datetime_formats'] as string[] | undefined) ?? [format];
    const startSpec = incremental['start_datetime'];
    const startText = isMapping(startSpec as PyValue) ? (startSpec as Component)['datetime'] : startSpec;
    const start = parseDatetime(str(interpolate(String(startText), { config }, globals)), format);
    if (!start) throw new Error(`start_datetime does not parse with ${format}`);
    const lookback = incremental['lookback_window'] ? durationMs(str(interpolate(String(incremental['lookback_window']), { config }, globals))) : 0;
    const previous = state?.[cursorField] === undefined ? undefined : parseDatetime(String(state[cursorField]), format);
    const syncStart = previous && previous >= start ? previous : start;
    const lower = new Date(Math.max(syncStart.getTime() - lookback, start.getTime()));
    const now = globals.now();
    let latest = syncStart;
    return {
      hasSlice: lower < now,
      slice: { start_time: strftime(lower, format), end_time: strftime(now, format) },
      observe(record) {
        const value = record[cursorField];
        if (value === undefined || value === null) throw new Error(`Could not find cursor field ${cursorField} in record`);
        const parsed = recordFormats.map((f) => parseDatetime(String(value), f)).find((d) => d !== undefined);
        if (!parsed) throw new Error(`${cursorField} ${String(value)} matches none of ${recordFormats.join(', ')}`);
        if (parsed > latest) latest = parsed;
      },
      finalState: () => ({ [cursorField]: strftime(latest, format) }),
    };
  }
  if (incremental.type === 'IncrementingCountCursor') {
    const start = Number(incremental['start_value'] ?? 0);
    const previous = state?.[cursorField];
    const syncStart = typeof previous === 'number' && previous >= start ? previous : start;
    let latest = syncStart;
    return {
      hasSlice: true,
      slice: { start: syncStart, end: Number.POSITIVE_INFINITY },
      observe(record) {
        const value = record[cursorField];
        if (typeof value !== 'number') throw new Error(`Could not find cursor field ${cursorField} in record`);
        if (value > latest) latest = value;
      },
      finalState: () => ({ [cursorField]: latest }),
    };
  }
  throw new Error(`The test engine does not support ${String(incremental.type)}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isMapping(node[key] as PyValue)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function transform(record: Record<string, unknown>, transformations: Component[], scope: Scope, globals: Globals): Record<string, unknown> {
  let current = record;
  for (const transformation of transformations) {
    if (transformation.type === 'AddFields') {
      // add_fields.py: each value is evaluated against the record as changed by the fields before it.
      for (const field of transformation['fields'] as Component[]) {
        expectType(field, ['AddedFieldDefinition'], 'AddFields field');
        if (field['value_type'] !== undefined) throw new Error('value_type is not supported by the test engine');
        const value = interpolate(String(field['value']), { ...scope, record: current }, globals);
        setPath(current, field['path'] as string[], value);
      }
    } else if (transformation.type === 'DpathFlattenFields') {
      // dpath_flatten_fields.py: with replace_record, a non-empty object at the path becomes the record.
      if (transformation['replace_record'] !== true) throw new Error('only replace_record DpathFlattenFields is supported by the test engine');
      const path = transformation['field_path'] as string[];
      let extracted: unknown = current;
      for (const key of path) extracted = isMapping(extracted as PyValue) ? (extracted as Record<string, unknown>)[key] : undefined;
      if (isMapping(extracted as PyValue) && Object.keys(extracted as object).length > 0) current = { ...(extracted as Record<string, unknown>) };
    } else throw new Error(`The test engine does not support the transformation ${String(transformation.type)}`);
  }
  return current;
}

/**
 * The engine retries a request that failed on the network (HttpClient._send: a
 * requests.ConnectionError is resolved as RETRY by the default response filter); a kept-alive
 * connection the server has just closed is the usual case in tests.
 */
async function fetchWithRetries(url: string, init: RequestInit, attempts = 5): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw new Error(`${init.method ?? 'GET'} ${url}: ${(error as Error).message} (${String(((error as Error).cause as Error | undefined)?.message ?? '')})`);
    }
  }
}

export class DeclarativeTestEngine {
  private readonly globals: Globals;
  constructor(
    private readonly manifest: Record<string, unknown>,
    private readonly options: EngineOptions,
  ) {
    this.globals = { now: options.now ?? (() => new Date()) };
  }

  streamNames(): string[] {
    return (this.manifest['streams'] as Component[]).map((stream) => String(stream['name']));
  }

  private stream(name: string): Component {
    const stream = (this.manifest['streams'] as Component[]).find((candidate) => candidate['name'] === name);
    if (!stream) throw new Error(`No stream ${name} in the manifest`);
    expectType(stream, ['DeclarativeStream'], name);
    return stream;
  }

  /** SelectiveAuthenticator, then SessionTokenAuthenticator: POST the login, read the token, build the header. */
  private async signIn(authenticator: Component): Promise<Record<string, string>> {
    let chosen = authenticator;
    if (chosen.type === 'SelectiveAuthenticator') {
      let selector: unknown = this.options.config;
      for (const key of chosen['authenticator_selection_path'] as string[]) selector = (selector as Record<string, unknown>)[key];
      chosen = component((chosen['authenticators'] as Record<string, unknown>)[String(selector)], `authenticator ${String(selector)}`);
    }
    expectType(chosen, ['SessionTokenAuthenticator'], 'authenticator');
    const login = component(chosen['login_requester'], 'login_requester');
    const scope: Scope = { config: this.options.config };
    const url = joinUrl(str(interpolate(String(login['url_base']), scope, this.globals)), String(login['path']));
    const body = component(login['request_body'], 'request_body');
    expectType(body, ['RequestBodyJsonObject'], 'login request_body');
    const json = Object.fromEntries(Object.entries(body['value'] as Record<string, string>).map(([key, value]) => [key, interpolate(value, scope, this.globals)]));
    const response = await fetchWithRetries(url, { method: String(login['http_method']), headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    if (!response.ok) throw new Error(`Login failed: HTTP ${response.status} ${await response.text()}`);
    let token: unknown = await response.json();
    for (const key of chosen['session_token_path'] as string[]) token = (token as Record<string, unknown>)[key];
    const requestAuthentication = component(chosen['request_authentication'], 'request_authentication');
    expectType(requestAuthentication, ['ApiKey'], 'request_authentication');
    const option = component(requestAuthentication['inject_into'], 'inject_into');
    if (option['inject_into'] !== 'header') throw new Error('only header injection is supported by the test engine');
    const value = str(interpolate(String(requestAuthentication['api_token'] ?? '{{ session_token }}'), { ...scope, session_token: String(token) }, this.globals));
    return { [String(option['field_name'])]: value };
  }

  async readStream(name: string, state?: Record<string, unknown>): Promise<StreamReadResult> {
    const stream = this.stream(name);
    const retriever = component(stream['retriever'], `${name}.retriever`);
    expectType(retriever, ['SimpleRetriever'], `${name}.retriever`);
    const requester = component(retriever['requester'], `${name}.requester`);
    expectType(requester, ['HttpRequester'], `${name}.requester`);
    const selector = component(retriever['record_selector'], `${name}.record_selector`);
    const extractor = component(selector['extractor'], `${name}.extractor`);
    expectType(extractor, ['DpathExtractor'], `${name}.extractor`);
    const paginator = component(retriever['paginator'], `${name}.paginator`);
    expectType(paginator, ['DefaultPaginator'], `${name}.paginator`);
    const strategy = component(paginator['pagination_strategy'], `${name}.pagination_strategy`);
    expectType(strategy, ['CursorPagination'], `${name}.pagination_strategy`);
    expectType(component(paginator['page_token_option'], 'page_token_option'), ['RequestPath'], `${name}.page_token_option`);

    const config = this.options.config;
    const cursor = cursorRun(stream['incremental_sync'] as Component | undefined, state, config, this.globals);
    const result: StreamReadResult = { records: [], state: undefined, urls: [], logins: 0 };
    if (cursor && !cursor.hasSlice) return { ...result, state: cursor.finalState() };
    const slice: Scope = cursor?.slice ?? {};
    const scope: Scope = { config, stream_slice: slice, stream_interval: slice, stream_partition: slice };

    const authHeaders = await this.signIn(component(requester['authenticator'], 'authenticator'));
    result.logins++;
    const urlBase = str(interpolate(String(requester['url_base']), scope, this.globals));
    const expander = extractor['record_expander'] as Component | undefined;
    const transformations = (stream['transformations'] as Component[] | undefined) ?? [];
    let path = String(requester['path']);
    let nextPageToken: unknown = undefined;
    for (;;) {
      const pageScope = { ...scope, next_page_token: nextPageToken === undefined ? null : { next_page_token: nextPageToken } };
      const base = joinUrl(urlBase, path);
      // http_requester.py _request_params; values that render empty are None and dropped (interpolated_request_input_provider.py).
      const params: [string, string][] = [];
      for (const [key, template] of Object.entries((requester['request_parameters'] as Record<string, string> | undefined) ?? {})) {
        const value = interpolateOption(template, pageScope, this.globals);
        if (value !== null) params.push([key, str(value)]);
      }
      // http_client.py _dedupe_query_params: parameters the URL already carries with the same value are not repeated.
      const inUrl = parseQuery(base);
      const extra = params.filter(([key, value]) => inUrl.get(key) !== value);
      const encoded = extra.map(([key, value]) => `${quotePlus(key)}=${quotePlus(value)}`).join('&');
      const url = encoded === '' ? base : `${base}${base.includes('?') ? '&' : '?'}${encoded}`;
      const headers: Record<string, string> = {};
      for (const [key, template] of Object.entries((requester['request_headers'] as Record<string, string> | undefined) ?? {})) {
        const value = interpolateOption(template, pageScope, this.globals);
        if (value !== null) headers[key] = str(value);
      }
      Object.assign(headers, authHeaders);
      result.urls.push(url);
      const response = await fetchWithRetries(url, { method: String(requester['http_method'] ?? 'GET'), headers });
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
      const body = JSON.parse(text) as Record<string, unknown>;

      let extracted: unknown = body;
      for (const key of extractor['field_path'] as string[]) extracted = (extracted as Record<string, unknown> | undefined)?.[key];
      const pageRecords = Array.isArray(extracted) ? (extracted as Record<string, unknown>[]) : [];
      for (const raw of pageRecords) {
        // record_expander.py: each item of the nested list, with a deep copy of its parent under original_record.
        const rows: Record<string, unknown>[] = [];
        if (expander) {
          if (expander['remain_original_record'] !== true) throw new Error('the test engine expands with remain_original_record only');
          // The engine deep-copies the parent for each item; no transformation changes that copy, so one frozen copy shared by the items is the same.
          const parent = deepFreeze(structuredClone(raw));
          for (const nested of valuesAt(raw, expander['expand_records_from_field'] as string[])) {
            for (const item of Array.isArray(nested) ? nested : []) {
              if (isMapping(item as PyValue)) rows.push({ ...(item as Record<string, unknown>), original_record: parent });
            }
          }
        } else rows.push(raw);
        for (const row of rows) {
          const record = transform(row, transformations, scope, this.globals);
          cursor?.observe(record);
          result.records.push(record);
        }
      }

      const responseScope: Scope = { config, response: body, headers: Object.fromEntries(response.headers), last_page_size: pageRecords.length };
      if (strategy['stop_condition'] && interpolateBoolean(String(strategy['stop_condition']), responseScope, this.globals)) break;
      const token = interpolate(String(strategy['cursor_value']), responseScope, this.globals);
      if (token === null || token === '' || token === false) break;
      nextPageToken = token;
      path = str(token);
    }
    if (cursor) result.state = cursor.finalState();
    return result;
  }
}

/**
 * The values at a path, as dpath.values finds them for the expander: a `*` step matches every
 * member of an object or item of a list (in order), any other step one key.
 */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [value];
  if (value === null || typeof value !== 'object') return [];
  const [step, ...rest] = path;
  const members = step === '*' ? Object.values(value) : step! in value ? [(value as Record<string, unknown>)[step!]] : [];
  return members.flatMap((member) => valuesAt(member, rest));
}
