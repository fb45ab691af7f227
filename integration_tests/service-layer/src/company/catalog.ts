/**
 * The fixed structure of the company: a food distributor with three regional distribution centers, product
 * families (item groups) grouped in product lines, a chart of accounts, cost centers in dimension 1 (regions)
 * and dimension 2 (product lines). Everything here is small and the same for every seed.
 */

export interface Region {
  code: string;
  name: string;
  warehouse: string;
  warehouseName: string;
  city: string;
  state: string;
  zip: string;
  inventoryAccount: string;
  /** Share of customers. */
  weight: number;
  cities: readonly string[];
}

export const REGIONS: readonly Region[] = [
  {
    code: 'NE',
    name: 'Northeast Region',
    warehouse: 'NE01',
    warehouseName: 'Boston Distribution Center',
    city: 'Boston',
    state: 'MA',
    zip: '02118',
    inventoryAccount: '131000',
    weight: 0.4,
    cities: ['Boston', 'Providence', 'Hartford', 'Worcester', 'Portland', 'Albany', 'Springfield'],
  },
  {
    code: 'MW',
    name: 'Midwest Region',
    warehouse: 'MW01',
    warehouseName: 'Chicago Distribution Center',
    city: 'Chicago',
    state: 'IL',
    zip: '60608',
    inventoryAccount: '132000',
    weight: 0.35,
    cities: ['Chicago', 'Milwaukee', 'Indianapolis', 'Detroit', 'Columbus', 'Madison', 'Grand Rapids'],
  },
  {
    code: 'SO',
    name: 'South Region',
    warehouse: 'SO01',
    warehouseName: 'Atlanta Distribution Center',
    city: 'Atlanta',
    state: 'GA',
    zip: '30318',
    inventoryAccount: '133000',
    weight: 0.25,
    cities: ['Atlanta', 'Charlotte', 'Nashville', 'Birmingham', 'Savannah', 'Charleston', 'Jacksonville'],
  },
];

export interface ProductLine {
  code: string;
  name: string;
  revenueAccount: string;
  cogsAccount: string;
  /** Sales tax rate on invoices (most food is exempt). */
  taxRate: number;
  taxCode: string;
}

export const PRODUCT_LINES: readonly ProductLine[] = [
  { code: 'FRESH', name: 'Fresh Products', revenueAccount: '411000', cogsAccount: '511000', taxRate: 0, taxCode: 'EX' },
  { code: 'DRY', name: 'Dry Goods', revenueAccount: '412000', cogsAccount: '512000', taxRate: 0, taxCode: 'EX' },
  { code: 'BEV', name: 'Beverages', revenueAccount: '413000', cogsAccount: '513000', taxRate: 0.07, taxCode: 'TX7' },
  { code: 'FROZEN', name: 'Frozen Foods', revenueAccount: '414000', cogsAccount: '514000', taxRate: 0, taxCode: 'EX' },
  { code: 'NONFOOD', name: 'Non-Food Supplies', revenueAccount: '415000', cogsAccount: '515000', taxRate: 0.07, taxCode: 'TX7' },
];

/** How a product family is bought and kept. */
export interface Purchasing {
  /** Days between two reviews of a warehouse's stock of the family. */
  reviewDays: number;
  /** Calendar days from purchase order to arrival. */
  leadDays: readonly [number, number];
}

export interface Family {
  /** ItemGroups.Number. */
  number: number;
  name: string;
  line: string;
  prefix: string;
  storage: 'Ambient' | 'Chilled' | 'Frozen';
  shelfLifeDays: [number, number];
  unit: string;
  /** Unit cost range in USD. */
  cost: [number, number];
  products: readonly string[];
  sizes: readonly string[];
  /** Relative sales volume. */
  weight: number;
  /** Perishables are batch managed (ManageBatchNumbers), with admission, manufacturing and expiry dates. */
  batchManaged: boolean;
  purchasing: Purchasing;
}

/** Fresh goods: reviewed every business day, delivered the next morning. */
const FRESH: Purchasing = { reviewDays: 1, leadDays: [1, 1] };

export const FAMILIES: readonly Family[] = [
  {
    number: 101, name: 'Dairy & Eggs', line: 'FRESH', prefix: 'DA', storage: 'Chilled', shelfLifeDays: [7, 60], unit: 'CS',
    cost: [12, 85], weight: 14, batchManaged: true, purchasing: FRESH,
    products: ['Whole Milk', 'Heavy Cream', 'Butter Unsalted', 'Mozzarella', 'Cheddar Sharp', 'Parmesan Wedge', 'Greek Yogurt', 'Large Eggs', 'Cream Cheese', 'Ricotta'],
    sizes: ['1 gal x 4', '1 qt x 12', '1 lb x 36', '5 lb x 4', '15 dz', '32 oz x 6'],
  },
  {
    number: 102, name: 'Meat & Poultry', line: 'FRESH', prefix: 'MP', storage: 'Chilled', shelfLifeDays: [7, 21], unit: 'CS',
    cost: [45, 260], weight: 16, batchManaged: true, purchasing: FRESH,
    products: ['Chicken Breast Boneless', 'Chicken Wings', 'Ground Beef 80/20', 'Beef Ribeye', 'Pork Loin', 'Bacon Sliced', 'Turkey Breast', 'Italian Sausage', 'Beef Brisket', 'Lamb Rack'],
    sizes: ['10 lb', '20 lb', '40 lb', '4 x 10 lb', '15 lb'],
  },
  {
    number: 103, name: 'Seafood', line: 'FRESH', prefix: 'SF', storage: 'Chilled', shelfLifeDays: [6, 14], unit: 'CS',
    cost: [60, 320], weight: 7, batchManaged: true, purchasing: FRESH,
    products: ['Atlantic Salmon Fillet', 'Cod Loin', 'Shrimp 16/20', 'Sea Scallops U10', 'Tuna Steak', 'Mussels', 'Tilapia Fillet', 'Crab Meat Lump'],
    sizes: ['10 lb', '5 lb x 2', '2 lb x 5', '20 lb'],
  },
  {
    number: 104, name: 'Fruit & Vegetables', line: 'FRESH', prefix: 'FV', storage: 'Chilled', shelfLifeDays: [6, 28], unit: 'CS',
    cost: [15, 70], weight: 15, batchManaged: true, purchasing: FRESH,
    products: ['Romaine Hearts', 'Tomatoes Roma', 'Yellow Onions', 'Russet Potatoes', 'Lemons', 'Avocados Hass', 'Baby Spinach', 'Mixed Berries', 'Bell Peppers Red', 'Carrots Jumbo'],
    sizes: ['25 lb', '50 lb', '4 x 5 lb', '12 ct', '48 ct'],
  },
  {
    number: 105, name: 'Bakery', line: 'FRESH', prefix: 'BK', storage: 'Ambient', shelfLifeDays: [5, 10], unit: 'CS',
    cost: [10, 48], weight: 6, batchManaged: true, purchasing: FRESH,
    products: ['Brioche Buns', 'Sourdough Loaf', 'Ciabatta Rolls', 'Croissants', 'Bagels Plain', 'Tortillas Flour', 'Pita Bread'],
    sizes: ['12 ct x 6', '24 ct', '6 ct x 8', '10 in x 12'],
  },
  {
    number: 106, name: 'Dry Goods', line: 'DRY', prefix: 'DG', storage: 'Ambient', shelfLifeDays: [180, 720], unit: 'CS',
    cost: [14, 90], weight: 12, batchManaged: false, purchasing: { reviewDays: 14, leadDays: [3, 6] },
    products: ['Basmati Rice', 'Penne Rigate', 'Spaghetti', 'All-Purpose Flour', 'Granulated Sugar', 'Canned Tomatoes', 'Black Beans', 'Chickpeas', 'Rolled Oats', 'Panko Breadcrumbs'],
    sizes: ['25 lb', '50 lb', '#10 can x 6', '1 lb x 20', '10 lb x 2'],
  },
  {
    number: 107, name: 'Oils & Condiments', line: 'DRY', prefix: 'OC', storage: 'Ambient', shelfLifeDays: [180, 540], unit: 'CS',
    cost: [18, 110], weight: 8, batchManaged: false, purchasing: { reviewDays: 21, leadDays: [6, 12] },
    products: ['Olive Oil Extra Virgin', 'Canola Oil', 'Balsamic Vinegar', 'Mayonnaise', 'Ketchup', 'Dijon Mustard', 'Soy Sauce', 'Hot Sauce', 'Sea Salt', 'Black Pepper Ground'],
    sizes: ['1 gal x 4', '35 lb', '1 gal x 2', '20 oz x 12', '5 lb'],
  },
  {
    number: 108, name: 'Beverages', line: 'BEV', prefix: 'BV', storage: 'Ambient', shelfLifeDays: [90, 365], unit: 'CS',
    cost: [9, 60], weight: 9, batchManaged: false, purchasing: { reviewDays: 10, leadDays: [2, 5] },
    products: ['Spring Water', 'Sparkling Water', 'Orange Juice', 'Apple Juice', 'Cola', 'Iced Tea', 'Coffee Beans Espresso', 'Lemonade'],
    sizes: ['16.9 oz x 24', '12 oz x 24', '1 gal x 4', '5 lb x 2', '2 L x 8'],
  },
  {
    number: 109, name: 'Frozen Foods', line: 'FROZEN', prefix: 'FZ', storage: 'Frozen', shelfLifeDays: [180, 540], unit: 'CS',
    cost: [20, 120], weight: 9, batchManaged: false, purchasing: { reviewDays: 14, leadDays: [3, 6] },
    products: ['French Fries', 'Sweet Potato Fries', 'Ice Cream Vanilla', 'Frozen Peas', 'Chicken Tenders', 'Pizza Dough Balls', 'Mixed Vegetables', 'Onion Rings'],
    sizes: ['6 x 5 lb', '3 gal', '2.5 lb x 12', '30 lb', '4 x 10 lb'],
  },
  {
    number: 110, name: 'Cleaning & Disposables', line: 'NONFOOD', prefix: 'ND', storage: 'Ambient', shelfLifeDays: [720, 1440], unit: 'CS',
    cost: [16, 95], weight: 4, batchManaged: false, purchasing: { reviewDays: 28, leadDays: [4, 8] },
    products: ['Nitrile Gloves', 'Takeout Containers', 'Paper Napkins', 'Dish Detergent', 'Sanitizer', 'Aluminum Foil', 'Trash Liners', 'Paper Cups'],
    sizes: ['1000 ct', '500 ct', '250 ct x 4', '1 gal x 4', '18 in x 500 ft'],
  },
];

export interface AccountDef {
  code: string;
  name: string;
  /** Code of the parent title account; undefined on level 1. */
  father?: string;
  level: number;
  postable: boolean;
  type: 'at_Revenues' | 'at_Expenses' | 'at_Other';
  cash?: boolean;
  /** Carries cost centers (revenue, cost of sales, expenses). */
  distributionRelevant?: boolean;
}

/**
 * Chart of accounts. Title (non-postable) accounts carry the system codes B1 gives them (_SYS...), so that a
 * string sort of Code does not follow the hierarchy: as inconvenient as a real one.
 */
export const ACCOUNTS: readonly AccountDef[] = [
  { code: '_SYS00000000001', name: 'Assets', level: 1, postable: false, type: 'at_Other' },
  { code: '_SYS00000000002', name: 'Liabilities', level: 1, postable: false, type: 'at_Other' },
  { code: '_SYS00000000003', name: 'Equity', level: 1, postable: false, type: 'at_Other' },
  { code: '_SYS00000000004', name: 'Revenues', level: 1, postable: false, type: 'at_Revenues' },
  { code: '_SYS00000000005', name: 'Cost of Sales', level: 1, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000006', name: 'Operating Expenses', level: 1, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000007', name: 'Other Income and Expenses', level: 1, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000011', name: 'Current Assets', father: '_SYS00000000001', level: 2, postable: false, type: 'at_Other' },
  { code: '_SYS00000000012', name: 'Fixed Assets', father: '_SYS00000000001', level: 2, postable: false, type: 'at_Other' },
  { code: '_SYS00000000021', name: 'Current Liabilities', father: '_SYS00000000002', level: 2, postable: false, type: 'at_Other' },
  { code: '_SYS00000000022', name: 'Long-term Liabilities', father: '_SYS00000000002', level: 2, postable: false, type: 'at_Other' },
  { code: '_SYS00000000031', name: 'Capital and Reserves', father: '_SYS00000000003', level: 2, postable: false, type: 'at_Other' },
  { code: '_SYS00000000041', name: 'Sales', father: '_SYS00000000004', level: 2, postable: false, type: 'at_Revenues' },
  { code: '_SYS00000000051', name: 'Cost of Goods Sold', father: '_SYS00000000005', level: 2, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000061', name: 'Personnel', father: '_SYS00000000006', level: 2, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000062', name: 'Facilities', father: '_SYS00000000006', level: 2, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000063', name: 'Logistics', father: '_SYS00000000006', level: 2, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000064', name: 'Sales and Administration', father: '_SYS00000000006', level: 2, postable: false, type: 'at_Expenses' },
  { code: '_SYS00000000071', name: 'Financial Result', father: '_SYS00000000007', level: 2, postable: false, type: 'at_Expenses' },
  { code: '111000', name: 'Cash on Hand', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other', cash: true },
  { code: '112000', name: 'Bank - Operating Account', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other', cash: true },
  { code: '113000', name: 'Bank - Payroll Account', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other', cash: true },
  { code: '114000', name: 'Checks Received', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other', cash: true },
  { code: '115000', name: 'Credit Card Receivables', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '121000', name: 'Accounts Receivable', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '122000', name: 'Allowance for Doubtful Accounts', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '131000', name: 'Inventory - Boston DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '132000', name: 'Inventory - Chicago DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '133000', name: 'Inventory - Atlanta DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '141000', name: 'Prepaid Expenses', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '142000', name: 'Input Tax Receivable', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '151000', name: 'Warehouse Equipment', father: '_SYS00000000012', level: 3, postable: true, type: 'at_Other' },
  { code: '152000', name: 'Delivery Vehicles', father: '_SYS00000000012', level: 3, postable: true, type: 'at_Other' },
  { code: '159000', name: 'Accumulated Depreciation', father: '_SYS00000000012', level: 3, postable: true, type: 'at_Other' },
  { code: '211000', name: 'Accounts Payable', father: '_SYS00000000021', level: 3, postable: true, type: 'at_Other' },
  { code: '212000', name: 'Goods Received Not Invoiced', father: '_SYS00000000021', level: 3, postable: true, type: 'at_Other' },
  { code: '221000', name: 'Sales Tax Payable', father: '_SYS00000000021', level: 3, postable: true, type: 'at_Other' },
  { code: '231000', name: 'Accrued Payroll', father: '_SYS00000000021', level: 3, postable: true, type: 'at_Other' },
  { code: '241000', name: 'Bank Loan', father: '_SYS00000000022', level: 3, postable: true, type: 'at_Other' },
  { code: '311000', name: 'Share Capital', father: '_SYS00000000031', level: 3, postable: true, type: 'at_Other' },
  { code: '321000', name: 'Retained Earnings', father: '_SYS00000000031', level: 3, postable: true, type: 'at_Other' },
  { code: '391000', name: 'Opening Balance Offset', father: '_SYS00000000031', level: 3, postable: true, type: 'at_Other' },
  { code: '399000', name: 'Period-End Closing Account', father: '_SYS00000000031', level: 3, postable: true, type: 'at_Other' },
  { code: '411000', name: 'Sales - Fresh Products', father: '_SYS00000000041', level: 3, postable: true, type: 'at_Revenues', distributionRelevant: true },
  { code: '412000', name: 'Sales - Dry Goods', father: '_SYS00000000041', level: 3, postable: true, type: 'at_Revenues', distributionRelevant: true },
  { code: '413000', name: 'Sales - Beverages', father: '_SYS00000000041', level: 3, postable: true, type: 'at_Revenues', distributionRelevant: true },
  { code: '414000', name: 'Sales - Frozen Foods', father: '_SYS00000000041', level: 3, postable: true, type: 'at_Revenues', distributionRelevant: true },
  { code: '415000', name: 'Sales - Non-Food Supplies', father: '_SYS00000000041', level: 3, postable: true, type: 'at_Revenues', distributionRelevant: true },
  { code: '511000', name: 'COGS - Fresh Products', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '512000', name: 'COGS - Dry Goods', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '513000', name: 'COGS - Beverages', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '514000', name: 'COGS - Frozen Foods', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '515000', name: 'COGS - Non-Food Supplies', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '516000', name: 'Inventory Write-offs and Shrinkage', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '517000', name: 'Inventory Count Differences', father: '_SYS00000000051', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '611000', name: 'Salaries and Wages', father: '_SYS00000000061', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '612000', name: 'Payroll Taxes and Benefits', father: '_SYS00000000061', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '621000', name: 'Warehouse Rent', father: '_SYS00000000062', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '622000', name: 'Utilities', father: '_SYS00000000062', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '631000', name: 'Fuel and Vehicle Costs', father: '_SYS00000000063', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '641000', name: 'Marketing', father: '_SYS00000000064', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '651000', name: 'Office and Administration', father: '_SYS00000000064', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '661000', name: 'Depreciation', father: '_SYS00000000064', level: 3, postable: true, type: 'at_Expenses', distributionRelevant: true },
  { code: '711000', name: 'Interest Expense', father: '_SYS00000000071', level: 3, postable: true, type: 'at_Expenses' },
  { code: '712000', name: 'Bank Charges', father: '_SYS00000000071', level: 3, postable: true, type: 'at_Expenses' },
  { code: '713000', name: 'Exchange Rate Gains', father: '_SYS00000000071', level: 3, postable: true, type: 'at_Expenses' },
  { code: '714000', name: 'Exchange Rate Losses', father: '_SYS00000000071', level: 3, postable: true, type: 'at_Expenses' },
];

export const ACCOUNT = {
  cash: '111000',
  bank: '112000',
  checksReceived: '114000',
  creditCards: '115000',
  receivable: '121000',
  inputTax: '142000',
  warehouseEquipment: '151000',
  vehicles: '152000',
  payable: '211000',
  goodsReceivedNotInvoiced: '212000',
  salesTax: '221000',
  bankLoan: '241000',
  shareCapital: '311000',
  retainedEarnings: '321000',
  openingBalance: '391000',
  periodEndClosing: '399000',
  writeOffs: '516000',
  countDifferences: '517000',
  salaries: '611000',
  rent: '621000',
  utilities: '622000',
  fuel: '631000',
  marketing: '641000',
  depreciation: '661000',
  accumulatedDepreciation: '159000',
  bankCharges: '712000',
  exchangeGains: '713000',
  exchangeLosses: '714000',
} as const;

/** Monthly manual journal entries per region: [account debited, account credited, memo, monthly amount at scale 1]. */
export const MONTHLY_ENTRIES: readonly [string, string, string, number][] = [
  [ACCOUNT.salaries, ACCOUNT.bank, 'Payroll', 15000],
  [ACCOUNT.rent, ACCOUNT.bank, 'Warehouse rent', 5000],
  [ACCOUNT.utilities, ACCOUNT.bank, 'Utilities', 1500],
  [ACCOUNT.fuel, ACCOUNT.bank, 'Fleet fuel', 2500],
];

/** Monthly marketing spend at scale 1, on the shared rules of both dimensions. */
export const MONTHLY_MARKETING = 5200;
/** Monthly depreciation at scale 1, on the shared regional rule. */
export const MONTHLY_DEPRECIATION = 4600;

/** The local currency and the foreign ones some partners trade in, with a rate (USD per unit) to start from. */
export const LOCAL_CURRENCY = 'USD';
export const FOREIGN_CURRENCIES = [
  { code: 'EUR', startRate: 1.08 },
  { code: 'CAD', startRate: 0.73 },
] as const;
export type ForeignCurrency = (typeof FOREIGN_CURRENCIES)[number]['code'];

/** The family whose vendors are European importers invoicing in EUR (with delivery: no goods receipt PO). */
export const IMPORTED_FAMILY = 107;

/**
 * Distribution rules (cost accounting) besides the direct one every center has: shared rules split amounts over
 * several centers, and a rule can change its split over time (versions with EffectiveFrom/EffectiveTo, as SAP
 * Business One 9.0+ keeps them in OCR1 with ValidFrom/ValidTo). `yearsBack` dates a version's start relative to
 * the clock's year, so the change falls inside the generated history.
 */
export interface SharedRuleDef {
  code: string;
  name: string;
  dimension: number;
  versions: { fromYearsBack: number | null; shares: readonly [string, number][] }[];
}

export const SHARED_RULES: readonly SharedRuleDef[] = [
  {
    code: 'ALLREG',
    name: 'All regions by customer share',
    dimension: 1,
    versions: [
      { fromYearsBack: null, shares: [['NE', 40], ['MW', 35], ['SO', 25]] },
      { fromYearsBack: 0, shares: [['NE', 38], ['MW', 34], ['SO', 28]] },
    ],
  },
  {
    code: 'FOODMIX',
    name: 'Food product lines by sales mix',
    dimension: 2,
    versions: [{ fromYearsBack: null, shares: [['FRESH', 55], ['DRY', 25], ['FROZEN', 20]] }],
  },
];

/** How customers of each group pay, as weights of [bank transfer, check, credit card, cash]. */
export const PAYMENT_MEANS_BY_GROUP: Record<number, readonly [number, number, number, number]> = {
  100: [3, 4, 2, 1],
  101: [4, 0, 6, 0],
  102: [8, 2, 0, 0],
  103: [6, 4, 0, 0],
};

/** The company's one credit card acquirer (CreditCard code in PaymentCreditCards). */
export const CREDIT_CARD = { code: 1, name: 'Visa / Mastercard', account: ACCOUNT.creditCards } as const;

/** Customer groups; some get a header discount on every order (DiscountPercent on the document). */
export const CUSTOMER_GROUPS = [
  { code: 100, name: 'Restaurants', weight: 50, headerDiscount: 0 },
  { code: 101, name: 'Hotels', weight: 12, headerDiscount: 0 },
  { code: 102, name: 'Retail Grocers', weight: 20, headerDiscount: 2 },
  { code: 103, name: 'Institutions', weight: 18, headerDiscount: 3.5 },
] as const;

/** Hotel chains are billed centrally: their revenue and cost of goods go to the shared regional rule. */
export const CENTRALLY_BILLED_GROUP = 101;

export const VENDOR_GROUP = 110;

export const PAYMENT_TERMS = [
  { code: 1, days: 15 },
  { code: 2, days: 30 },
  { code: 3, days: 45 },
] as const;

export const SALES_PERSONS = [1, 2, 3, 4, 5, 6] as const;

export const CHANNELS = ['Field Sales', 'Phone', 'Web Shop', 'EDI'] as const;

export const CUSTOMER_NAME_PARTS = {
  first: ['Harbor', 'Maple', 'Golden', 'Riverside', 'Oak', 'Blue Door', 'Copper', 'Union', 'Lakeview', 'Old Town', 'Summit', 'Cedar', 'Brick', 'Sunny', 'Grand', 'Little', 'Pier', 'Market', 'Ember', 'Willow'],
  second: ['Bistro', 'Diner', 'Grill', 'Kitchen', 'Trattoria', 'Cafe', 'Tavern', 'Hotel', 'Market', 'Deli', 'Eatery', 'Steakhouse', 'Noodle Bar', 'Bakery Cafe', 'Hospital Cafeteria', 'School District', 'Catering', 'Grocers', 'Food Hall', 'Inn'],
};

export const VENDOR_NAME_PARTS = {
  first: ['Green Valley', 'Prairie', 'Coastal', 'Heartland', 'Sunrise', 'Blue Ridge', 'Northern', 'Harvest', 'Pacific', 'Liberty'],
  /** One per family, in FAMILIES order: a vendor supplies family (vendor index mod families). */
  second: ['Dairy Co-op', 'Meats', 'Seafood Co.', 'Produce', 'Bakery', 'Mills', 'Importers', 'Beverage Co.', 'Frozen Foods', 'Supply Co.'],
};

export const STREETS = ['Main St', 'Market St', 'Harbor Way', 'Industrial Pkwy', 'Elm St', 'Commerce Dr', 'Oak Ave', 'Station Rd', 'Mill St', 'Park Blvd'];
