/**
 * The master-data joins several explores share: the business partner, the item and its item
 * group, the warehouse, the cost centers of dimensions 1 and 2 and a G/L account, each joined
 * many-to-one from a column of the explore's base view.
 */
import type { JoinSpec } from './joins.js';

export interface MasterJoinColumns {
  /** The base view, and the stream behind it when it is a stream view (its columns are then checked). */
  baseView: string;
  baseTable?: string;
  partner?: { name: string; label: string; column: string };
  item?: string;
  warehouse?: string;
  costCenter1?: string;
  costCenter2?: string;
  account?: { name: string; label: string; column: string };
}

export function masterDataJoins(m: MasterJoinColumns): JoinSpec[] {
  const base = (column: string) => `\${${m.baseView}.${column}}`;
  const baseRequires = (column: string) => (m.baseTable ? [{ table: m.baseTable, columns: [column] }] : []);
  /** A master data stream joined on its key to a column of the base view: many base rows to one master row. */
  const masterJoin = (name: string, from: string, viewLabel: string, key: string, column: string): JoinSpec => ({
    name,
    from,
    viewLabel,
    relationship: 'many_to_one',
    sqlOn: `\${${name}.${key}} = ${base(column)}`,
    requires: [{ table: from, columns: [key] }, ...baseRequires(column)],
  });
  const joins: JoinSpec[] = [];
  if (m.partner) joins.push(masterJoin(m.partner.name, 'business_partners', m.partner.label, 'card_code', m.partner.column));
  if (m.item) {
    joins.push(masterJoin('item', 'items', 'Item', 'item_code', m.item));
    joins.push({
      name: 'item_group',
      from: 'item_groups',
      viewLabel: 'Item group',
      relationship: 'many_to_one',
      sqlOn: '${item_group.number} = ${item.items_group_code}',
      requires: [
        { table: 'item_groups', columns: ['number'] },
        { table: 'items', columns: ['items_group_code'] },
      ],
      through: ['item'],
    });
  }
  if (m.warehouse) joins.push(masterJoin('warehouse', 'warehouses', 'Warehouse', 'warehouse_code', m.warehouse));
  for (const [name, column, label] of [
    ['cost_center_1', m.costCenter1, 'Cost center (dimension 1)'],
    ['cost_center_2', m.costCenter2, 'Cost center (dimension 2)'],
  ] as const) {
    if (column) joins.push(masterJoin(name, 'cost_centers', label, 'center_code', column));
  }
  if (m.account) joins.push(masterJoin(m.account.name, 'gl_accounts', m.account.label, 'code', m.account.column));
  return joins;
}
