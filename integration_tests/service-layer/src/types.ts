/** Public types of the Service Layer simulator library (see ../README.md). */

export type Dialect = 'v1' | 'v2';

export interface SimulatorOptions {
  /** Which service root `baseUrl` points at; both /b1s/v1 and /b1s/v2 are served either way. Default 'v2'. */
  dialect?: Dialect;
  /** HTTPS with a self-signed certificate (SANs 127.0.0.1 and localhost) made at start. Default false. */
  tls?: boolean;
  host?: string;
  port?: number;
  /** Same seed + scale + clockStart give identical data. Default 1. */
  seed?: number;
  /** 1 = demo size (about 2000 invoices of about 4 lines); volume grows linearly. Default 1. */
  scale?: number;
  /**
   * Network time added to every request before it reaches the server. It holds neither a worker nor the
   * session's turn (see "Server capacity" in the README). Default 0.
   */
  latencyMs?: number;
  /** Extra time a successful or failed Login takes, like latencyMs outside the server's workers. Default 0. */
  loginDelayMs?: number;
  /**
   * Worker processes serving requests, shared by all sessions; a request waits in arrival order for a free one.
   * A positive integer, or Infinity for no limit. Default Infinity.
   */
  workers?: number;
  /** Work of every request on its worker, in milliseconds, before the answer is built. Default 0. */
  requestCostMs?: number;
  /** Work per record serialised into an answer, in microseconds; the simulator's own serialising runs during it. Default 0. */
  recordCostMicros?: number;
  /** Work of a Login on its worker, in milliseconds, on top of requestCostMs. Default 0. */
  loginCostMs?: number;
  /** Idle timeout of a session on the simulator clock. Default 30. */
  sessionTimeoutMinutes?: number;
  companyDb?: string;
  username?: string;
  password?: string;
  /** Company-local 'YYYY-MM-DDTHH:MM:SS' the clock starts at; the generated history ends just before it. */
  clockStart?: string;
  /** 'running' advances with real time; 'frozen' only moves when told. Default 'frozen'. */
  clockMode?: 'running' | 'frozen';
  /** Company time zone against UTC; the HTTP Date header is the clock in UTC. Default 0. */
  utcOffsetMinutes?: number;
  /**
   * What a wrong password answers. 'login_failed' (default): 401, code 100000027 "Login failed".
   * 'sld': 401, code -304 "Fail to NONE-SSO login from SLD." as 10.0 servers behind the SLD answer.
   */
  loginFailureStyle?: 'login_failed' | 'sld';
}

export interface SimulatorClock {
  /** Company-local time, 'YYYY-MM-DDTHH:MM:SS'. */
  now(): string;
  set(localDateTime: string): void;
  advance(ms: number): void;
}

export type FaultKind =
  | 'latency'
  | 'status429'
  | 'proxy502'
  | 'status503'
  | 'status500'
  | 'status504'
  | 'reset'
  | 'truncate'
  | 'expire_session';

export type FaultRule = {
  match?: { method?: string; pathIncludes?: string };
  /** Let this many matching requests pass before the fault applies. Default 0. */
  after?: number;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
} & (
  | { kind: 'latency'; ms: number }
  | { kind: 'status429'; retryAfterSeconds?: number }
  | { kind: 'proxy502' }
  | { kind: 'status503' }
  | { kind: 'status500' }
  | { kind: 'status504' }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'expire_session' }
);

export type Mutation =
  | { kind: 'update'; entitySet: string; key: string | number; changes?: Record<string, unknown> }
  | { kind: 'insert'; entitySet: string; record?: Record<string, unknown> }
  | { kind: 'remove_line'; entitySet: string; key: number; lineNum: number }
  | { kind: 'cancel_payment'; entitySet: 'IncomingPayments' | 'VendorPayments'; key: number }
  /** Cancels a document: orders in place; posted documents with a cancellation document (see README). */
  | { kind: 'cancel_document'; entitySet: string; key: number }
  | { kind: 'advance_clock'; ms: number }
  | { kind: 'set_clock'; to: string };

export interface MutationResult {
  kind: Mutation['kind'];
  entitySet?: string;
  key?: string | number;
  /** The key of the cancellation document a cancel_document posted. */
  cancellation?: number;
  /** The change stamp written, when the entity type has UpdateDate/UpdateTime. */
  updateDate?: string;
  updateTime?: string;
  /** The simulator clock after the mutation. */
  clock: string;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** HTTP status sent; 0 when the connection was reset without a response. */
  status: number;
  /** Selected request headers (never Cookie or Authorization). */
  headers: { prefer?: string; b1sPageSize?: string };
  fault?: FaultKind;
  /** Set on GET requests on data: the counter `mutations.at` uses. */
  dataRequestNumber?: number;
  /** Simulator clock when the request arrived. */
  clock: string;
  /** Login order (1 = the first successful Login) of the session whose cookie the request carried; never its id. */
  session?: number;
  /** Records serialised into the answer (collections and single entities). */
  records?: number;
  /** When a worker served it; absent for answers given before a worker (faults that replace the answer, paths outside /b1s). */
  timing?: ServiceTiming;
}

/** Milliseconds since the simulator started, on a monotonic clock. */
export interface ServiceTiming {
  /** When the request reached the server's queues (after latencyMs). */
  queuedMs: number;
  /** When a worker started on it: after every earlier request of its session finished and a worker was free. */
  startedMs: number;
  /** When the worker had written the answer (or the client had gone). */
  finishedMs: number;
}

export interface SimulatorStats {
  /** Successful logins. */
  logins: number;
  /** Logins refused for wrong credentials. */
  failedLogins: number;
  logouts: number;
  activeSessions: number;
  /** Requests a worker served: all but faults that replace the answer and paths outside /b1s. */
  requestsServed: number;
  /** Requests on a worker right now. */
  requestsInService: number;
  /** The most requests on workers at once; never more than `workers`. */
  maxConcurrentRequests: number;
  /** The most requests waiting for a free worker at once. */
  maxWaitingForWorker: number;
  /** The most requests of one session waiting for its turn at once (0 when no client overlapped its requests). */
  maxWaitingOnSession: number;
  /** Worker time used, in milliseconds: the sum over served requests of start to finish. */
  workerBusyMs: number;
  /** Requests served per session, in login order: element 0 is the first session's count (Login itself not counted). */
  requestsPerSession: readonly number[];
}

export interface KeyPicker {
  /** The key of the payment whose DocDate is the given number of days before the clock's date (nearest earlier one). */
  paymentPostedDaysAgo(entitySet: 'IncomingPayments' | 'VendorPayments', days: number): number | undefined;
  /** Keys in key order whose current record satisfies the predicate (streamed; stops at limit). */
  find(entitySet: string, predicate: (record: Record<string, unknown>) => boolean, limit?: number): (string | number)[];
  /** The key at a 0-based position in key order. */
  keyAt(entitySet: string, index: number): string | number | undefined;
  /** The greatest key. */
  lastKey(entitySet: string): string | number | undefined;
}

/** Debits and credits of an account in a month, from the simulator's postings, in cents. */
export interface AccountPeriod {
  account: string;
  /** 'YYYY-MM' of the entries' ReferenceDate. */
  period: string;
  /** The period-end closing entries (OriginalJournal ttClosingBalance), apart from the rest of the month. */
  closing: boolean;
  debitCents: number;
  creditCents: number;
}

/** On-hand stock of an item in a warehouse as the books hold it now. */
export interface ItemWarehouseStock {
  itemCode: string;
  warehouse: string;
  quantity: number;
  /** Stock value at moving average, in cents: what the warehouse's inventory account holds for the item. */
  valueCents: number;
  /** Moving-average unit cost (six decimals). */
  unitCost: number;
  /** Open sales order quantity and open purchase order quantity. */
  committed: number;
  ordered: number;
}

export interface BatchStock {
  itemCode: string;
  batch: string;
  warehouse: string;
  quantity: number;
  admissionDate: string;
  expiryDate: string;
}

/**
 * The simulator's own bookkeeping for finance tie-outs, computed from its postings and its stock book (never
 * from the served records): what a model built on the synced records must reproduce.
 */
export interface BooksGroundTruth {
  /** Debit and credit per account and month (and the closing entries apart), in cents. */
  accountPeriods(): AccountPeriod[];
  /**
   * Balance (debit - credit, in cents) per account over the months `from`..`to` ('YYYY-MM', inclusive, default
   * all); period-end closing entries are left out unless `includeClosing`.
   */
  balances(options?: { from?: string; to?: string; includeClosing?: boolean }): Map<string, number>;
  /**
   * What each customer owes ('receivables') or is owed to each vendor ('payables') as of a date ('YYYY-MM-DD',
   * inclusive), in cents, from the business-partner lines of the control account: the open documents' total.
   * Partners with nothing open are left out; a customer in credit shows a negative amount.
   */
  openItems(side: 'receivables' | 'payables', asOf: string): Map<string, number>;
  /** Stock per item and warehouse now (item-warehouses with no stock, orders or commitments left out). */
  stock(): ItemWarehouseStock[];
  /** Stock per batch and warehouse now (batches with stock only). */
  batchStock(): BatchStock[];
}

export interface ServiceLayerSimulator {
  readonly baseUrl: string;
  readonly dialect: Dialect;
  readonly companyDb: string;
  readonly username: string;
  readonly password: string;
  readonly certificatePem: string | undefined;
  readonly clock: SimulatorClock;
  readonly faults: { add(rule: FaultRule): void; clear(): void };
  readonly mutations: { apply(m: Mutation): MutationResult; at(dataRequestNumber: number, m: Mutation): void };
  readonly requestLog: readonly RequestLogEntry[];
  clearRequestLog(): void;
  readonly dataRequestCount: number;
  /**
   * Every record of the set, latest version, in key order, canonical form. With `properties` ('DocTotal',
   * 'DocumentLines/ItemCode'...), only those (for totals over large sets).
   */
  groundTruth(entitySet: string, properties?: readonly string[]): Iterable<Record<string, unknown>>;
  /** The books' own figures (ledger, sub-ledgers, stock) to tie a finance model out against. */
  readonly books: BooksGroundTruth;
  count(entitySet: string): number;
  readonly keys: KeyPicker;
  /** Entity sets served, in $metadata order. */
  readonly entitySets: readonly string[];
  expireAllSessions(): void;
  readonly stats: SimulatorStats;
  stop(): Promise<void>;
}
