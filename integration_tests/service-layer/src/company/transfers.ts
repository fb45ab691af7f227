/**
 * Stock transfers between warehouses (StockTransfer entity type, lines StockTransferLines). A transfer moves
 * stock at the sending warehouse's moving-average cost, which its lines carry as Price (StockTransferLine has no
 * line total: the value moved is Quantity x Price, rounded to the cent), with the batches it moved. The
 * StockTransfer type has CreationDate and UpdateDate but no UpdateTime and no DataVersion; a posted transfer is
 * closed and does not change afterwards.
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core, type Key } from '../store/source.js';
import type { BatchNames } from './batches.js';
import { KINDS } from './books/kinds.js';
import type { DocumentContext } from './documents.js';
import type { Stamp } from './plan.js';

export class TransferSource extends NumberedSource {
  readonly entitySet = 'StockTransfers';
  readonly keyProperty = 'DocEntry';

  constructor(
    private readonly context: DocumentContext,
    private readonly batches: BatchNames,
  ) {
    super();
  }

  get count(): number {
    return this.context.countOf(KINDS.transfers);
  }

  post(stamp: Stamp, sequence: number, values: Record<string, unknown>): Key {
    return this.context.post(KINDS.transfers, stamp, sequence, values) + 1;
  }

  create(): Core {
    throw new Error('StockTransfers are posted, not created');
  }

  record(index: number): Core {
    const v = this.context.views.document(KINDS.transfers, index);
    const to = v.toRegion!;
    return {
      DocEntry: v.docEntry,
      Series: KINDS.transfers.series,
      DocDate: v.posted.date,
      DueDate: dateOfDay(v.posted.day + 1),
      Comments: `From ${v.region.warehouse} to ${to.warehouse}`,
      JournalMemo: `Inventory Transfer - ${v.region.warehouse} to ${to.warehouse}`,
      SalesPersonCode: -1,
      FromWarehouse: v.region.warehouse,
      ToWarehouse: to.warehouse,
      CreationDate: v.posted.date,
      UpdateDate: v.updated.date,
      TransNum: this.context.transNumOf(KINDS.transfers, index),
      DocNum: v.docNum,
      TaxDate: v.posted.date,
      DocObjectCode: KINDS.transfers.objectCode,
      DocumentStatus: 'bost_Close',
      StockTransferLines: v.lines.map((l) => ({
        LineNum: l.lineNum,
        DocEntry: v.docEntry,
        ItemCode: l.item.code,
        ItemDescription: l.item.name,
        Quantity: l.quantity,
        Price: l.unitCost,
        Currency: 'USD',
        WarehouseCode: to.warehouse,
        FromWarehouseCode: v.region.warehouse,
        DistributionRule: to.code,
        DistributionRule2: l.item.line.code,
        UnitPrice: l.unitCost,
        UoMCode: l.item.family.unit,
        InventoryQuantity: l.quantity,
        LineStatus: 'bost_Close',
        MeasureUnit: l.item.family.unit,
        BatchNumbers: l.batches.map((b) => this.batches.row(l.item.code, b.batch, b.quantity, l.lineNum)),
      })),
    };
  }
}
