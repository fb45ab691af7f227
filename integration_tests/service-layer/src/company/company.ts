/**
 * The simulated company database: one table per served entity set, all generated from (seed, scale, clock start).
 */
import type { SchemaModel } from '../model/schema.js';
import { STANDARD_ENTITY_SETS } from '../model/entity-sets.js';
import type { RecordSource } from '../store/source.js';
import { EntityTable } from '../store/table.js';
import { DocumentSource } from './documents.js';
import { Drafts } from './drafts.js';
import { CompanyFacts } from './facts.js';
import { JournalSource } from './journal.js';
import {
  accountSource,
  dimensionSource,
  distributionRuleSource,
  itemGroupSource,
  ItemSource,
  PartnerSource,
  profitCenterSource,
  promotionSource,
  warehouseSource,
} from './master.js';
import { PaymentSource } from './payments.js';
import { CompanyPlan, type PlanOptions } from './plan.js';

/** Entity sets in the order $metadata lists them. */
export const ENTITY_SET_ORDER: readonly string[] = [...STANDARD_ENTITY_SETS, 'U_FD_PROMOS'];

export class Company {
  readonly plan: CompanyPlan;
  readonly facts: CompanyFacts;
  readonly tables = new Map<string, EntityTable>();
  readonly payments: Record<'IncomingPayments' | 'VendorPayments', PaymentSource>;

  constructor(
    readonly schema: SchemaModel,
    options: PlanOptions,
  ) {
    this.plan = new CompanyPlan(options);
    this.facts = new CompanyFacts(this.plan);
    const drafts = new Drafts(this.plan, this.facts);
    this.payments = {
      IncomingPayments: new PaymentSource('IncomingPayments', this.plan, drafts),
      VendorPayments: new PaymentSource('VendorPayments', this.plan, drafts),
    };
    const sources: RecordSource[] = [
      new DocumentSource('Invoices', this.plan, drafts),
      new DocumentSource('CreditNotes', this.plan, drafts),
      new DocumentSource('PurchaseInvoices', this.plan, drafts),
      new DocumentSource('PurchaseOrders', this.plan, drafts),
      new DocumentSource('PurchaseDeliveryNotes', this.plan, drafts),
      new JournalSource(this.plan, drafts),
      this.payments.IncomingPayments,
      this.payments.VendorPayments,
      new ItemSource(this.plan, this.facts),
      new PartnerSource(this.plan, this.facts),
      accountSource(),
      profitCenterSource(),
      dimensionSource(),
      distributionRuleSource(),
      warehouseSource(),
      itemGroupSource(),
      promotionSource(this.plan, this.facts),
    ];
    for (const source of sources) {
      if (!schema.entitySet(source.entitySet)) throw new Error(`No model for entity set ${source.entitySet}`);
      this.tables.set(source.entitySet, new EntityTable(source));
    }
  }

  table(entitySet: string): EntityTable {
    const t = this.tables.get(entitySet);
    if (!t) throw new Error(`Unknown entity set '${entitySet}'. Served: ${[...this.tables.keys()].join(', ')}`);
    return t;
  }
}
