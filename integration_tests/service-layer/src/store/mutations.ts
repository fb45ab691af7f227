/**
 * Changes a test makes to the company while a client reads it: updates (stamped with the server clock where the
 * entity type has UpdateDate/UpdateTime, DataVersion bumped where it has one), inserts, a line removed from a
 * document, a payment or a document cancelled, and clock moves.
 *
 * Inserting into a set the books keep (documents, payments, journal entries, stock transfers) posts like SAP
 * would (stock movement, journal entry, the invoice a payment settles); cancelling a payment reverses its journal
 * entry and reopens its invoice; cancelling a document posts its cancellation document. `update` and
 * `remove_line` are raw edits of the stored record, as a database edit would be: they do not repost.
 */
import type { Company } from '../company/company.js';
import type { Stamp } from '../company/plan.js';
import { round2 } from '../company/books/money.js';
import { dayOfLocalMs, secondOfDayOfLocalMs } from '../model/dates.js';
import type { SchemaModel, StructuredType } from '../model/schema.js';
import type { ServerClock } from '../server/clock.js';
import type { Mutation, MutationResult } from '../types.js';
import type { Core, Key } from './source.js';

export class Mutator {
  private inserts = 0;

  constructor(
    private readonly company: Company,
    private readonly schema: SchemaModel,
    private readonly clock: ServerClock,
  ) {}

  apply(m: Mutation): MutationResult {
    switch (m.kind) {
      case 'advance_clock':
        this.clock.advance(m.ms);
        return { kind: m.kind, clock: this.clock.now() };
      case 'set_clock':
        this.clock.set(m.to);
        return { kind: m.kind, clock: this.clock.now() };
      case 'update':
        return this.update(m.entitySet, m.key, m.changes ?? {});
      case 'insert':
        return this.insert(m.entitySet, m.record ?? {});
      case 'remove_line':
        return this.removeLine(m.entitySet, m.key, m.lineNum);
      case 'cancel_payment':
        return this.cancelPayment(m.entitySet, m.key);
      case 'cancel_document':
        return this.cancelDocument(m.entitySet, m.key);
      default:
        throw new Error(`Unknown mutation kind '${String((m as { kind: unknown }).kind)}'`);
    }
  }

  private now(): Stamp {
    const ms = this.clock.nowMs();
    return this.company.plan.stamp(dayOfLocalMs(ms), secondOfDayOfLocalMs(ms));
  }

  private existing(entitySet: string, key: Key): { type: StructuredType; record: Core } {
    const table = this.company.table(entitySet);
    const record = table.get(key);
    if (!record) throw new Error(`${entitySet}(${JSON.stringify(key)}) does not exist`);
    return { type: this.schema.typeOfSet(entitySet), record: structuredClone(record) };
  }

  private validate(type: StructuredType, values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) {
      const p = type.byName.get(name);
      if (!p) throw new Error(`${type.name} has no property '${name}'`);
      if (value !== null && !this.schema.valueFits(p, value)) {
        throw new Error(`Value of ${type.name}.${name} must be canonical ${p.kind} (${p.edmType}), got ${JSON.stringify(value)}`);
      }
    }
  }

  /** Writes the change stamp and bumps DataVersion where the type has them; returns the stamp written. */
  private stamp(type: StructuredType, record: Core): { updateDate?: string; updateTime?: string } {
    if (type.byName.has('DataVersion')) record['DataVersion'] = Number(record['DataVersion'] ?? 1) + 1;
    if (!type.byName.has('UpdateDate')) return {};
    const now = this.now();
    record['UpdateDate'] = now.date;
    if (type.byName.has('UpdateTime')) record['UpdateTime'] = now.time;
    return { updateDate: now.date, updateTime: type.byName.has('UpdateTime') ? now.time : undefined };
  }

  private update(entitySet: string, key: Key, changes: Record<string, unknown>): MutationResult {
    const { type, record } = this.existing(entitySet, key);
    this.validate(type, changes);
    if (type.key.some((k) => k in changes && changes[k] !== record[k])) throw new Error(`An update cannot change the key of ${entitySet}`);
    Object.assign(record, structuredClone(changes));
    const stamp = this.stamp(type, record);
    this.company.table(entitySet).put(key, record);
    return { kind: 'update', entitySet, key, ...stamp, clock: this.clock.now() };
  }

  private insert(entitySet: string, values: Record<string, unknown>): MutationResult {
    const table = this.company.table(entitySet);
    const type = this.schema.typeOfSet(entitySet);
    this.validate(type, values);
    const keyProperty = table.keyProperty;
    if (table.source.post) {
      if (keyProperty in values) throw new Error(`${entitySet} are numbered by the books: insert without ${keyProperty}`);
      const now = this.now();
      const key = table.source.post(now, this.inserts++, structuredClone(values));
      this.company.changed();
      return this.result('insert', entitySet, key, type, now);
    }
    const key = (values[keyProperty] as Key | undefined) ?? table.nextKey();
    const now = this.now();
    const record = table.source.create(key, now, this.inserts++);
    record[keyProperty] = key;
    for (const stampProperty of ['CreationDate', 'CreateDate', 'UpdateDate']) {
      if (type.byName.has(stampProperty)) record[stampProperty] = now.date;
    }
    for (const stampProperty of ['CreateTime', 'UpdateTime']) {
      if (type.byName.has(stampProperty)) record[stampProperty] = now.time;
    }
    if (type.byName.has('DataVersion')) record['DataVersion'] = 1;
    Object.assign(record, structuredClone(values));
    table.insert(key, record);
    return this.result('insert', entitySet, key, type, now);
  }

  /** What a mutation that stamped `now` (where the type has stamps) answers. */
  private result(kind: Mutation['kind'], entitySet: string, key: Key, type: StructuredType, now: Stamp): MutationResult {
    return {
      kind,
      entitySet,
      key,
      updateDate: type.byName.has('UpdateDate') ? now.date : undefined,
      updateTime: type.byName.has('UpdateTime') ? now.time : undefined,
      clock: this.clock.now(),
    };
  }

  private removeLine(entitySet: string, key: Key, lineNum: number): MutationResult {
    const { type, record } = this.existing(entitySet, key);
    const lines = record['DocumentLines'];
    if (!type.byName.has('DocumentLines') || !Array.isArray(lines)) throw new Error(`${entitySet} has no document lines`);
    const kept = (lines as Core[]).filter((l) => l['LineNum'] !== lineNum);
    if (kept.length === lines.length) throw new Error(`${entitySet}(${JSON.stringify(key)}) has no line ${lineNum}`);
    record['DocumentLines'] = kept;
    const net = kept.reduce((s, l) => s + Number(l['LineTotal'] ?? 0), 0);
    const vat = kept.reduce((s, l) => s + Number(l['TaxTotal'] ?? 0), 0);
    record['VatSum'] = round2(vat);
    record['VatSumSys'] = round2(vat);
    record['DocTotal'] = round2(net + vat);
    record['DocTotalSys'] = round2(net + vat);
    const stamp = this.stamp(type, record);
    this.company.table(entitySet).put(key, record);
    return { kind: 'remove_line', entitySet, key, ...stamp, clock: this.clock.now() };
  }

  private cancelPayment(entitySet: 'IncomingPayments' | 'VendorPayments', key: Key): MutationResult {
    if (entitySet !== 'IncomingPayments' && entitySet !== 'VendorPayments') throw new Error('cancel_payment applies to IncomingPayments or VendorPayments');
    this.existing(entitySet, key);
    this.company.cancelPayment(entitySet, Number(key) - 1, this.now());
    return { kind: 'cancel_payment', entitySet, key, clock: this.clock.now() };
  }

  private cancelDocument(entitySet: string, key: Key): MutationResult {
    const { type } = this.existing(entitySet, key);
    const now = this.now();
    const cancellation = this.company.cancelDocument(entitySet, Number(key) - 1, now);
    return { ...this.result('cancel_document', entitySet, key, type, now), ...(cancellation !== undefined ? { cancellation } : {}) };
  }
}
