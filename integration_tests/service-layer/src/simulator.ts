/**
 * startServiceLayerSimulator: builds the company, starts an HTTP(S) server on a loopback port and returns the
 * handle tests drive (clock, faults, mutations, request log, ground truth).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Company, ENTITY_SET_ORDER } from './company/company.js';
import { parseLocalDateTime } from './model/dates.js';
import { keyPicker } from './keys.js';
import { SchemaModel } from './model/schema.js';
import { Mutator } from './store/mutations.js';
import { ServerCapacity } from './server/capacity.js';
import { ServerClock } from './server/clock.js';
import { FaultInjector } from './server/faults.js';
import { RequestHandler } from './server/handler.js';
import { SessionStore } from './server/sessions.js';
import { selfSignedCertificate } from './server/tls.js';
import type { ServiceLayerSimulator, SimulatorOptions } from './types.js';

export const DEFAULTS = {
  dialect: 'v2',
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  scale: 1,
  latencyMs: 0,
  loginDelayMs: 0,
  workers: Infinity,
  requestCostMs: 0,
  recordCostMicros: 0,
  loginCostMs: 0,
  sessionTimeoutMinutes: 30,
  companyDb: 'SBO_FOODCO',
  username: 'manager',
  password: 'B1Sim-FoodCo-2026',
  clockStart: '2026-11-25T10:00:00',
  clockMode: 'frozen',
  utcOffsetMinutes: 0,
  loginFailureStyle: 'login_failed',
} as const satisfies Required<Omit<SimulatorOptions, 'tls'>>;

let schemaCache: SchemaModel | undefined;

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${value}`);
  return value;
}

export async function startServiceLayerSimulator(options: SimulatorOptions = {}): Promise<ServiceLayerSimulator> {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  if (o.dialect !== 'v1' && o.dialect !== 'v2') throw new Error(`dialect must be 'v1' or 'v2', got '${String(o.dialect)}'`);
  if (o.clockMode !== 'running' && o.clockMode !== 'frozen') throw new Error(`clockMode must be 'running' or 'frozen'`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}`);
  if (!(o.scale > 0)) throw new Error(`scale must be a positive number, got ${o.scale}`);
  for (const name of ['latencyMs', 'loginDelayMs', 'requestCostMs', 'recordCostMicros', 'loginCostMs'] as const) nonNegative(name, o[name]);
  if (!(o.workers === Infinity || (Number.isInteger(o.workers) && o.workers >= 1))) {
    throw new Error(`workers must be a positive integer or Infinity, got ${o.workers}`);
  }
  if (!(o.sessionTimeoutMinutes > 0)) throw new Error('sessionTimeoutMinutes must be positive');
  const clockStartMs = parseLocalDateTime(o.clockStart);

  schemaCache ??= SchemaModel.load();
  const schema = schemaCache;
  const company = new Company(schema, { seed: o.seed, scale: o.scale, clockStartMs });
  const clock = new ServerClock(o.clockStart, o.clockMode, o.utcOffsetMinutes);
  const sessions = new SessionStore(clock, o.sessionTimeoutMinutes);
  const faults = new FaultInjector();
  const mutator = new Mutator(company, schema, clock);
  const capacity = new ServerCapacity({ workers: o.workers, requestCostMs: o.requestCostMs, recordCostMicros: o.recordCostMicros, loginCostMs: o.loginCostMs });
  const handler = new RequestHandler(
    {
      companyDb: o.companyDb,
      username: o.username,
      password: o.password,
      latencyMs: o.latencyMs,
      loginDelayMs: o.loginDelayMs,
      sessionTimeoutMinutes: o.sessionTimeoutMinutes,
      loginFailureStyle: o.loginFailureStyle,
      entitySetOrder: ENTITY_SET_ORDER,
    },
    schema,
    company,
    clock,
    sessions,
    faults,
    mutator,
    capacity,
  );

  const certificate = options.tls ? await selfSignedCertificate() : undefined;
  const listener = (req: Parameters<RequestHandler['handle']>[0], res: Parameters<RequestHandler['handle']>[1]) => {
    handler.handle(req, res).catch((e: unknown) => {
      console.error('Service Layer simulator: unhandled error', e);
      res.destroy();
    });
  };
  const server: Server = certificate
    ? createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, listener)
    : createHttpServer(listener);
  // Longer than any pause a test makes between two requests on one connection. Tests run their
  // client in the simulator's own process: a synchronous stretch longer than the idle timeout (a
  // big groundTruth() on a loaded machine) lets the client reuse a socket whose idle timer fires
  // before the request's bytes are read, and the server then resets a live request.
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `${certificate ? 'https' : 'http'}://${host}:${address.port}/b1s/${o.dialect}`;

  const keys = keyPicker(company, schema, clock);

  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    dialect: o.dialect,
    companyDb: o.companyDb,
    username: o.username,
    password: o.password,
    certificatePem: certificate?.certPem,
    clock,
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    mutations: { apply: (m) => mutator.apply(m), at: (n, m) => handler.schedule(n, m) },
    get requestLog() {
      return handler.log;
    },
    clearRequestLog: () => handler.clearLog(),
    get dataRequestCount() {
      return handler.dataRequestCount;
    },
    *groundTruth(entitySet: string, properties?: readonly string[]) {
      const typeName = schema.typeOfSet(entitySet).name;
      for (const e of company.table(entitySet).scan()) yield properties ? schema.project(typeName, e.record, properties) : schema.expand(typeName, e.record);
    },
    books: company.groundTruth,
    count: (entitySet) => company.table(entitySet).count,
    keys,
    entitySets: ENTITY_SET_ORDER,
    expireAllSessions: () => sessions.expireAll(),
    get stats() {
      return {
        logins: sessions.logins,
        failedLogins: sessions.failedLogins,
        logouts: sessions.logouts,
        activeSessions: sessions.active,
        ...capacity.stats(sessions.logins),
      };
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
