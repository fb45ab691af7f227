/** A minimal Service Layer client for the simulator's own tests: raw requests, cookies kept by hand. */
import type { ServiceLayerSimulator } from '../index.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = Record<string, unknown>>(): T;
}

export class TestClient {
  cookie = '';

  constructor(
    readonly sim: ServiceLayerSimulator,
    readonly root: string = sim.baseUrl,
  ) {}

  /** The same simulator through the other service root (/b1s/v1 <-> /b1s/v2). */
  other(dialect: 'v1' | 'v2'): TestClient {
    const c = new TestClient(this.sim, this.sim.baseUrl.replace(/\/b1s\/v[12]$/, `/b1s/${dialect}`));
    c.cookie = this.cookie;
    return c;
  }

  async login(credentials?: Record<string, unknown>): Promise<Reply> {
    const reply = await this.request('POST', 'Login', {
      body: JSON.stringify(credentials ?? { CompanyDB: this.sim.companyDb, UserName: this.sim.username, Password: this.sim.password }),
    });
    const cookies = reply.headers.getSetCookie();
    if (reply.status === 200) this.cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    return reply;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const send = () =>
      fetch(`${this.root}/${path}`, {
        method,
        headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: init.body,
      });
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      // The tests total ground truth synchronously in the server's own process: after a long total, the server's
      // keep-alive timer closes a pooled socket just as the next request goes out on it. Once more on a new one.
      if (!isConnectionReset(e)) throw e;
      res = await send();
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  }

  /** All records of a query, following next links; returns the records and the pages' raw replies. */
  async readAll(path: string, headers: Record<string, string> = {}): Promise<{ records: Record<string, unknown>[]; pages: Reply[] }> {
    const records: Record<string, unknown>[] = [];
    const pages: Reply[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const reply = await this.get(next, headers);
      if (reply.status !== 200) throw new Error(`GET ${next}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
      pages.push(reply);
      const body = reply.json<Record<string, unknown>>();
      records.push(...(body['value'] as Record<string, unknown>[]));
      next = (body['@odata.nextLink'] ?? body['odata.nextLink']) as string | undefined;
    }
    return { records, pages };
  }
}

function isConnectionReset(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } }).cause;
  return e instanceof TypeError && (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET');
}

/** Error code and message of a Service Layer error body, in either dialect's shape. */
export function errorOf(reply: Reply): { code: number | string; message: string } {
  const body = reply.json<{ error: { code: number | string; message: string | { lang: string; value: string } } }>();
  const m = body.error.message;
  return { code: body.error.code, message: typeof m === 'string' ? m : m.value };
}

/** Percent-encodes a query option value the way fetch sends it (quotes included), so paths compare as sent. */
export function q(value: string): string {
  return encodeURIComponent(value).replace(/'/g, '%27');
}
