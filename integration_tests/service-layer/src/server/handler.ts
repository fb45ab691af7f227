/**
 * One HTTP request through the simulated Service Layer: request log, scheduled mutations, scripted faults and
 * latency, then the server's capacity (the session's turn, a worker, the work's cost), then routing (Login,
 * Logout, $metadata, collections, /$count, single entities) on /b1s/v1 and /b1s/v2.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Company } from '../company/company.js';
import { metadataDocument } from '../model/metadata-xml.js';
import type { SchemaModel } from '../model/schema.js';
import { ERRORS, errorBody, ServiceLayerError } from '../odata/errors.js';
import { JsonWriter } from '../odata/json-writer.js';
import { QueryEngine } from '../odata/query-engine.js';
import { parseQueryOptions, parseQueryString } from '../odata/query-options.js';
import type { Mutator } from '../store/mutations.js';
import type { Dialect, FaultRule, Mutation, RequestLogEntry } from '../types.js';
import type { ServedRequest, ServerCapacity } from './capacity.js';
import type { ServerClock } from './clock.js';
import type { FaultInjector } from './faults.js';
import { gatewayTimeoutPage, notFoundPage, proxyErrorPage, serviceUnavailablePage, tooManyRequestsPage } from './gateway-pages.js';
import { BodyWriter, sendText, type ResponseOptions } from './response.js';
import { isDataResource, nextLink, pageSizeOf, parseKey, parseResource, parseRoute, readBody, routeQuery, serviceRoot, type Route } from './routing.js';
import { sessionIdFromCookie, type SessionStore } from './sessions.js';

export interface HandlerConfig {
  companyDb: string;
  username: string;
  password: string;
  latencyMs: number;
  loginDelayMs: number;
  sessionTimeoutMinutes: number;
  loginFailureStyle: 'login_failed' | 'sld';
  entitySetOrder: readonly string[];
}

const VERSION = '1000280';
const SERVER = 'Apache/2.4.61 (Unix)';

export class RequestHandler {
  readonly log: RequestLogEntry[] = [];
  dataRequestCount = 0;
  private seq = 0;
  private readonly scheduled: { at: number; mutation: Mutation }[] = [];
  private readonly writers: Record<Dialect, JsonWriter>;
  private readonly engine: QueryEngine;
  private readonly metadataCache = new Map<Dialect, string>();

  constructor(
    private readonly config: HandlerConfig,
    private readonly schema: SchemaModel,
    private readonly company: Company,
    private readonly clock: ServerClock,
    private readonly sessions: SessionStore,
    private readonly faults: FaultInjector,
    private readonly mutator: Mutator,
    private readonly capacity: ServerCapacity,
  ) {
    this.writers = { v1: new JsonWriter(schema, 'v1'), v2: new JsonWriter(schema, 'v2') };
    this.engine = new QueryEngine(schema);
  }

  schedule(at: number, mutation: Mutation): void {
    if (!Number.isInteger(at) || at < 1) throw new Error(`mutations.at needs a data request number >= 1, got ${at}`);
    this.scheduled.push({ at, mutation });
  }

  clearLog(): void {
    this.log.length = 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      method,
      path,
      status: 0,
      headers: {
        ...(typeof req.headers['prefer'] === 'string' ? { prefer: req.headers['prefer'] } : {}),
        ...(typeof req.headers['b1s-pagesize'] === 'string' ? { b1sPageSize: req.headers['b1s-pagesize'] } : {}),
      },
      clock: this.clock.now(),
    };
    const sessionId = sessionIdFromCookie(req.headers.cookie);
    const session = this.sessions.number(sessionId);
    if (session !== undefined) entry.session = session;
    this.log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    const route = parseRoute(path);
    if (route && method === 'GET' && isDataResource(route.resource)) {
      entry.dataRequestNumber = ++this.dataRequestCount;
      try {
        this.runScheduled(entry.dataRequestNumber);
      } catch (e) {
        // A broken scripted mutation must not pass unnoticed: say so and fail the request it was attached to.
        console.error(`Service Layer simulator: the mutation scheduled for data request ${entry.dataRequestNumber} failed:`, e);
        this.sendError(res, route.dialect, new ServiceLayerError(500, -1, `Scheduled mutation failed: ${(e as Error).message}`), false);
        return;
      }
    }
    const fault = this.faults.next(method, path);
    if (fault) entry.fault = fault.kind;
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);
    if (fault?.kind === 'latency') await sleep(fault.ms);
    // The front end answers these itself: they never reach a worker.
    if (fault && this.sendFault(fault, req, res, route?.dialect ?? 'v2')) return;
    if (!route) {
      sendText(res, { status: 404, headers: this.baseHeaders('text/html; charset=iso-8859-1') }, notFoundPage(path.split('?')[0]!));
      return;
    }

    const login = route.resource === 'Login';
    if (login && this.config.loginDelayMs > 0) await sleep(this.config.loginDelayMs);
    // A Login starts a session rather than waiting for one, whatever cookie it carries.
    const served = await this.capacity.admit(login ? undefined : sessionId, login ? undefined : session);
    try {
      await served.begin(login);
      if (fault?.kind === 'expire_session') this.sessions.expire(sessionId);
      await this.dispatch(req, res, route, fault?.kind === 'truncate', served);
    } catch (e) {
      const error = e instanceof ServiceLayerError ? e : new ServiceLayerError(500, -1, `Simulator error: ${(e as Error).message}`);
      if (!(e instanceof ServiceLayerError)) console.error(e);
      if (res.headersSent) res.destroy();
      else this.sendError(res, route.dialect, error, fault?.kind === 'truncate');
    } finally {
      entry.timing = served.finish();
      entry.records = served.records;
    }
  }

  private runScheduled(requestNumber: number): void {
    for (let i = 0; i < this.scheduled.length; ) {
      const s = this.scheduled[i]!;
      if (s.at <= requestNumber) {
        this.scheduled.splice(i, 1);
        this.mutator.apply(s.mutation);
      } else i++;
    }
  }

  /** Sends the fault's response if it replaces the real one; false when serving goes on. */
  private sendFault(fault: FaultRule, req: IncomingMessage, res: ServerResponse, dialect: Dialect): boolean {
    const html = this.baseHeaders('text/html; charset=iso-8859-1');
    switch (fault.kind) {
      case 'status429':
        sendText(res, { status: 429, headers: { ...html, 'Retry-After': String(fault.retryAfterSeconds ?? 1) } }, tooManyRequestsPage());
        return true;
      case 'proxy502':
        sendText(res, { status: 502, headers: html }, proxyErrorPage(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!));
        return true;
      case 'status503':
        sendText(res, { status: 503, headers: html }, serviceUnavailablePage());
        return true;
      case 'status504':
        sendText(res, { status: 504, headers: html }, gatewayTimeoutPage());
        return true;
      case 'status500':
        this.sendError(res, dialect, new ServiceLayerError(500, -1, 'Internal Server Error'), false);
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      default:
        return false;
    }
  }

  private baseHeaders(contentType: string, dialect?: Dialect): Record<string, string> {
    const headers: Record<string, string> = {
      Date: this.clock.utc().toUTCString(),
      Server: SERVER,
      'Content-Type': contentType,
    };
    if (dialect === 'v2') headers['OData-Version'] = '4.0';
    if (dialect === 'v1') headers['DataServiceVersion'] = '3.0';
    return headers;
  }

  private jsonHeaders(dialect: Dialect): Record<string, string> {
    return this.baseHeaders(
      dialect === 'v2' ? 'application/json;odata.metadata=minimal;charset=utf-8' : 'application/json;odata=minimalmetadata;charset=utf-8',
      dialect,
    );
  }

  private sendError(res: ServerResponse, dialect: Dialect, error: ServiceLayerError, truncate: boolean): void {
    sendText(res, { status: error.status, headers: this.jsonHeaders(dialect), truncate }, errorBody(dialect, error.code, error.message));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, route: Route, truncate: boolean, served: ServedRequest): Promise<void> {
    const method = req.method ?? 'GET';
    const { resource, dialect } = route;
    if (resource === 'Login') {
      if (method !== 'POST') throw ERRORS.readOnly();
      return this.login(req, res, dialect, truncate);
    }
    const sessionId = sessionIdFromCookie(req.headers.cookie);
    if (resource === 'Logout') {
      if (method !== 'POST') throw ERRORS.readOnly();
      if (!this.sessions.use(sessionId)) throw ERRORS.invalidSession();
      this.sessions.logout(sessionId!);
      res.writeHead(204, this.baseHeaders('application/json;charset=utf-8', dialect));
      res.end();
      return;
    }
    if (!this.sessions.use(sessionId)) throw ERRORS.invalidSession();
    if (method !== 'GET') throw ERRORS.readOnly();
    const options: ResponseOptions = { status: 200, headers: this.jsonHeaders(dialect), truncate };
    if (resource === '$metadata') {
      let xml = this.metadataCache.get(dialect);
      if (!xml) {
        xml = metadataDocument(this.schema, dialect, this.config.entitySetOrder);
        this.metadataCache.set(dialect, xml);
      }
      sendText(res, { ...options, headers: { ...this.baseHeaders('application/xml', dialect) } }, xml);
      return;
    }
    if (resource === '') return this.serviceDocument(req, res, dialect, options);
    const target = parseResource(resource);
    if (!target || !this.schema.entitySet(target.entitySet) || !this.company.tables.has(target.entitySet)) {
      throw ERRORS.unrecognizedResource();
    }
    if (target.key !== undefined) return this.single(req, res, dialect, target.entitySet, target.key, options, served);
    if (target.count) return this.countOnly(res, dialect, target.entitySet, route.query, options);
    return this.collection(req, res, route, target.entitySet, options, served);
  }

  private async login(req: IncomingMessage, res: ServerResponse, dialect: Dialect, truncate: boolean): Promise<void> {
    const body = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw ERRORS.badLoginBody();
    }
    const { CompanyDB, UserName, Password } = (parsed ?? {}) as Record<string, unknown>;
    if (typeof CompanyDB !== 'string' || typeof UserName !== 'string' || typeof Password !== 'string') throw ERRORS.badLoginBody();
    if (CompanyDB !== this.config.companyDb || UserName !== this.config.username || Password !== this.config.password) {
      this.sessions.refuse();
      throw this.config.loginFailureStyle === 'sld' ? ERRORS.loginFailedSld() : ERRORS.loginFailed();
    }
    const id = this.sessions.create();
    const context = dialect === 'v2' ? '"@odata.context"' : '"odata.metadata"';
    const contextValue = `${serviceRoot(req, dialect)}/$metadata#B1Sessions/${dialect === 'v2' ? '$entity' : '@Element'}`;
    const text =
      `{\n\t${context} : ${JSON.stringify(contextValue)},\n\t"SessionId" : ${JSON.stringify(id)},\n` +
      `\t"Version" : "${VERSION}",\n\t"SessionTimeout" : ${this.config.sessionTimeoutMinutes}\n}`;
    sendText(
      res,
      {
        status: 200,
        headers: { ...this.jsonHeaders(dialect), 'Set-Cookie': [`B1SESSION=${id};HttpOnly;`, 'ROUTEID=.node1; path=/b1s'] },
        truncate,
      },
      text,
    );
  }

  private serviceDocument(req: IncomingMessage, res: ServerResponse, dialect: Dialect, options: ResponseOptions): void {
    const root = serviceRoot(req, dialect);
    const sets = this.config.entitySetOrder.map((name) =>
      dialect === 'v2' ? `\t\t{\n\t\t\t"name" : "${name}",\n\t\t\t"kind" : "EntitySet",\n\t\t\t"url" : "${name}"\n\t\t}` : `\t\t"${name}"`,
    );
    const text =
      dialect === 'v2'
        ? `{\n\t"@odata.context" : "${root}/$metadata",\n\t"value" : \n\t[\n${sets.join(',\n')}\n\t]\n}`
        : `{\n\t"odata.metadata" : "${root}/$metadata",\n\t"value" : \n\t[\n${sets.join(',\n')}\n\t]\n}`;
    sendText(res, options, text);
  }

  private async single(
    req: IncomingMessage,
    res: ServerResponse,
    dialect: Dialect,
    entitySet: string,
    keyText: string,
    options: ResponseOptions,
    served: ServedRequest,
  ): Promise<void> {
    const type = this.schema.typeOfSet(entitySet);
    const table = this.company.table(entitySet);
    const key = parseKey(keyText, type.byName.get(table.keyProperty)?.kind === 'int' || type.byName.get(table.keyProperty)?.kind === 'double');
    const record = key === undefined ? undefined : table.get(key);
    if (!record) throw ERRORS.noMatchingRecords();
    const params = parseQueryString(routeQuery(req.url ?? ''));
    const query = parseQueryOptions(params, this.schema, type);
    const writer = this.writers[dialect];
    const set = this.schema.entitySet(entitySet)!;
    const headers = { ...options.headers };
    const root = serviceRoot(req, dialect);
    let lead = dialect === 'v2' ? `\t"@odata.context" : "${root}/$metadata#${entitySet}/$entity"` : `\t"odata.metadata" : "${root}/$metadata#${entitySet}/@Element"`;
    if (set.concurrency) {
      const etag = writer.etag(record[set.concurrency]);
      headers['ETag'] = etag;
      lead += `,\n${writer.annotation(dialect === 'v2' ? '@odata.etag' : 'odata.etag', etag, 1)}`;
    }
    const text = `{\n${writer.properties(type, record, 1, query.select, lead)}\n}`;
    served.recordSerialised();
    await served.settle(false);
    sendText(res, { ...options, headers }, text);
  }

  private countOnly(res: ServerResponse, dialect: Dialect, entitySet: string, query: string, options: ResponseOptions): void {
    const type = this.schema.typeOfSet(entitySet);
    const parsed = parseQueryOptions(parseQueryString(query), this.schema, type);
    const n = this.engine.count(this.company.table(entitySet), parsed);
    sendText(res, { ...options, headers: this.baseHeaders('text/plain;charset=utf-8', dialect) }, String(n));
  }

  private async collection(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    entitySet: string,
    options: ResponseOptions,
    served: ServedRequest,
  ): Promise<void> {
    const { dialect } = route;
    const type = this.schema.typeOfSet(entitySet);
    const table = this.company.table(entitySet);
    const params = parseQueryString(route.query);
    const query = parseQueryOptions(params, this.schema, type);
    const { pageSize, applied } = pageSizeOf(req);
    const headers = { ...options.headers };
    if (applied) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
    const total = query.inlineCount ? this.engine.count(table, query) : undefined;
    const { rows } = this.engine.page(table, query, pageSize);

    const writer = this.writers[dialect];
    const set = this.schema.entitySet(entitySet)!;
    const out = new BodyWriter(res, { ...options, headers }, (intermediate) => served.settle(intermediate));
    const root = serviceRoot(req, dialect);
    let head = dialect === 'v2' ? `{\n\t"@odata.context" : "${root}/$metadata#${entitySet}"` : `{\n\t"odata.metadata" : "${root}/$metadata#${entitySet}"`;
    if (total !== undefined) head += dialect === 'v2' ? `,\n\t"@odata.count" : ${total}` : `,\n\t"odata.count" : "${total}"`;
    out.parts.push(`${head},\n\t"value" : \n\t[`);
    let emitted = 0;
    const etagName = dialect === 'v2' ? '@odata.etag' : 'odata.etag';
    for (const record of rows) {
      const lead = set.concurrency ? writer.annotation(etagName, writer.etag(record[set.concurrency]), 3) : undefined;
      out.parts.push(emitted === 0 ? '\n' : ',\n');
      writer.writeObject(out.parts, type, record, 2, query.select, lead);
      served.recordSerialised();
      emitted++;
      await out.commit();
    }
    let tail = emitted === 0 ? ']' : '\n\t]';
    // A full page always carries a next link, even when nothing follows (the next page is then empty).
    if (pageSize > 0 && emitted === pageSize && (query.top === undefined || query.top > emitted)) {
      const link = nextLink(entitySet, params, query.skip + emitted, query.top === undefined ? undefined : query.top - emitted);
      tail += `,\n\t${dialect === 'v2' ? '"@odata.nextLink"' : '"odata.nextLink"'} : ${JSON.stringify(link)}`;
    }
    out.parts.push(`${tail}\n}`);
    await out.end();
  }
}

