/**
 * Journal entries: one per posting document and payment (their lines from postings.ts), the opening balances, the
 * month-end manual entries (payroll, rent, utilities, fuel per region; marketing and depreciation on shared
 * distribution rules), and the period-end closing of each completed financial year. JdtNum follows posting
 * dates: within a day the kinds come in a fixed order. Entries posted after the pass (mutations) follow the last.
 * The JournalEntry entity type has no UpdateDate/UpdateTime.
 *
 * The period-end closing (Administration > Utilities > Period-End Closing) posts, dated the last day of the
 * financial year, every profit-and-loss account's balance back to zero against the period-end closing account and
 * moves the net to retained earnings; SAP marks it with transaction type -3 (OriginalJournal ttClosingBalance),
 * which reports use to leave it out of the year's P&L (SAP's own P&L-by-cost-center procedure excludes
 * TransType -3 entries dated the last day of the year).
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core } from '../store/source.js';
import { ACCOUNT, ACCOUNTS, MONTHLY_DEPRECIATION, MONTHLY_ENTRIES, MONTHLY_MARKETING, REGIONS, SHARED_RULES } from './catalog.js';
import type { Books } from './books/books.js';
import { PAYMENTS } from './books/books.js';
import { KIND_LIST, type DocumentKind } from './books/kinds.js';
import { amountOf, cents } from './books/money.js';
import type { CompanyPlan, Stamp } from './plan.js';
import { documentPostings, paymentPostings, PostingSet, type PaymentFacts, type PostingLine } from './postings.js';
import { Rng } from './random.js';
import { DayStream, JournalLayout } from './streams.js';
import type { Views } from './views.js';

/** What a journal entry posts: a document, a payment (or its cancellation), or an entry of its own. */
export type EntrySource =
  | { type: 'document'; kind: DocumentKind; index: number }
  | { type: 'payment'; store: number; index: number; cancellation: boolean }
  | { type: 'opening' }
  | { type: 'manual'; day: number; n: number }
  | { type: 'deposit'; index: number }
  | { type: 'closing'; year: number }
  | { type: 'adjustment'; stamp: Stamp; sequence: number };

interface Header {
  memo: string;
  reference: string | null;
  originalJournal: string;
  original: number | null;
  transactionCode: string | null;
}

export interface JournalEntry {
  source: EntrySource;
  posted: Stamp;
  header: Header;
  lines: PostingLine[];
  /** Memo of each line. */
  lineMemo: string;
}

const JOURNAL_KINDS = KIND_LIST.filter((k) => k.journal !== null);
/** The card acquirer's fee on card slips, charged when they are deposited. */
const CARD_FEE = 0.025;
const PROFIT_AND_LOSS = new Set(ACCOUNTS.filter((a) => a.postable && a.type !== 'at_Other').map((a) => a.code));

/** Payment facts the journal needs (see payments.ts). */
export interface PaymentLookup {
  facts(store: number, index: number): PaymentFacts & { docNum: number; docEntry: number };
}

export class Journal {
  private readonly layout: JournalLayout;
  /** Layout components after the document kinds: opening, incoming, outgoing, manual, closing. */
  private readonly components: number;
  private readonly manualPerMonthEnd = MONTHLY_ENTRIES.length * REGIONS.length + 2;
  private readonly manual: DayStream;
  private readonly closing: DayStream;
  private readonly opening: DayStream;
  private readonly appended: EntrySource[] = [];
  private readonly appendedIndex = new Map<string, number>();
  private readonly closingLines = new Map<number, PostingLine[]>();
  private readonly rng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly books: Books,
    private readonly views: Views,
    private readonly payments: PaymentLookup,
  ) {
    this.rng = new Rng(plan.seed, 'journal');
    const days = plan.days;
    const count = (f: (day: number) => number) => {
      const counts = new Int32Array(days);
      for (let d = 0; d < days; d++) counts[d] = f(plan.firstDay + d);
      return new DayStream(plan.firstDay, counts);
    };
    this.opening = count((day) => (day === plan.firstDay ? 1 : 0));
    this.manual = count((day) => (plan.isMonthEnd(day) ? this.manualPerMonthEnd : 0));
    this.closing = count((day) => (dateOfDay(day).endsWith('-12-31') ? 1 : 0));
    const streams = [this.opening, ...JOURNAL_KINDS.map((k) => books.stream(k.store)), books.stream(PAYMENTS.incoming), books.stream(PAYMENTS.outgoing), books.depositStream(), this.manual, this.closing];
    this.components = streams.length;
    this.layout = new JournalLayout(streams);
  }

  get count(): number {
    return this.layout.total + this.appended.length;
  }

  /** JdtNum of the entry a document posted, or null (kinds without entries, or a document posted but not journalized). */
  transNumOf(kind: DocumentKind, index: number): number | null {
    const k = JOURNAL_KINDS.indexOf(kind);
    if (k < 0) return null;
    return this.numberOf({ type: 'document', kind, index }, 1 + k, this.books.stream(kind.store).total);
  }

  transNumOfPayment(store: number, index: number, cancellation = false): number | null {
    if (cancellation) return this.appendedNumber({ type: 'payment', store, index, cancellation });
    const component = 1 + JOURNAL_KINDS.length + (store === PAYMENTS.incoming ? 0 : 1);
    return this.numberOf({ type: 'payment', store, index, cancellation }, component, this.books.stream(store).total);
  }

  /** Adds an entry posted after the pass; returns its JdtNum. */
  append(source: EntrySource): number {
    this.appended.push(source);
    const number = this.layout.total + this.appended.length;
    this.appendedIndex.set(keyOf(source), number);
    return number;
  }

  private numberOf(source: EntrySource, component: number, passTotal: number): number | null {
    const index = (source as { index: number }).index;
    if (index < passTotal) return this.layout.entryOf(component, index) + 1;
    return this.appendedNumber(source);
  }

  private appendedNumber(source: EntrySource): number | null {
    return this.appendedIndex.get(keyOf(source)) ?? null;
  }

  sourceOf(entry: number): EntrySource {
    if (entry >= this.layout.total) return this.appended[entry - this.layout.total]!;
    const { kind, index, dayOffset } = this.layout.sourceOf(entry);
    const day = this.plan.firstDay + dayOffset;
    if (kind === 0) return { type: 'opening' };
    if (kind <= JOURNAL_KINDS.length) return { type: 'document', kind: JOURNAL_KINDS[kind - 1]!, index };
    if (kind === JOURNAL_KINDS.length + 1) return { type: 'payment', store: PAYMENTS.incoming, index, cancellation: false };
    if (kind === JOURNAL_KINDS.length + 2) return { type: 'payment', store: PAYMENTS.outgoing, index, cancellation: false };
    if (kind === JOURNAL_KINDS.length + 3) return { type: 'deposit', index };
    if (kind === this.components - 2) return { type: 'manual', day, n: index - this.manual.starts[dayOffset]! };
    return { type: 'closing', year: Number(dateOfDay(day).slice(0, 4)) };
  }

  /** The entry with index `entry` (JdtNum - 1): its source, date, header and lines. */
  entry(entry: number): JournalEntry {
    const source = this.sourceOf(entry);
    switch (source.type) {
      case 'document': {
        const v = this.views.document(source.kind, source.index);
        const memo = v.partner ? `${source.kind.memo} - ${v.partner.code}` : source.kind.memo;
        return {
          source,
          posted: v.posted,
          header: { memo, reference: String(v.docNum), originalJournal: source.kind.journal!, original: v.docEntry, transactionCode: null },
          lines: documentPostings(v)!,
          lineMemo: memo,
        };
      }
      case 'payment': {
        const f = this.payments.facts(source.store, source.index);
        const label = source.store === PAYMENTS.incoming ? 'Incoming Payments' : 'Outgoing Payments';
        const memo = `${source.cancellation ? `${label} (cancellation)` : label} - ${f.partner}`;
        const posted = source.cancellation ? this.cancellationStamp(source) : this.books.stampOf(source.store, source.index);
        return {
          source,
          posted,
          header: { memo, reference: String(f.docNum), originalJournal: source.store === PAYMENTS.incoming ? 'ttReceipt' : 'ttVendorPayment', original: f.docEntry, transactionCode: null },
          lines: paymentPostings(f, source.cancellation ? -1 : 1),
          lineMemo: memo,
        };
      }
      case 'opening':
        return this.openingEntry();
      case 'deposit':
        return this.depositEntry(source.index);
      case 'manual':
        return this.manualEntry(entry, source);
      case 'closing':
        return this.closingEntry(source);
      case 'adjustment':
        return this.adjustmentEntry(source);
    }
  }

  private readonly cancellationStamps = new Map<string, Stamp>();

  /** Records when a payment was cancelled (its reversing entry is dated then). */
  cancelPayment(store: number, index: number, stamp: Stamp): number {
    const source: EntrySource = { type: 'payment', store, index, cancellation: true };
    this.cancellationStamps.set(keyOf(source), stamp);
    return this.append(source);
  }

  private cancellationStamp(source: EntrySource): Stamp {
    return this.cancellationStamps.get(keyOf(source))!;
  }

  private openingEntry(): JournalEntry {
    const scale = this.plan.scale;
    const p = new PostingSet();
    const money = (amount: number) => cents(amount * scale);
    p.add(ACCOUNT.bank, money(600_000));
    p.add(ACCOUNT.warehouseEquipment, money(250_000));
    p.add(ACCOUNT.vehicles, money(180_000));
    p.add(ACCOUNT.shareCapital, -money(700_000));
    p.add(ACCOUNT.bankLoan, -(money(600_000) + money(250_000) + money(180_000) - money(700_000)));
    const memo = 'Opening balances';
    return { source: { type: 'opening' }, posted: this.plan.stamp(this.plan.firstDay, 5 * 3600), header: { memo, reference: null, originalJournal: 'ttOpeningBalance', original: null, transactionCode: null }, lines: p.result(), lineMemo: memo };
  }

  /**
   * A weekly bank deposit (Banking > Deposit, transaction type 25): the checks, card slips (less the acquirer's
   * fee) and cash received since the last one move from their clearing accounts to the bank.
   */
  private depositEntry(index: number): JournalEntry {
    const d = this.books.deposits;
    const checks = d.checks.get(index);
    const cards = d.cards.get(index);
    const cash = d.cash.get(index);
    const fee = Math.round(cards * CARD_FEE);
    const p = new PostingSet();
    p.add(ACCOUNT.bank, checks + cards + cash - fee);
    p.add(ACCOUNT.bankCharges, fee);
    p.add(ACCOUNT.checksReceived, -checks);
    p.add(ACCOUNT.creditCards, -cards);
    p.add(ACCOUNT.cash, -cash);
    const posted = this.plan.stamp(d.day.get(index), 17 * 3600 + 30 * 60);
    const memo = `Deposit ${posted.date}`;
    return { source: { type: 'deposit', index }, posted, header: { memo, reference: String(index + 1), originalJournal: 'ttDeposit', original: index + 1, transactionCode: null }, lines: p.result(), lineMemo: memo };
  }

  /** Month-end entry `n` of its day: one per (kind, region), then marketing and depreciation on shared rules. */
  private manualEntry(entry: number, source: { day: number; n: number }): JournalEntry {
    const posted = this.plan.stamp(source.day, 18 * 3600 + 45 * 60);
    const month = posted.date.slice(0, 7);
    const scale = this.plan.scale;
    const p = new PostingSet();
    let memo: string;
    const [allRegions, foodMix] = [SHARED_RULES[0]!.code, SHARED_RULES[1]!.code];
    const regional = MONTHLY_ENTRIES.length * REGIONS.length;
    if (source.n < regional) {
      const [debit, credit, label, amount] = MONTHLY_ENTRIES[Math.floor(source.n / REGIONS.length)]!;
      const region = REGIONS[source.n % REGIONS.length]!;
      const value = cents(amount * scale * region.weight * 3 * (0.9 + 0.2 * this.rng.unit(entry, 1)));
      memo = `${label} ${month} ${region.code}`;
      p.add(debit, value, { costing: region.code });
      p.add(credit, -value);
    } else if (source.n === regional) {
      const value = cents(MONTHLY_MARKETING * scale * (0.8 + 0.4 * this.rng.unit(entry, 2)));
      memo = `Marketing ${month}`;
      p.add(ACCOUNT.marketing, value, { costing: allRegions, costing2: foodMix });
      p.add(ACCOUNT.bank, -value);
    } else {
      const value = cents(MONTHLY_DEPRECIATION * scale);
      memo = `Depreciation ${month}`;
      p.add(ACCOUNT.depreciation, value, { costing: allRegions });
      p.add(ACCOUNT.accumulatedDepreciation, -value);
    }
    return { source: { type: 'manual', ...source }, posted, header: { memo, reference: null, originalJournal: 'ttJournalEntry', original: null, transactionCode: 'MEC' }, lines: p.result(), lineMemo: memo };
  }

  /** A manual adjustment posted through the mutation API. */
  private adjustmentEntry(source: { stamp: Stamp; sequence: number }): JournalEntry {
    const region = REGIONS[source.sequence % REGIONS.length]!;
    const p = new PostingSet();
    p.add(ACCOUNT.utilities, 10_000, { costing: region.code });
    p.add(ACCOUNT.bank, -10_000);
    const memo = 'Manual adjustment';
    return { source: { type: 'adjustment', ...source }, posted: source.stamp, header: { memo, reference: null, originalJournal: 'ttJournalEntry', original: null, transactionCode: null }, lines: p.result(), lineMemo: memo };
  }

  private closingEntry(source: { year: number }): JournalEntry {
    const posted = this.plan.stamp(Date.UTC(source.year, 11, 31) / 86_400_000, 23 * 3600);
    const memo = `Period-End Closing ${source.year}`;
    return {
      source: { type: 'closing', year: source.year },
      posted,
      header: { memo, reference: String(source.year), originalJournal: 'ttClosingBalance', original: null, transactionCode: null },
      lines: this.closingLinesOf(source.year),
      lineMemo: memo,
    };
  }

  /**
   * The year's profit-and-loss balances reversed against the period-end closing account, and that account's
   * total moved to retained earnings. Computed once, from every other entry of the year.
   */
  private closingLinesOf(year: number): PostingLine[] {
    const cached = this.closingLines.get(year);
    if (cached) return cached;
    const balances = new Map<string, number>();
    const from = Date.UTC(year, 0, 1) / 86_400_000;
    const to = Date.UTC(year, 11, 31) / 86_400_000;
    for (let e = 0; e < this.layout.total; e++) {
      const source = this.sourceOf(e);
      if (source.type === 'closing') continue;
      const day = this.dayOfEntry(e);
      if (day < from || day > to) continue;
      for (const l of this.entry(e).lines) if (PROFIT_AND_LOSS.has(l.account)) balances.set(l.account, (balances.get(l.account) ?? 0) + l.amount);
    }
    const p = new PostingSet();
    let net = 0;
    for (const account of [...balances.keys()].sort()) {
      p.add(account, -balances.get(account)!);
      net += balances.get(account)!;
    }
    p.add(ACCOUNT.periodEndClosing, net);
    const lines = p.result();
    const transfer = new PostingSet();
    transfer.add(ACCOUNT.periodEndClosing, -net);
    transfer.add(ACCOUNT.retainedEarnings, net);
    const all = [...lines, ...transfer.result()];
    this.closingLines.set(year, all);
    return all;
  }

  private dayOfEntry(entry: number): number {
    return this.plan.firstDay + this.layout.sourceOf(entry).dayOffset;
  }
}

function keyOf(source: EntrySource): string {
  switch (source.type) {
    case 'document':
      return `d${source.kind.store}:${source.index}`;
    case 'payment':
      return `p${source.store}:${source.index}:${source.cancellation ? 1 : 0}`;
    case 'adjustment':
      return `a${source.sequence}`;
    default:
      return source.type;
  }
}

/** Serves the journal as the JournalEntries entity set. */
export class JournalSource extends NumberedSource {
  readonly entitySet = 'JournalEntries';
  readonly keyProperty = 'JdtNum';
  private adjustments = 0;

  constructor(private readonly journal: Journal) {
    super();
  }

  get count(): number {
    return this.journal.count;
  }

  record(index: number): Core {
    return journalRecord(index + 1, this.journal.entry(index));
  }

  /** An inserted journal entry is a manual adjustment (utilities against the bank), dated now. */
  post(stamp: Stamp): number {
    return this.journal.append({ type: 'adjustment', stamp, sequence: this.adjustments++ });
  }

  create(): Core {
    throw new Error('Journal entries are posted, not created');
  }
}

export function journalRecord(jdtNum: number, e: JournalEntry): Core {
  const date = e.posted.date;
  const h = e.header;
  const lines = e.lines;
  return {
    ReferenceDate: date,
    Memo: h.memo,
    Reference: h.reference,
    Reference2: null,
    TransactionCode: h.transactionCode,
    TaxDate: date,
    JdtNum: jdtNum,
    Series: 20,
    DueDate: date,
    AutoVAT: 'tNO',
    Number: jdtNum,
    OriginalJournal: h.originalJournal,
    Original: h.original,
    BaseReference: h.reference,
    JournalEntryLines: lines.map((p, i) => {
      const debit = p.amount > 0 ? amountOf(p.amount) : 0;
      const credit = p.amount < 0 ? amountOf(-p.amount) : 0;
      return {
        Line_ID: i,
        AccountCode: p.account,
        Debit: debit,
        Credit: credit,
        FCDebit: p.currency && p.amountFC > 0 ? amountOf(p.amountFC) : 0,
        FCCredit: p.currency && p.amountFC < 0 ? amountOf(-p.amountFC) : 0,
        FCCurrency: p.currency,
        DueDate: date,
        ShortName: p.shortName,
        ContraAccount: lines[i === 0 ? 1 : 0]?.shortName ?? null,
        LineMemo: e.lineMemo,
        ReferenceDate1: date,
        Reference1: h.reference,
        CostingCode: p.costing,
        TaxDate: date,
        DebitSys: debit,
        CreditSys: credit,
        VatDate: date,
        CostingCode2: p.costing2,
        ControlAccount: p.shortName !== p.account ? p.account : null,
      };
    }),
  };
}
