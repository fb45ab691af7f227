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
  const joins: JoinSpec[] = [];
  if (m.partner) {
    joins.push({
      name: m.partner.name,
      from: 'business_partners',
      viewLabel: m.partner.label,
      relationship: 'many_to_one',
      sqlOn: `\${${m.partner.name}.card_code} = ${base(m.partner.column)}`,
      requires: [{ table: 'business_partners', columns: ['card_code'] }, ...baseRequires(m.partner.column)],
    });
  }
  if (m.item) {
    joins.push({
      name: 'item',
      from: 'items',
      viewLabel: 'Item',
      relationship: 'many_to_one',
      sqlOn: `\${item.item_code} = ${base(m.item)}`,
      requires: [{ table: 'items', columns: ['item_code'] }, ...baseRequires(m.item)],
    });
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
  if (m.warehouse) {
    joins.push({
      name: 'warehouse',
      from: 'warehouses',
      viewLabel: 'Warehouse',
      relationship: 'many_to_one',
      sqlOn: `\${warehouse.warehouse_code} = ${base(m.warehouse)}`,
      requires: [{ table: 'warehouses', columns: ['warehouse_code'] }, ...baseRequires(m.warehouse)],
    });
  }
  for (const [name, column, label] of [
    ['cost_center_1', m.costCenter1, 'Cost center (dimension 1)'],
    ['cost_center_2', m.costCenter2, 'Cost center (dimension 2)'],
  ] as const) {
    if (!column) continue;
    joins.push({
      name,
      from: 'cost_centers',
      viewLabel: label,
      relationship: 'many_to_one',
      sqlOn: `\${${name}.center_code} = ${base(column)}`,
      requires: [{ table: 'cost_centers', columns: ['center_code'] }, ...baseRequires(column)],
    });
  }
  if (m.account) {
    joins.push({
      name: m.account.name,
      from: 'gl_accounts',
      viewLabel: m.account.label,
      relationship: 'many_to_one',
      sqlOn: `\${${m.account.name}.code} = ${base(m.account.column)}`,
      requires: [{ table: 'gl_accounts', columns: ['code'] }, ...baseRequires(m.account.column)],
    });
  }
  return joins;
}
