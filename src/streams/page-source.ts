/**
 * What the read engine needs from the Service Layer, and nothing more: pages of an entity set in
 * key order, read as they arrive, a record count for progress, the first and last key of a read
 * (to split it into key ranges), the server's date, and an entity's canonical URL. The engine
 * depends on this interface only, so that it can be fed pages without a server. A page source is
 * one Service Layer session: it reads one page at a time.
 */
import type { KeyValue } from './cursor/ordering.js';
import type { EntityHashes, RawEntity } from './records.js';

export interface PageRequest {
  entitySet: string;
  /** The $filter of the records after a key (undefined: from the start of what the page's read covers). */
  filterAfter(afterKey: KeyValue | undefined): string | undefined;
  /** The page starts after this key. */
  afterKey: KeyValue | undefined;
  /**
   * The collections whose rows only child streams read, with the properties they read of each row:
   * only those are parsed; and the rows of a large entity's are parsed a slice at a time (see
   * SourceRecord.rows), and are left out of its `entity`.
   */
  childRows: ReadonlyMap<string, readonly string[]>;
  /** The properties to $select (collections included). */
  select: readonly string[];
  /** The property the records are ordered by, ascending: the key the engine pages by. */
  orderBy: string;
  /** Records per page the engine asks for. */
  pageSize: number;
}

/** One record of a page: the entity, its key, and the hashes of the JSON it came as. */
export interface SourceRecord {
  /**
   * The entity, the rows of the request's `childRows` with only the properties named there; a
   * large one without those rows.
   */
  entity: RawEntity;
  key: KeyValue;
  hashes: EntityHashes;
  /** The size of its JSON, for sizing the batches of output. */
  bytes: number;
  /**
   * The rows of one of its collections from the `from`th on, as many as one slice holds (none once
   * all are taken): all at once for most entities, and for a large one (a year-end closing entry of
   * thousands of lines) about PARSE_SLICE_BYTES of them, parsed when asked for, so that its records
   * leave in several batches instead of all being held at once.
   */
  rows(collection: string, from: number): readonly unknown[];
}

export interface PageEnd {
  /**
   * Whether the server says more records follow (it sent a next link). The link itself is not
   * followed: the engine asks for the keys after the last one it read, which stays right when
   * records change during the read.
   */
  morePages: boolean;
  /** The key of the page's last record, if it had any. */
  lastKey: KeyValue | undefined;
}

/** A page being read. */
export interface Page {
  /** Its records in the server's order, a few at a time, as they arrive; throws what ended the read. */
  records: AsyncIterable<SourceRecord[]>;
  /**
   * Settles once the whole answer has arrived, which is before the engine has taken all its
   * records: the next page can be asked for while this one is still being written.
   */
  arrived: Promise<PageEnd>;
  /** Stops reading the page: its request is abandoned. */
  cancel(): void;
}

export interface PageSource {
  /** Starts reading a page; the request waits for the session's previous one to end. */
  readPage(request: PageRequest, signal: AbortSignal): Page;
  /** How many records match a filter, or undefined when the server gives no count. */
  countRecords(entitySet: string, filter: string | undefined, signal: AbortSignal): Promise<number | undefined>;
  /** The lowest and the highest key of the records that match a filter, or undefined when none does. */
  keyRange(entitySet: string, key: string, filter: string | undefined, signal: AbortSignal): Promise<{ first: KeyValue; last: KeyValue } | undefined>;
  /** The server's current UTC date (YYYY-MM-DD), from its most recent answer, if it sent one. */
  serverToday(): string | undefined;
  /** The canonical Service Layer URL of one entity, for the records' _b1_source_url. */
  entityUrl(entitySet: string, key: KeyValue): string;
}
