/**
 * The facts about items, customers and vendors that documents need (price, cost, family, region...), each a
 * pure function of the record's index. Master data records and document lines read the same facts, so they agree.
 */
import {
  CHANNELS,
  CUSTOMER_GROUPS,
  CUSTOMER_NAME_PARTS,
  FAMILIES,
  type Family,
  type ForeignCurrency,
  IMPORTED_FAMILY,
  LOCAL_CURRENCY,
  PAYMENT_TERMS,
  PRODUCT_LINES,
  type ProductLine,
  REGIONS,
  type Region,
  SALES_PERSONS,
  VENDOR_NAME_PARTS,
} from './catalog.js';
import type { CompanyPlan } from './plan.js';
import { round2 } from './books/money.js';
import { Rng } from './random.js';

export interface ItemFacts {
  index: number;
  code: string;
  name: string;
  family: Family;
  line: ProductLine;
  /** Standard unit cost. */
  cost: number;
  /** List price per unit. */
  price: number;
  vendorIndex: number;
  shelfLifeDays: number;
}

export interface PartnerFacts {
  index: number;
  code: string;
  name: string;
  region: Region;
  groupCode: number;
  payTerms: (typeof PAYMENT_TERMS)[number];
  salesPerson: number;
  channel: string;
  city: string;
  /** For vendors: the product family supplied. */
  family?: Family;
  /** The currency the partner trades in: the local one, or a foreign one (Canadian customers, European importers). */
  currency: typeof LOCAL_CURRENCY | ForeignCurrency;
  /** Header discount (DiscountPercent) on every sales document, for customer groups that get one. */
  headerDiscount: number;
}

const VARIANTS = ['', 'Premium ', 'Organic ', 'Value ', 'Select ', 'Chef ', 'Classic '];

export class CompanyFacts {
  private readonly itemRng: Rng;
  private readonly partnerRng: Rng;
  private readonly itemCodeWidth: number;
  private readonly partnerCodeWidth: number;

  constructor(private readonly plan: CompanyPlan) {
    this.itemRng = new Rng(plan.seed, 'items');
    this.partnerRng = new Rng(plan.seed, 'partners');
    this.itemCodeWidth = Math.max(5, String(plan.itemCount).length + 1);
    this.partnerCodeWidth = Math.max(5, String(Math.max(plan.customerCount, plan.vendorCount)).length + 1);
  }

  itemCode(index: number): string {
    return `FD${String(index + 1).padStart(this.itemCodeWidth, '0')}`;
  }

  /** Index of an item code of the generated range (or beyond it, for inserted items), else -1. */
  itemIndexOf(code: string): number {
    const m = /^FD(\d+)$/.exec(code);
    if (!m || m[1]!.length !== this.itemCodeWidth) return -1;
    return Number(m[1]) - 1;
  }

  item(index: number): ItemFacts {
    const r = this.itemRng;
    const family = FAMILIES[index % FAMILIES.length]!;
    const rank = Math.floor(index / FAMILIES.length);
    const product = family.products[rank % family.products.length]!;
    const size = family.sizes[(Math.floor(rank / family.products.length) + r.int(index, 1, 0, 9)) % family.sizes.length]!;
    const variant = VARIANTS[Math.floor(rank / (family.products.length * family.sizes.length)) % VARIANTS.length]!;
    const cost = round2(family.cost[0] + r.unit(index, 2) * (family.cost[1] - family.cost[0]));
    const price = round2(cost * (1.22 + r.unit(index, 3) * 0.33));
    const vendorsOfFamily = Math.max(1, Math.floor((this.plan.vendorCount - 1 - (index % FAMILIES.length)) / FAMILIES.length) + 1);
    const vendorIndex = (index % FAMILIES.length) + FAMILIES.length * r.int(index, 4, 0, vendorsOfFamily - 1);
    return {
      index,
      code: this.itemCode(index),
      name: `${variant}${product} ${size}`,
      family,
      line: PRODUCT_LINES.find((l) => l.code === family.line)!,
      cost,
      price,
      vendorIndex: Math.min(vendorIndex, this.plan.vendorCount - 1),
      shelfLifeDays: r.int(index, 5, family.shelfLifeDays[0], family.shelfLifeDays[1]),
    };
  }

  /**
   * An item sold or bought on `day`: the family by sales weight (or the given one), then an item of that family,
   * older items more often.
   */
  pickItem(rng: Rng, key: number, slot: number, day: number, familyIndex?: number): number {
    const available = this.plan.itemsAvailable(day);
    const f = familyIndex ?? rng.weighted(FAMILIES.map((x) => x.weight), key, slot);
    const inFamily = available > f ? Math.floor((available - 1 - f) / FAMILIES.length) + 1 : 0;
    if (inFamily === 0) return Math.min(f, available - 1);
    const k = Math.floor(inFamily * Math.pow(rng.unit(key, slot, 1), 1.6));
    return f + FAMILIES.length * k;
  }

  customerCode(index: number): string {
    return `C${String(index + 1).padStart(this.partnerCodeWidth, '0')}`;
  }

  vendorCode(index: number): string {
    return `V${String(index + 1).padStart(this.partnerCodeWidth, '0')}`;
  }

  /** Business partner table index (customers first, then vendors: their codes sort that way) of a CardCode. */
  partnerIndexOf(code: string): number {
    const m = /^([CV])(\d+)$/.exec(code);
    if (!m || m[2]!.length !== this.partnerCodeWidth) return -1;
    const n = Number(m[2]) - 1;
    if (m[1] === 'C') return n < this.plan.customerCount ? n : -1;
    return n < this.plan.vendorCount ? this.plan.customerCount + n : -1;
  }

  customer(index: number): PartnerFacts {
    const r = this.partnerRng;
    const region = REGIONS[r.weighted(REGIONS.map((x) => x.weight), index, 1)]!;
    const group = CUSTOMER_GROUPS[r.weighted(CUSTOMER_GROUPS.map((g) => g.weight), index, 2)]!;
    const first = r.pick(CUSTOMER_NAME_PARTS.first, index, 3);
    const second = r.pick(CUSTOMER_NAME_PARTS.second, index, 4);
    const city = r.pick(region.cities, index, 5);
    return {
      index,
      code: this.customerCode(index),
      name: `${first} ${second} ${city}`,
      region,
      groupCode: group.code,
      payTerms: PAYMENT_TERMS[r.weighted([2, 6, 2], index, 6)]!,
      salesPerson: r.pick(SALES_PERSONS, index, 7),
      channel: r.pick(CHANNELS, index, 8),
      city,
      currency: r.unit(index, 15) < 0.03 ? 'CAD' : LOCAL_CURRENCY,
      headerDiscount: group.headerDiscount,
    };
  }

  /** A customer buying on `day`: long-standing customers buy more often. */
  pickCustomer(rng: Rng, key: number, slot: number, day: number): number {
    const available = this.plan.customersAvailable(day);
    return Math.floor(available * Math.pow(rng.unit(key, slot), 1.8));
  }

  vendor(index: number): PartnerFacts {
    const r = this.partnerRng;
    const family = FAMILIES[index % FAMILIES.length]!;
    const region = REGIONS[r.int(index, 11, 0, REGIONS.length - 1)]!;
    const first = r.pick(VENDOR_NAME_PARTS.first, index, 12);
    const city = r.pick(region.cities, index, 13);
    return {
      index,
      code: this.vendorCode(index),
      name: `${first} ${VENDOR_NAME_PARTS.second[index % VENDOR_NAME_PARTS.second.length]} ${city}`,
      region,
      groupCode: 110,
      payTerms: PAYMENT_TERMS[r.weighted([1, 6, 3], index, 14)]!,
      salesPerson: -1,
      channel: '',
      city,
      family,
      currency: family.number === IMPORTED_FAMILY ? 'EUR' : LOCAL_CURRENCY,
      headerDiscount: 0,
    };
  }

  /** A vendor of the given family, favouring the first ones. */
  pickVendorOfFamily(rng: Rng, key: number, slot: number, familyIndex: number): number {
    const count = this.plan.vendorCount > familyIndex ? Math.floor((this.plan.vendorCount - 1 - familyIndex) / FAMILIES.length) + 1 : 0;
    if (count === 0) return familyIndex % this.plan.vendorCount;
    return familyIndex + FAMILIES.length * Math.floor(count * Math.pow(rng.unit(key, slot), 1.5));
  }
}
