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
  /** Added to every request. Default 0. */
  latencyMs?: number;
  /** Extra time a successful or failed Login takes. Default 0. */
  loginDelayMs?: number;
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
}

export interface SimulatorStats {
  logins: number;
  logouts: number;
  activeSessions: number;
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
