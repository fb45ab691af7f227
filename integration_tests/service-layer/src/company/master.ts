/**
 * Master data: items with stock per warehouse, business partners, chart of accounts, cost centers, dimensions,
 * distribution rules, warehouses, item groups, and the user-defined promotions table.
 */
import { dateOfDay, dayOfDate } from '../model/dates.js';
import { ListSource, type Core, type Key, type RecordSource } from '../store/source.js';
import { ACCOUNT, ACCOUNTS, CUSTOMER_GROUPS, FAMILIES, LOCAL_CURRENCY, PRODUCT_LINES, REGIONS, SHARED_RULES, STREETS } from './catalog.js';
import { round6 } from './books/money.js';
import { StockBook } from './books/stock.js';
import { promoCode } from './documents.js';
import type { CompanyFacts, PartnerFacts } from './facts.js';
import type { CompanyPlan, Stamp } from './plan.js';
import { Rng } from './random.js';

/** Creation and last change of a master record, and how many times it changed. */
interface MasterStamps {
  created: Stamp;
  updated: Stamp;
  changes: number;
}

function masterStamps(plan: CompanyPlan, rng: Rng, index: number, createdDay: number, updateChance: number): MasterStamps {
  const created = plan.stamp(createdDay, rng.int(index, 40, 8 * 3600, 18 * 3600));
  if (rng.unit(index, 41) >= updateChance || createdDay >= plan.lastDay) return { created, updated: created, changes: 0 };
  const from = Math.max(createdDay + 1, plan.firstDay);
  const day = from + Math.floor(rng.unit(index, 42) * (plan.lastDay - from + 1));
  return { created, updated: plan.stamp(day, rng.int(index, 43, 7 * 3600, 19 * 3600)), changes: rng.int(index, 44, 1, 4) };
}

/**
 * Items with their stock per warehouse as the books leave it: InStock, Committed (open sales orders), Ordered
 * (open purchase orders) and the moving-average cost per warehouse (StandardAveragePrice); the item totals are
 * their sums. Stock movements do not change an item's UpdateDate/UpdateTime or DataVersion (they update the
 * warehouse rows, OITW, not the item master): a client cannot find stock changes by the item's change stamp.
 */
export class ItemSource implements RecordSource {
  readonly entitySet = 'Items';
  readonly keyProperty = 'ItemCode';
  private readonly rng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly facts: CompanyFacts,
    private readonly stock: StockBook,
  ) {
    this.rng = new Rng(plan.seed, 'itemMaster');
  }

  get count(): number {
    return this.plan.itemCount;
  }

  keyAt(index: number): Key {
    return this.facts.itemCode(index);
  }

  indexOf(key: Key): number {
    const i = typeof key === 'string' ? this.facts.itemIndexOf(key) : -1;
    return i >= 0 && i < this.count ? i : -1;
  }

  nextKey(last: Key | undefined): Key {
    const i = typeof last === 'string' ? this.facts.itemIndexOf(last) : this.count - 1;
    return this.facts.itemCode(Math.max(i, this.count - 1) + 1);
  }

  record(index: number): Core {
    const createdDay = this.plan.creationDay(this.count, 0.9, index, this.plan.firstDay - this.rng.int(index, 1, 30, 1500));
    return this.build(index, this.facts.itemCode(index), masterStamps(this.plan, this.rng, index, createdDay, 0.55), true);
  }

  /** An item changed through the mutation API still shows the stock the books hold now. */
  refresh(record: Core): void {
    const index = this.facts.itemIndexOf(String(record['ItemCode']));
    if (index >= 0 && index < this.count) this.fillStock(record, index);
  }

  /** The stock fields of an item and its warehouse rows, from the books (`index` null: an item never stocked). */
  private fillStock(record: Core, index: number | null): void {
    const rows = record['ItemWarehouseInfoCollection'] as Core[];
    let onHand = 0;
    let value = 0;
    for (const [w, row] of rows.entries()) {
      const slot = index === null ? -1 : StockBook.slot(index, w);
      const quantity = index === null ? 0 : this.stock.quantity[slot]!;
      row['InStock'] = quantity;
      row['Committed'] = index === null ? 0 : this.stock.committed[slot]!;
      row['Ordered'] = index === null ? 0 : this.stock.ordered[slot]!;
      row['StandardAveragePrice'] = index === null ? 0 : this.stock.unitCost(slot);
      onHand += quantity;
      value += index === null ? 0 : this.stock.value[slot]!;
    }
    record['QuantityOnStock'] = onHand;
    record['QuantityOrderedByCustomers'] = rows.reduce((n, r) => n + (r['Committed'] as number), 0);
    record['QuantityOrderedFromVendors'] = rows.reduce((n, r) => n + (r['Ordered'] as number), 0);
    const average = onHand > 0 ? round6(value / 100 / onHand) : index === null ? 0 : this.stock.unitCost(StockBook.slot(index, 0));
    record['MovingAveragePrice'] = average;
    record['AvgStdPrice'] = average;
  }

  /** A new item (a copy of an existing one's facts) has no stock yet. */
  create(key: Key, stamp: Stamp, sequence: number): Core {
    return this.build(sequence % this.count, String(key), { created: stamp, updated: stamp, changes: 0 }, false);
  }

  private build(index: number, code: string, s: MasterStamps, stocked: boolean): Core {
    const r = this.rng;
    const item = this.facts.item(index);
    // Frozen items were blocked after the history began; their stock stays where it was.
    const frozen = r.unit(index, 2) < 0.02;
    const warehouses = REGIONS.map((region) => ({
      MinimalStock: 0,
      MaximalStock: 0,
      InventoryAccount: region.inventoryAccount,
      CostAccount: item.line.cogsAccount,
      RevenuesAccount: item.line.revenueAccount,
      WarehouseCode: region.warehouse,
      ItemCode: code,
    }));
    const vendor = this.facts.vendor(item.vendorIndex);
    const record: Core = {
      ItemCode: code,
      ItemName: item.name,
      ItemsGroupCode: item.family.number,
      BarCode: String(7_350_000_000_000 + index * 7 + (this.plan.seed % 7)),
      VatLiable: 'tYES',
      PurchaseItem: 'tYES',
      SalesItem: 'tYES',
      InventoryItem: 'tYES',
      Mainsupplier: vendor.code,
      SupplierCatalogNo: `${vendor.code}-${index + 1}`,
      Valid: frozen ? 'tNO' : 'tYES',
      Frozen: frozen ? 'tYES' : 'tNO',
      SalesUnit: item.family.unit,
      PurchaseUnit: item.family.unit,
      InventoryUOM: item.family.unit,
      ManageBatchNumbers: item.family.batchManaged ? 'tYES' : 'tNO',
      DefaultWarehouse: REGIONS[0]!.warehouse,
      GLMethod: 'glm_ItemClass',
      ManageStockByWarehouse: 'tYES',
      SRIAndBatchManageMethod: 'bomm_OnEveryTransaction',
      CostAccountingMethod: 'bis_MovingAverage',
      UpdateDate: s.updated.date,
      UpdateTime: this.plan.updateTimeOf(s.updated),
      CreateDate: s.created.date,
      CreateTime: this.plan.updateTimeOf(s.created),
      DataVersion: 1 + s.changes,
      U_StorageTemp: item.family.storage,
      U_ShelfLifeDays: item.shelfLifeDays,
      ItemPrices: [
        { PriceList: 1, Price: item.price, Currency: 'USD', BasePriceList: 1, Factor: 1 },
        { PriceList: 2, Price: item.cost, Currency: 'USD', BasePriceList: 2, Factor: 1 },
      ],
      ItemWarehouseInfoCollection: warehouses,
    };
    this.fillStock(record, stocked ? index : null);
    return record;
  }
}

export class PartnerSource implements RecordSource {
  readonly entitySet = 'BusinessPartners';
  readonly keyProperty = 'CardCode';
  private readonly rng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly facts: CompanyFacts,
  ) {
    this.rng = new Rng(plan.seed, 'partnerMaster');
  }

  get count(): number {
    return this.plan.customerCount + this.plan.vendorCount;
  }

  keyAt(index: number): Key {
    return index < this.plan.customerCount
      ? this.facts.customerCode(index)
      : this.facts.vendorCode(index - this.plan.customerCount);
  }

  indexOf(key: Key): number {
    return typeof key === 'string' ? this.facts.partnerIndexOf(key) : -1;
  }

  /** New partners are customers, numbered after the generated ones. */
  nextKey(last: Key | undefined): Key {
    const previous = typeof last === 'string' && last.startsWith('C') ? Number(last.slice(1)) : this.plan.customerCount;
    return this.facts.customerCode(previous);
  }

  record(index: number): Core {
    const customer = index < this.plan.customerCount;
    const facts = customer ? this.facts.customer(index) : this.facts.vendor(index - this.plan.customerCount);
    const createdDay = customer
      ? this.plan.creationDay(this.plan.customerCount, 0.7, index, this.plan.firstDay - this.rng.int(index, 1, 30, 2000))
      : this.plan.firstDay - this.rng.int(index, 1, 60, 2500);
    return this.build(index, facts.code, facts, customer, masterStamps(this.plan, this.rng, index, createdDay, 0.35));
  }

  create(key: Key, stamp: Stamp, sequence: number): Core {
    const facts = this.facts.customer(sequence % this.plan.customerCount);
    return this.build(sequence, String(key), facts, true, { created: stamp, updated: stamp, changes: 0 });
  }

  private build(index: number, code: string, f: PartnerFacts, customer: boolean, s: MasterStamps): Core {
    const r = this.rng;
    const street = `${r.int(index, 2, 10, 9800)} ${r.pick(STREETS, index, 3)}`;
    const zip = f.region.zip.slice(0, 3) + String(r.int(index, 4, 10, 99));
    const phone = `(${r.int(index, 5, 201, 989)}) 555-${String(r.int(index, 6, 0, 9999)).padStart(4, '0')}`;
    const frozen = r.unit(index, 7) < 0.02;
    const group = CUSTOMER_GROUPS.find((g) => g.code === f.groupCode);
    const address = (type: 'bo_BillTo' | 'bo_ShipTo', rowNum: number) => ({
      AddressName: type === 'bo_BillTo' ? 'Bill To' : 'Ship To',
      Street: street,
      ZipCode: zip,
      City: f.city,
      Country: 'US',
      State: f.region.state,
      AddressType: type,
      BPCode: code,
      RowNum: rowNum,
      CreateDate: s.created.date,
      CreateTime: this.plan.updateTimeOf(s.created),
    });
    return {
      CardCode: code,
      CardName: f.name,
      CardType: customer ? 'cCustomer' : 'cSupplier',
      GroupCode: f.groupCode,
      Address: street,
      ZipCode: zip,
      Phone1: phone,
      ContactPerson: null,
      PayTermsGrpCode: f.payTerms.code,
      CreditLimit: customer ? [5000, 10000, 25000, 50000][r.int(index, 8, 0, 3)]! : 0,
      MaxCommitment: customer ? 50000 : 0,
      VatLiable: 'vLiable',
      FederalTaxID: `${r.int(index, 9, 10, 99)}-${String(r.int(index, 10, 0, 9_999_999)).padStart(7, '0')}`,
      PriceListNum: customer ? 1 : 2,
      SalesPersonCode: customer ? f.salesPerson : -1,
      Currency: f.currency === LOCAL_CURRENCY ? '##' : f.currency,
      City: f.city,
      Country: 'US',
      EmailAddress: `${customer ? 'orders' : 'sales'}@${code.toLowerCase()}.example.com`,
      DebitorAccount: customer ? ACCOUNT.receivable : ACCOUNT.payable,
      Valid: frozen ? 'tNO' : 'tYES',
      Frozen: frozen ? 'tYES' : 'tNO',
      BillToState: f.region.state,
      ShipToState: f.region.state,
      ShipToDefault: 'Ship To',
      BilltoDefault: 'Bill To',
      CompanyPrivate: 'cCompany',
      UpdateDate: s.updated.date,
      UpdateTime: this.plan.updateTimeOf(s.updated),
      CreateDate: s.created.date,
      CreateTime: this.plan.updateTimeOf(s.created),
      DataVersion: 1 + s.changes,
      U_Region: f.region.code,
      U_Segment: customer ? (group?.name ?? null) : (f.family?.name ?? null),
      BPAddresses: [address('bo_BillTo', 0), address('bo_ShipTo', 1)],
    };
  }
}

function requireStringKey(entitySet: string, key: Key): string {
  if (typeof key !== 'string') throw new Error(`${entitySet} keys are strings`);
  return key;
}

export function warehouseSource(): ListSource {
  const rows = REGIONS.map((r, i) => ({
    WarehouseCode: r.warehouse,
    WarehouseName: r.warehouseName,
    Street: `${100 + i * 250} Distribution Way`,
    City: r.city,
    State: r.state,
    ZipCode: r.zip,
    Country: 'US',
    StockAccount: r.inventoryAccount,
    InternalKey: i + 1,
    Nettable: 'tYES',
    DropShip: 'tNO',
    Inactive: 'tNO',
    EnableBinLocations: 'tNO',
  }));
  return new ListSource('Warehouses', 'WarehouseCode', rows, (key) => ({
    WarehouseCode: requireStringKey('Warehouses', key),
    WarehouseName: `Warehouse ${String(key)}`,
    Country: 'US',
    Inactive: 'tNO',
  }));
}

export function itemGroupSource(): ListSource {
  const rows: Core[] = [
    { Number: 100, GroupName: 'Items', InventorySystem: 'bis_MovingAverage', PlanningSystem: 'bop_None', ProcurementMethod: 'bom_Buy' },
    ...FAMILIES.map((f) => {
      const line = PRODUCT_LINES.find((l) => l.code === f.line)!;
      return {
        Number: f.number,
        GroupName: f.name,
        InventorySystem: 'bis_MovingAverage',
        PlanningSystem: 'bop_None',
        ProcurementMethod: 'bom_Buy',
        RevenuesAccount: line.revenueAccount,
        CostAccount: line.cogsAccount,
        InventoryAccount: REGIONS[0]!.inventoryAccount,
        ExpensesAccount: line.cogsAccount,
        LeadTime: 2,
        ItemClass: 'itcMaterial',
      };
    }),
  ];
  return new ListSource('ItemGroups', 'Number', rows, (key) => ({ Number: key, GroupName: `Group ${String(key)}` }));
}

/** The chart of accounts; Balance is each account's current balance in the books (titles sum their accounts). */
export function accountSource(balanceOf: (code: string) => number): ListSource {
  const rows = ACCOUNTS.map((a) => ({
    Code: a.code,
    Name: a.name,
    Balance: 0,
    CashAccount: a.cash ? 'tYES' : 'tNO',
    ActiveAccount: a.postable ? 'tYES' : 'tNO',
    AccountLevel: a.level,
    FatherAccountKey: a.father ?? null,
    AccountType: a.type,
    AcctCurrency: '##',
    FormatCode: a.postable ? a.code : null,
    ReconciledAccount: a.code === ACCOUNT.receivable || a.code === ACCOUNT.payable ? 'tYES' : 'tNO',
    LockManualTransaction: a.code === ACCOUNT.receivable || a.code === ACCOUNT.payable ? 'tYES' : 'tNO',
    DistributionRuleRelevant: a.distributionRelevant ? 'tYES' : 'tNO',
    DistributionRule2Relevant: a.distributionRelevant && (a.type === 'at_Revenues' || a.code.startsWith('5')) ? 'tYES' : 'tNO',
    ValidFor: 'tNO',
    FrozenFor: 'tNO',
  }));
  return new ListSource(
    'ChartOfAccounts',
    'Code',
    rows,
    (key) => ({
      Code: requireStringKey('ChartOfAccounts', key),
      Name: `Account ${String(key)}`,
      ActiveAccount: 'tYES',
      AccountLevel: 3,
      AccountType: 'at_Expenses',
      AcctCurrency: '##',
    }),
    (record) => {
      record['Balance'] = balanceOf(String(record['Code']));
    },
  );
}

interface Center {
  code: string;
  name: string;
  dimension: number;
  active: boolean;
}

function centers(): Center[] {
  return [
    ...REGIONS.map((r) => ({ code: r.code, name: r.name, dimension: 1, active: true })),
    { code: 'WEST', name: 'West Region (closed)', dimension: 1, active: false },
    ...PRODUCT_LINES.map((l) => ({ code: l.code, name: l.name, dimension: 2, active: true })),
  ];
}

const CENTERS_EFFECTIVE_FROM = '2020-01-01';
const CENTERS_CLOSED_ON = '2024-12-31';

export function profitCenterSource(): ListSource {
  const rows = centers().map((c) => ({
    CenterCode: c.code,
    CenterName: c.name,
    GroupCode: null,
    InWhichDimension: c.dimension,
    EffectiveFrom: CENTERS_EFFECTIVE_FROM,
    EffectiveTo: c.active ? null : CENTERS_CLOSED_ON,
    Active: c.active ? 'tYES' : 'tNO',
  }));
  return new ListSource('ProfitCenters', 'CenterCode', rows, (key) => ({
    CenterCode: requireStringKey('ProfitCenters', key),
    CenterName: `Center ${String(key)}`,
    InWhichDimension: 1,
    Active: 'tYES',
  }));
}

export function dimensionSource(): ListSource {
  const descriptions = ['Regions', 'Product Lines', 'Dimension 3', 'Dimension 4', 'Dimension 5'];
  const rows = descriptions.map((d, i) => ({
    DimensionCode: i + 1,
    DimensionName: `Dimension ${i + 1}`,
    IsActive: i < 2 ? 'tYES' : 'tNO',
    DimensionDescription: d,
  }));
  return new ListSource('Dimensions', 'DimensionCode', rows, (key) => ({ DimensionCode: key, DimensionName: `Dimension ${String(key)}` }));
}

/**
 * Distribution rules: a direct rule per cost center (same code, 100%) and the shared rules of the catalog, whose
 * lines give each center's amount out of TotalFactor (the share is TotalInCenter / TotalFactor) for a validity
 * period (EffectiveFrom/EffectiveTo). A shared rule that changed its split has one set of lines per period; a
 * line is identified by its rule, center and EffectiveFrom.
 */
export function distributionRuleSource(plan: CompanyPlan): ListSource {
  const line = (center: string, share: number, from: string, to: string | null) => ({ CenterCode: center, TotalInCenter: share, EffectiveFrom: from, EffectiveTo: to });
  const direct = centers().map((c) => ({
    FactorCode: c.code,
    FactorDescription: c.name,
    TotalFactor: 100,
    Direct: 'tYES',
    InWhichDimension: c.dimension,
    Active: c.active ? 'tYES' : 'tNO',
    IsFixedAmount: 'tNO',
    DistributionRuleLines: [line(c.code, 100, CENTERS_EFFECTIVE_FROM, c.active ? null : CENTERS_CLOSED_ON)],
  }));
  const shared = SHARED_RULES.map((rule) => {
    const starts = rule.versions.map((v) => (v.fromYearsBack === null ? CENTERS_EFFECTIVE_FROM : `${plan.clockYear - v.fromYearsBack}-01-01`));
    return {
      FactorCode: rule.code,
      FactorDescription: rule.name,
      TotalFactor: 100,
      Direct: 'tNO',
      InWhichDimension: rule.dimension,
      Active: 'tYES',
      IsFixedAmount: 'tNO',
      DistributionRuleLines: rule.versions.flatMap((v, i) => {
        const next = starts[i + 1];
        const to = next === undefined ? null : dateOfDay((dayOfDate(next) ?? 0) - 1);
        return v.shares.map(([center, share]) => line(center, share, starts[i]!, to));
      }),
    };
  });
  return new ListSource('DistributionRules', 'FactorCode', [...direct, ...shared], (key) => ({
    FactorCode: requireStringKey('DistributionRules', key),
    FactorDescription: `Rule ${String(key)}`,
    TotalFactor: 100,
    Direct: 'tYES',
    InWhichDimension: 1,
    Active: 'tYES',
  }));
}

/** The financial years of the history (calendar years), keyed AbsEntry; Code is the year. */
export function financialYearSource(plan: CompanyPlan): ListSource {
  const first = Number(dateOfDay(plan.firstDay).slice(0, 4));
  const rows = [first, plan.clockYear].map((year, i) => ({
    AbsEntry: i + 1,
    Code: String(year),
    Description: `Fiscal Year ${year}`,
    StartDate: `${year}-01-01`,
    EndDate: `${year}-12-31`,
    AssessYear: String(year),
  }));
  return new ListSource('FinancialYears', 'AbsEntry', rows, (key) => ({ AbsEntry: key, Code: String(key) }));
}

/** The user-defined table of promotions (a table without a user object: entity set U_FD_PROMOS, key Code). */
export function promotionSource(plan: CompanyPlan, facts: CompanyFacts): ListSource {
  const rng = new Rng(plan.seed, 'promotions');
  const rows: Core[] = [];
  for (let i = 0; i < plan.promoCount; i++) {
    const item = facts.item(rng.int(i, 1, 0, plan.itemCount - 1));
    const from = plan.firstDay + rng.int(i, 2, 0, plan.days - 1);
    const to = from + rng.int(i, 3, 7, 60);
    rows.push({
      Code: promoCode(i),
      Name: `${['Spring', 'Summer', 'Autumn', 'Holiday', 'Weekly'][rng.int(i, 4, 0, 4)]} deal ${item.name}`.slice(0, 100),
      U_ItemCode: item.code,
      U_Region: rng.unit(i, 5) < 0.3 ? null : REGIONS[rng.int(i, 6, 0, REGIONS.length - 1)]!.code,
      U_DiscountPct: [5, 10, 15][rng.int(i, 7, 0, 2)]!,
      U_ValidFrom: dateOfDay(from),
      U_ValidTo: dateOfDay(to),
      U_Active: to >= plan.lastDay ? 'Y' : 'N',
    });
  }
  return new ListSource('U_FD_PROMOS', 'Code', rows, (key) => ({
    Code: requireStringKey('U_FD_PROMOS', key),
    Name: `Promotion ${String(key)}`,
    U_Active: 'Y',
  }));
}
