/**
 * What the read engine needs from the Service Layer, and nothing more: pages of an entity set in
 * key order, a record count for progress, the server's date, and an entity's canonical URL. The
 * engine depends on this interface only, so that it can be fed pages without a server.
 */
import type { KeyValue } from './cursor/ordering.js';
import type { RawEntity } from './records.js';

export interface PageRequest {
  entitySet: string;
  /** The $filter, or undefined to read everything. */
  filter: string | undefined;
  /** The properties to $select (collections included). */
  select: readonly string[];
  /** The property the records are ordered by, ascending: the key the engine pages by. */
  orderBy: string;
  /** Records per page the engine asks for. */
  pageSize: number;
}

export interface Page {
  records: RawEntity[];
  /**
   * Whether the server says more records follow (it sent a next link). The link itself is not
   * followed: the engine asks for the keys after the last one it read, which stays right when
   * records change during the read.
   */
  morePages: boolean;
}

export interface PageSource {
  readPage(request: PageRequest, signal: AbortSignal): Promise<Page>;
  /** How many records match a filter, or undefined when the server gives no count. */
  countRecords(entitySet: string, filter: string | undefined, signal: AbortSignal): Promise<number | undefined>;
  /** The server's current UTC date (YYYY-MM-DD), from its most recent answer, if it sent one. */
  serverToday(): string | undefined;
  /** The canonical Service Layer URL of one entity, for the records' _b1_source_url. */
  entityUrl(entitySet: string, key: KeyValue): string;
}
