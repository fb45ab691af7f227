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
}

export const FAMILIES: readonly Family[] = [
  {
    number: 101, name: 'Dairy & Eggs', line: 'FRESH', prefix: 'DA', storage: 'Chilled', shelfLifeDays: [7, 60], unit: 'CS',
    cost: [12, 85], weight: 14,
    products: ['Whole Milk', 'Heavy Cream', 'Butter Unsalted', 'Mozzarella', 'Cheddar Sharp', 'Parmesan Wedge', 'Greek Yogurt', 'Large Eggs', 'Cream Cheese', 'Ricotta'],
    sizes: ['1 gal x 4', '1 qt x 12', '1 lb x 36', '5 lb x 4', '15 dz', '32 oz x 6'],
  },
  {
    number: 102, name: 'Meat & Poultry', line: 'FRESH', prefix: 'MP', storage: 'Chilled', shelfLifeDays: [5, 21], unit: 'CS',
    cost: [45, 260], weight: 16,
    products: ['Chicken Breast Boneless', 'Chicken Wings', 'Ground Beef 80/20', 'Beef Ribeye', 'Pork Loin', 'Bacon Sliced', 'Turkey Breast', 'Italian Sausage', 'Beef Brisket', 'Lamb Rack'],
    sizes: ['10 lb', '20 lb', '40 lb', '4 x 10 lb', '15 lb'],
  },
  {
    number: 103, name: 'Seafood', line: 'FRESH', prefix: 'SF', storage: 'Chilled', shelfLifeDays: [3, 14], unit: 'CS',
    cost: [60, 320], weight: 7,
    products: ['Atlantic Salmon Fillet', 'Cod Loin', 'Shrimp 16/20', 'Sea Scallops U10', 'Tuna Steak', 'Mussels', 'Tilapia Fillet', 'Crab Meat Lump'],
    sizes: ['10 lb', '5 lb x 2', '2 lb x 5', '20 lb'],
  },
  {
    number: 104, name: 'Fruit & Vegetables', line: 'FRESH', prefix: 'FV', storage: 'Chilled', shelfLifeDays: [4, 28], unit: 'CS',
    cost: [15, 70], weight: 15,
    products: ['Romaine Hearts', 'Tomatoes Roma', 'Yellow Onions', 'Russet Potatoes', 'Lemons', 'Avocados Hass', 'Baby Spinach', 'Mixed Berries', 'Bell Peppers Red', 'Carrots Jumbo'],
    sizes: ['25 lb', '50 lb', '4 x 5 lb', '12 ct', '48 ct'],
  },
  {
    number: 105, name: 'Bakery', line: 'FRESH', prefix: 'BK', storage: 'Ambient', shelfLifeDays: [3, 10], unit: 'CS',
    cost: [10, 48], weight: 6,
    products: ['Brioche Buns', 'Sourdough Loaf', 'Ciabatta Rolls', 'Croissants', 'Bagels Plain', 'Tortillas Flour', 'Pita Bread'],
    sizes: ['12 ct x 6', '24 ct', '6 ct x 8', '10 in x 12'],
  },
  {
    number: 106, name: 'Dry Goods', line: 'DRY', prefix: 'DG', storage: 'Ambient', shelfLifeDays: [180, 720], unit: 'CS',
    cost: [14, 90], weight: 12,
    products: ['Basmati Rice', 'Penne Rigate', 'Spaghetti', 'All-Purpose Flour', 'Granulated Sugar', 'Canned Tomatoes', 'Black Beans', 'Chickpeas', 'Rolled Oats', 'Panko Breadcrumbs'],
    sizes: ['25 lb', '50 lb', '#10 can x 6', '1 lb x 20', '10 lb x 2'],
  },
  {
    number: 107, name: 'Oils & Condiments', line: 'DRY', prefix: 'OC', storage: 'Ambient', shelfLifeDays: [180, 540], unit: 'CS',
    cost: [18, 110], weight: 8,
    products: ['Olive Oil Extra Virgin', 'Canola Oil', 'Balsamic Vinegar', 'Mayonnaise', 'Ketchup', 'Dijon Mustard', 'Soy Sauce', 'Hot Sauce', 'Sea Salt', 'Black Pepper Ground'],
    sizes: ['1 gal x 4', '35 lb', '1 gal x 2', '20 oz x 12', '5 lb'],
  },
  {
    number: 108, name: 'Beverages', line: 'BEV', prefix: 'BV', storage: 'Ambient', shelfLifeDays: [90, 365], unit: 'CS',
    cost: [9, 60], weight: 9,
    products: ['Spring Water', 'Sparkling Water', 'Orange Juice', 'Apple Juice', 'Cola', 'Iced Tea', 'Coffee Beans Espresso', 'Lemonade'],
    sizes: ['16.9 oz x 24', '12 oz x 24', '1 gal x 4', '5 lb x 2', '2 L x 8'],
  },
  {
    number: 109, name: 'Frozen Foods', line: 'FROZEN', prefix: 'FZ', storage: 'Frozen', shelfLifeDays: [180, 540], unit: 'CS',
    cost: [20, 120], weight: 9,
    products: ['French Fries', 'Sweet Potato Fries', 'Ice Cream Vanilla', 'Frozen Peas', 'Chicken Tenders', 'Pizza Dough Balls', 'Mixed Vegetables', 'Onion Rings'],
    sizes: ['6 x 5 lb', '3 gal', '2.5 lb x 12', '30 lb', '4 x 10 lb'],
  },
  {
    number: 110, name: 'Cleaning & Disposables', line: 'NONFOOD', prefix: 'ND', storage: 'Ambient', shelfLifeDays: [720, 1440], unit: 'CS',
    cost: [16, 95], weight: 4,
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
  { code: '121000', name: 'Accounts Receivable', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '122000', name: 'Allowance for Doubtful Accounts', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '131000', name: 'Inventory - Boston DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '132000', name: 'Inventory - Chicago DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '133000', name: 'Inventory - Atlanta DC', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
  { code: '141000', name: 'Prepaid Expenses', father: '_SYS00000000011', level: 3, postable: true, type: 'at_Other' },
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
];

export const ACCOUNT = {
  bank: '112000',
  payrollBank: '113000',
  receivable: '121000',
  payable: '211000',
  goodsReceivedNotInvoiced: '212000',
  salesTax: '221000',
  salaries: '611000',
  rent: '621000',
  utilities: '622000',
  fuel: '631000',
  depreciation: '661000',
  accumulatedDepreciation: '159000',
} as const;

/** Monthly manual journal entries per region: [account debited, account credited, memo, monthly amount at scale 1]. */
export const MONTHLY_ENTRIES: readonly [string, string, string, number][] = [
  [ACCOUNT.salaries, ACCOUNT.payrollBank, 'Payroll', 38000],
  [ACCOUNT.rent, ACCOUNT.bank, 'Warehouse rent', 14500],
  [ACCOUNT.utilities, ACCOUNT.bank, 'Utilities', 3900],
  [ACCOUNT.fuel, ACCOUNT.bank, 'Fleet fuel', 6200],
];

export const CUSTOMER_GROUPS = [
  { code: 100, name: 'Restaurants', weight: 50 },
  { code: 101, name: 'Hotels', weight: 12 },
  { code: 102, name: 'Retail Grocers', weight: 20 },
  { code: 103, name: 'Institutions', weight: 18 },
] as const;

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
