/**
 * The business content of each posted document (who, what, how much), without its status or change stamps.
 * Documents, payments and journal entries all read these drafts, so a payment applies exactly the invoice
 * total and a journal entry mirrors exactly the document lines.
 */
import { FAMILIES, REGIONS, type Region } from './catalog.js';
import type { CompanyFacts, ItemFacts, PartnerFacts } from './facts.js';
import type { CompanyPlan, Stamp } from './plan.js';
import { Rng, round2 } from './random.js';

export interface DraftLine {
  lineNum: number;
  item: ItemFacts;
  quantity: number;
  /** Unit price before discount. */
  unitPrice: number;
  discountPercent: number;
  /** Unit price after discount. */
  price: number;
  lineTotal: number;
  taxRate: number;
  taxCode: string;
  taxTotal: number;
  /** Unit cost carried on the line (GrossBuyPrice). */
  unitCost: number;
  promoCode: string | null;
  /** Line of the base document, when copied from one. */
  baseLine?: number;
}

export interface Draft {
  partner: PartnerFacts;
  region: Region;
  posted: Stamp;
  lines: DraftLine[];
  vatSum: number;
  docTotal: number;
  discountTotal: number;
  /** Base document index (credit note: invoice; receipt: order; A/P invoice: receipt), or -1. */
  baseIndex: number;
}

const LINE_COUNT_WEIGHTS = [8, 12, 16, 18, 16, 12, 10, 8];

export class Drafts {
  private readonly invoiceRng: Rng;
  private readonly creditRng: Rng;
  private readonly orderRng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly facts: CompanyFacts,
  ) {
    this.invoiceRng = new Rng(plan.seed, 'invoice');
    this.creditRng = new Rng(plan.seed, 'creditNote');
    this.orderRng = new Rng(plan.seed, 'purchaseOrder');
  }

  invoice(index: number): Draft {
    const r = this.invoiceRng;
    const posted = this.plan.postingStamp(this.plan.invoices, index, 'invoice');
    const partner = this.facts.customer(this.facts.pickCustomer(r, index, 0, posted.day));
    const lineCount = 1 + r.weighted(LINE_COUNT_WEIGHTS, index, 1);
    const used = new Set<number>();
    const lines: DraftLine[] = [];
    for (let l = 0; l < lineCount; l++) {
      let itemIndex = -1;
      for (let attempt = 0; attempt < 6; attempt++) {
        const candidate = this.facts.pickItem(r, index * 64 + l * 8 + attempt, 10, posted.day);
        if (!used.has(candidate)) {
          itemIndex = candidate;
          break;
        }
      }
      if (itemIndex < 0) continue;
      used.add(itemIndex);
      const item = this.facts.item(itemIndex);
      const quantity = 1 + Math.floor(Math.pow(r.unit(index, 20, l), 2) * 30);
      const promo = r.unit(index, 21, l) < 0.08;
      const promoIndex = r.int(index, 23, 0, this.plan.promoCount - 1, l);
      const discountPercent = promo ? [5, 10, 15][r.int(index, 22, 0, 2, l)]! : 0;
      lines.push(
        this.line(lines.length, item, quantity, item.price, discountPercent, item.line.taxRate, item.line.taxCode, item.cost, promo ? promoCode(promoIndex) : null),
      );
    }
    return this.total({ partner, region: partner.region, posted, lines, baseIndex: -1 });
  }

  /** A credit memo for part of a recent invoice of the same customer (a return or a price correction). */
  creditNote(index: number): Draft {
    const r = this.creditRng;
    const posted = this.plan.postingStamp(this.plan.creditNotes, index, 'creditNote');
    const invoiceIndex = this.recentInvoice(r, index, posted.day);
    if (invoiceIndex < 0) {
      const partner = this.facts.customer(this.facts.pickCustomer(r, index, 0, posted.day));
      const item = this.facts.item(this.facts.pickItem(r, index, 1, posted.day));
      const lines = [this.line(0, item, 1, item.price, 0, item.line.taxRate, item.line.taxCode, item.cost, null)];
      return this.total({ partner, region: partner.region, posted, lines, baseIndex: -1 });
    }
    const invoice = this.invoice(invoiceIndex);
    const first = r.int(index, 2, 0, invoice.lines.length - 1);
    const picked = r.unit(index, 3) < 0.3 && invoice.lines.length > 1 ? [first, (first + 1) % invoice.lines.length] : [first];
    const lines = picked.map((l, n) => {
      const src = invoice.lines[l]!;
      const quantity = Math.max(1, Math.ceil(src.quantity * (0.1 + 0.9 * r.unit(index, 4, n))));
      return {
        ...this.line(n, src.item, quantity, src.unitPrice, src.discountPercent, src.taxRate, src.taxCode, src.unitCost, src.promoCode),
        baseLine: src.lineNum,
      };
    });
    return this.total({ partner: invoice.partner, region: invoice.region, posted, lines, baseIndex: invoiceIndex });
  }

  /** A purchase order to one vendor for one product family, delivered to one distribution center. */
  purchaseOrder(index: number): Draft {
    const r = this.orderRng;
    const posted = this.plan.postingStamp(this.plan.purchaseOrders, index, 'purchaseOrder');
    const familyIndex = r.weighted(FAMILIES.map((f) => f.weight), index, 0);
    const partner = this.facts.vendor(this.facts.pickVendorOfFamily(r, index, 1, familyIndex));
    const region = REGIONS[r.weighted(REGIONS.map((x) => x.weight), index, 2)]!;
    const lineCount = 3 + r.int(index, 3, 0, 7);
    const used = new Set<number>();
    const lines: DraftLine[] = [];
    for (let l = 0; l < lineCount; l++) {
      const itemIndex = this.facts.pickItem(r, index * 64 + l, 10, posted.day, familyIndex);
      if (used.has(itemIndex)) continue;
      used.add(itemIndex);
      const item = this.facts.item(itemIndex);
      const quantity = 10 + Math.floor(Math.pow(r.unit(index, 20, l), 1.5) * 150);
      const unitCost = round2(item.cost * (0.97 + 0.06 * r.unit(index, 21, l)));
      lines.push(this.line(lines.length, item, quantity, unitCost, 0, 0, 'EX', unitCost, null));
    }
    return this.total({ partner, region, posted, lines, baseIndex: -1 });
  }

  /** A goods receipt copies its purchase order in full. */
  goodsReceipt(index: number): Draft {
    const orderIndex = this.plan.goodsReceipts.sourceIndexOf(index);
    const order = this.purchaseOrder(orderIndex);
    const posted = this.plan.postingStamp(this.plan.goodsReceipts, index, 'goodsReceipt');
    return { ...order, posted, lines: order.lines.map((l) => ({ ...l, baseLine: l.lineNum })), baseIndex: orderIndex };
  }

  /** An A/P invoice copies its goods receipt in full. */
  purchaseInvoice(index: number): Draft {
    const receiptIndex = this.plan.purchaseInvoices.sourceIndexOf(index);
    const receipt = this.goodsReceipt(receiptIndex);
    const posted = this.plan.postingStamp(this.plan.purchaseInvoices, index, 'purchaseInvoice');
    return { ...receipt, posted, lines: receipt.lines.map((l) => ({ ...l, baseLine: l.lineNum })), baseIndex: receiptIndex };
  }

  private recentInvoice(r: Rng, key: number, day: number): number {
    const inv = this.plan.invoices;
    let offset = day - inv.firstDay - (1 + r.int(key, 5, 0, 20));
    for (; offset >= 0; offset--) {
      const n = inv.counts[offset]!;
      if (n > 0) return inv.starts[offset]! + r.int(key, 6, 0, n - 1);
    }
    return -1;
  }

  private line(
    lineNum: number,
    item: ItemFacts,
    quantity: number,
    unitPrice: number,
    discountPercent: number,
    taxRate: number,
    taxCode: string,
    unitCost: number,
    promoCode: string | null,
  ): DraftLine {
    const price = round2(unitPrice * (1 - discountPercent / 100));
    const lineTotal = round2(quantity * price);
    return {
      lineNum,
      item,
      quantity,
      unitPrice,
      discountPercent,
      price,
      lineTotal,
      taxRate,
      taxCode,
      taxTotal: round2(lineTotal * taxRate),
      unitCost,
      promoCode,
    };
  }

  private total(d: Omit<Draft, 'vatSum' | 'docTotal' | 'discountTotal'>): Draft {
    let net = 0;
    let vat = 0;
    let discount = 0;
    for (const l of d.lines) {
      net += l.lineTotal;
      vat += l.taxTotal;
      discount += l.quantity * (l.unitPrice - l.price);
    }
    return { ...d, vatSum: round2(vat), docTotal: round2(net + vat), discountTotal: round2(discount) };
  }
}

export function promoCode(index: number): string {
  return `PR${String(index + 1).padStart(4, '0')}`;
}
