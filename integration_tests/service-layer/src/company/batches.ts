/**
 * Batches of perishable items: BatchNumberDetails (one record per item and batch, key DocEntry = the batch's
 * AbsEntry, in creation order) and the BatchNumbers rows of document and transfer lines. A batch is named after
 * its admission day and its number that day (L260314-0007), as lot numbers are printed on cases; SystemNumber
 * counts the item's batches. Batch quantities per warehouse are not a property of BatchNumberDetail in the
 * Service Layer: they follow from the BatchNumbers rows of the documents that moved them.
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core } from '../store/source.js';
import type { Operations } from './books/operations.js';
import type { StockBook } from './books/stock.js';

export class BatchNames {
  private readonly names: string[] = [];
  private readonly systemNumbers: number[] = [];
  private readonly perDay = new Map<number, number>();
  private readonly perItem = new Map<number, number>();

  constructor(private readonly stock: StockBook) {}

  name(batch: number): string {
    this.extend();
    return this.names[batch]!;
  }

  systemNumber(batch: number): number {
    this.extend();
    return this.systemNumbers[batch]!;
  }

  /** A BatchNumbers row of a document line: which batch, how much, and the batch's dates. */
  row(itemCode: string, batch: number, quantity: number, lineNum: number): Core {
    return {
      BatchNumberProperty: this.name(batch),
      ExpiryDate: dateOfDay(this.stock.expiry.get(batch)),
      ManufacturingDate: dateOfDay(this.stock.manufactured.get(batch)),
      AddmisionDate: dateOfDay(this.stock.admission.get(batch)),
      Quantity: quantity,
      BaseLineNumber: lineNum,
      ItemCode: itemCode,
      SystemSerialNumber: this.systemNumber(batch),
    };
  }

  private extend(): void {
    for (let b = this.names.length; b < this.stock.batchCount; b++) {
      const day = this.stock.admission.get(b);
      const n = (this.perDay.get(day) ?? 0) + 1;
      this.perDay.set(day, n);
      this.names.push(`L${dateOfDay(day).slice(2).replace(/-/g, '')}-${String(n).padStart(4, '0')}`);
      const item = this.stock.batchItem.get(b);
      const s = (this.perItem.get(item) ?? 0) + 1;
      this.perItem.set(item, s);
      this.systemNumbers.push(s);
    }
  }
}


export class BatchNumberDetailsSource extends NumberedSource {
  readonly entitySet = 'BatchNumberDetails';
  readonly keyProperty = 'DocEntry';

  constructor(
    private readonly stock: StockBook,
    private readonly names: BatchNames,
    private readonly ops: Operations,
  ) {
    super();
  }

  get count(): number {
    return this.stock.batchCount;
  }

  record(index: number): Core {
    const item = this.ops.item(this.stock.batchItem.get(index));
    return {
      DocEntry: index + 1,
      ItemCode: item.code,
      ItemDescription: item.name,
      Status: 'bdsStatus_Released',
      Batch: this.names.name(index),
      BatchAttribute1: `VL${String((index * 7793 + item.index * 31) % 1_000_000).padStart(6, '0')}`,
      AdmissionDate: dateOfDay(this.stock.admission.get(index)),
      ManufacturingDate: dateOfDay(this.stock.manufactured.get(index)),
      ExpirationDate: dateOfDay(this.stock.expiry.get(index)),
      SystemNumber: this.names.systemNumber(index),
    };
  }

  create(): Core {
    throw new Error('BatchNumberDetails are created by the documents that receive a batch');
  }
}
