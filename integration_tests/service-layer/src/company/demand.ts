/**
 * What customers ask for: the sales orders, each a pure function of its index (customer, lines, prices,
 * promotions). Everything else in the books (deliveries, invoices, purchasing, stock) follows from these orders
 * and from what the warehouses hold when they are due.
 */
import { LOCAL_CURRENCY } from './catalog.js';
import type { CompanyFacts, PartnerFacts } from './facts.js';
import type { CompanyPlan } from './plan.js';
import { Rng } from './random.js';

export interface OrderLineDemand {
  item: number;
  quantity: number;
  /** List price in local currency, before the line discount. */
  listPrice: number;
  discountPercent: number;
  /** Index of the promotion (U_FD_PROMOS) behind the discount, or -1. */
  promo: number;
}

export interface OrderDemand {
  day: number;
  customer: PartnerFacts;
  lines: OrderLineDemand[];
  /** Calendar days between order and requested delivery. */
  leadDays: number;
}

const LINE_COUNT_WEIGHTS = [8, 12, 16, 18, 16, 12, 10, 8];

export class Demand {
  private readonly rng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly facts: CompanyFacts,
  ) {
    this.rng = new Rng(plan.seed, 'order');
  }

  order(index: number): OrderDemand {
    const r = this.rng;
    const day = this.plan.orders.dayOf(index);
    const customer = this.facts.customer(this.facts.pickCustomer(r, index, 0, day));
    const lineCount = 1 + r.weighted(LINE_COUNT_WEIGHTS, index, 1);
    const used = new Set<number>();
    const lines: OrderLineDemand[] = [];
    for (let l = 0; l < lineCount; l++) {
      let item = -1;
      for (let attempt = 0; attempt < 6; attempt++) {
        const candidate = this.facts.pickItem(r, index * 64 + l * 8 + attempt, 10, day);
        if (!used.has(candidate)) {
          item = candidate;
          break;
        }
      }
      if (item < 0) continue;
      used.add(item);
      const facts = this.facts.item(item);
      const promo = r.unit(index, 21, l) < 0.08;
      lines.push({
        item,
        quantity: 1 + Math.floor(Math.pow(r.unit(index, 20, l), 2) * 30),
        listPrice: facts.price,
        discountPercent: promo ? [5, 10, 15][r.int(index, 22, 0, 2, l)]! : 0,
        promo: promo ? r.int(index, 23, 0, this.plan.promoCount - 1, l) : -1,
      });
    }
    const u = r.unit(index, 30);
    // Exports to Canada ship with their invoice; most orders go out the next day, some the same day.
    const leadDays = customer.currency !== LOCAL_CURRENCY ? 1 : u < 0.1 ? 0 : u < 0.8 ? 1 : 2;
    return { day, customer, lines, leadDays };
  }
}
