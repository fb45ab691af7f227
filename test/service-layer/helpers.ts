import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ConnectorConfig } from '../../src/protocol/generated/config.js';
import { withSpecDefaults, type ResolvedConfig } from '../../src/config/load.js';
import type { Logger } from '../../src/logging.js';
import type { ServiceLayerClientOptions } from '../../src/service-layer/client.js';

export interface FakeRequest {
  method: string;
  /** Path and query as received, e.g. /b1s/v2/Invoices?$top=1 */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the fake answers. `fault` breaks the exchange on purpose. */
export interface Reply {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | object;
  /** reset: drop the connection without an answer; truncate: send half the announced body, then drop; hang: never answer. */
  fault?: 'reset' | 'truncate' | 'hang';
}

export type Handler = (request: FakeRequest) => Reply | Promise<Reply>;

export interface FakeServer {
  /** Origin, e.g. http://127.0.0.1:12345 */
  origin: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler, tls?: { key: string; cert: string }): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: FakeRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      void Promise.resolve(handler(request)).then((reply) => {
        if (reply.fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (reply.fault === 'hang') return;
        const isJson = typeof reply.body === 'object' && !Buffer.isBuffer(reply.body);
        const body: string | Buffer =
          reply.body === undefined ? '' : typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
        const headers: Record<string, string | string[]> = {
          'content-type': isJson ? 'application/json;odata.metadata=minimal;charset=utf-8' : 'text/plain',
          ...reply.headers,
        };
        if (reply.fault === 'truncate') {
          const bytes = Buffer.from(body);
          res.writeHead(reply.status ?? 200, { ...headers, 'content-length': String(bytes.length) });
          res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
          return;
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(body);
      });
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A TLS handshake the client refuses ends in an error on the server side: expected here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const PASSWORD = 'pw-S3cret!+&=';
export const COMPANY_DB = 'SBODEMOUS';
export const USER = 'manager';

export interface FakeServiceLayerOptions {
  dialect?: 'v1' | 'v2';
  sessionTimeoutMinutes?: number;
  /** Answers data requests of a valid session. */
  data?: Handler;
  /** Called for each login; return a reply to override the normal answer. */
  login?: (request: FakeRequest, count: number) => Reply | undefined | Promise<Reply | undefined>;
  /** Answers a request with no valid session this way: v1 or v2 error shape. */
  loginDelayMs?: number;
}

export interface FakeServiceLayer extends FakeServer {
  root: string;
  sessions: Set<string>;
  issuedSessions: string[];
  loggedOut: string[];
  /** Ends a session as the server's idle timeout would. */
  expire(sessionId: string): void;
}

/** The cookies of a request, by name. */
export function requestCookies(request: FakeRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) cookies[name] = rest.join('=');
  }
  return cookies;
}

export function sapError(dialect: 'v1' | 'v2', code: number, message: string): object {
  return dialect === 'v1'
    ? { error: { code, message: { lang: 'en-us', value: message } } }
    : { error: { code: String(code), message } };
}

/** A Service Layer that behaves like the real one for sessions: login, cookie check, 401 code 301, logout. */
export async function startFakeServiceLayer(options: FakeServiceLayerOptions = {}): Promise<FakeServiceLayer> {
  const dialect = options.dialect ?? 'v2';
  const base = `/b1s/${dialect}/`;
  const sessions = new Set<string>();
  const issuedSessions: string[] = [];
  const loggedOut: string[] = [];
  let logins = 0;
  const server = await startFakeServer(async (request) => {
    const path = request.url.startsWith(base) ? request.url.slice(base.length) : request.url;
    if (request.method === 'POST' && path === 'Login') {
      logins++;
      if (options.loginDelayMs) await new Promise((resolve) => setTimeout(resolve, options.loginDelayMs));
      const override = await options.login?.(request, logins);
      if (override) return override;
      const body = JSON.parse(request.body) as Record<string, string>;
      if (body['UserName'] !== USER || body['Password'] !== PASSWORD || body['CompanyDB'] !== COMPANY_DB) {
        return { status: 401, body: sapError(dialect, 100000027, 'Login failed') };
      }
      const id = `sess-${logins}-${Math.random().toString(36).slice(2)}`;
      sessions.add(id);
      issuedSessions.push(id);
      return {
        status: 200,
        headers: { 'set-cookie': [`B1SESSION=${id};HttpOnly;`, 'ROUTEID=.node1; path=/b1s'] },
        body: { 'odata.metadata': 'x', SessionId: id, Version: '1000280', SessionTimeout: options.sessionTimeoutMinutes ?? 30 },
      };
    }
    const id = requestCookies(request)['B1SESSION'];
    if (request.method === 'POST' && path === 'Logout') {
      if (id && sessions.delete(id)) {
        loggedOut.push(id);
        return { status: 204 };
      }
      return { status: 401, body: sapError(dialect, 301, 'Invalid session or session already timeout.') };
    }
    if (!id || !sessions.has(id)) {
      return { status: 401, body: sapError(dialect, 301, 'Invalid session or session already timeout.') };
    }
    return options.data ? options.data(request) : { status: 200, body: { value: [] } };
  });
  return {
    ...server,
    root: `${server.origin}${base}`,
    sessions,
    issuedSessions,
    loggedOut,
    expire: (sessionId: string) => sessions.delete(sessionId),
  };
}

/** A session-login config for `root`, with the spec's defaults for what `extra` leaves out, as the config loader fills them. */
export function sessionConfig(root: string, extra: Partial<ConnectorConfig> = {}): ResolvedConfig {
  return withSpecDefaults({
    service_layer_url: root,
    credentials: { auth_type: 'session_login', company_db: COMPANY_DB, username: USER, password: PASSWORD },
    ...extra,
  });
}

export interface CapturedLogger extends Logger {
  lines: { level: string; message: string }[];
}

/** Keeps every line exactly as the code logged it, before any redaction: a secret here is a leak. */
export function captureLogger(): CapturedLogger {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'DEBUG', message }),
    info: (message) => lines.push({ level: 'INFO', message }),
    warn: (message) => lines.push({ level: 'WARN', message }),
    error: (message) => lines.push({ level: 'ERROR', message }),
  };
}

export function assertNoSecrets(logger: CapturedLogger, secrets: string[]): void {
  for (const line of logger.lines) {
    for (const secret of secrets) {
      if (secret !== '' && line.message.includes(secret)) {
        throw new Error(`secret leaked into a ${line.level} log line: ${line.message.replace(secret, '<SECRET>')}`);
      }
    }
  }
}

/** A virtual clock that sleeps advance instantly, so retries and idle timeouts take no real time. */
export function fakeTime(start = Date.UTC(2026, 0, 15, 9, 0, 0)): { now: () => number; sleeps: number[]; advance: (ms: number) => void; options: Pick<ServiceLayerClientOptions, 'now' | 'sleep' | 'random'> } {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleeps,
    advance: (ms) => {
      current += ms;
    },
    options: {
      now: () => current,
      sleep: async (ms) => {
        sleeps.push(ms);
        current += ms;
      },
      random: () => 0.5,
    },
  };
}
