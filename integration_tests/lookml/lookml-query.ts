/**
 * Turns a question to a parsed LookML explore (dimensions, measures) into the SQL Looker would
 * run, for the constructs the generator uses, so the generated SQL can be executed for real:
 * ${TABLE} becomes the view's alias, ${field} and ${view.field} expand to the field's SQL,
 * measures aggregate (sum, count, count_distinct, number over other measures), and only the
 * joins the query needs (and the joins those go through, and always_join) are added.
 *
 * Templated date filters ({% date_start f %}) become the timestamp literal Looker writes for
 * PostgreSQL, or NULL when the filter is not set, as Looker documents for date_start.
 *
 * Deliberately small: Looker's symmetric aggregates are not reproduced, so a query whose joins
 * fan out (one_to_many) with measures is refused rather than computed wrongly, and only the raw
 * date and month time frames of dimension groups are supported.
 */
import { baseViewOf, exploreAliases, references, type ParsedField, type ParsedModel, type ParsedView } from '../../test/looker-lookml/parsed-project.js';

export interface ExploreQuery {
  /** "alias.field" of dimensions to group by. */
  dimensions?: string[];
  /** "alias.field" of measures. */
  measures?: string[];
  /** "alias.field" of dimensions -> the value they must equal (a WHERE condition). */
  filters?: Record<string, string | number>;
  /** Templated date filters of the base view -> a date (YYYY-MM-DD). */
  dateFilters?: Record<string, string>;
}

/** Replaces {% date_start f %} and {% date_end f %} as Looker does for a single-day filter value. */
export function withDateFilters(sql: string, values: Record<string, string> = {}): string {
  return sql.replace(/\{%\s*(date_start|date_end)\s+([a-z0-9_]+)\s*%\}/g, (_m, edge: string, name: string) => {
    const value = values[name];
    if (value === undefined) return 'NULL';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`Date filter ${name} must be YYYY-MM-DD, got ${value}`);
    return edge === 'date_start' ? `TIMESTAMP '${value}'` : `(TIMESTAMP '${value}' + INTERVAL '1 day')`;
  });
}

const q = (identifier: string) => `"${identifier}"`;

export function exploreSql(model: ParsedModel, exploreName: string, query: ExploreQuery): string {
  const explore = model.explore?.[exploreName];
  if (!explore) throw new Error(`No explore ${exploreName}`);
  const aliases = exploreAliases(exploreName, explore);
  const base = baseViewOf(exploreName, explore);
  const used = new Set<string>([base]);

  const viewOf = (alias: string): ParsedView => {
    const name = aliases.get(alias);
    const view = name === undefined ? undefined : model.view?.[name];
    if (!view) throw new Error(`Explore ${exploreName} has no view or join ${alias}`);
    return view;
  };

  /** Expands ${TABLE}, ${field} and ${view.field} in SQL written inside view `alias`. */
  const expand = (alias: string, sql: string, stack: string[]): string =>
    withDateFilters(sql, query.dateFilters).replace(/\$\{([A-Za-z0-9_]+)(?:\.([a-z0-9_]+))?\}/g, (_m, first: string, second: string | undefined) => {
      if (first === 'TABLE' && second === undefined) {
        used.add(alias);
        return q(alias);
      }
      const [targetAlias, field] = second === undefined ? [alias, first] : [first, second];
      return `(${fieldSql(targetAlias, field, stack)})`;
    });

  const findField = (alias: string, name: string): { field: ParsedField; kind: 'dimension' | 'measure'; timeframe?: string } => {
    const view = viewOf(alias);
    if (view.dimension?.[name]) return { field: view.dimension[name]!, kind: 'dimension' };
    if (view.measure?.[name]) return { field: view.measure[name]!, kind: 'measure' };
    for (const [groupName, group] of Object.entries(view.dimension_group ?? {})) {
      for (const tf of group.timeframes ?? []) if (`${groupName}_${tf}` === name) return { field: group, kind: 'dimension', timeframe: tf };
    }
    throw new Error(`View ${aliases.get(alias)} (as ${alias}) has no field ${name}`);
  };

  /** SQL of a field as referenced from other SQL: dimensions give their expression, measures their aggregate. */
  function fieldSql(alias: string, name: string, stack: string[]): string {
    const key = `${alias}.${name}`;
    if (stack.includes(key)) throw new Error(`Circular field reference: ${[...stack, key].join(' -> ')}`);
    used.add(alias);
    const { field, kind, timeframe } = findField(alias, name);
    const inner = field.sql === undefined ? undefined : expand(alias, field.sql.trim(), [...stack, key]);
    if (kind === 'dimension') {
      if (inner === undefined) throw new Error(`Dimension ${key} has no sql`);
      if (timeframe === undefined || timeframe === 'raw') return inner;
      if (timeframe === 'date') return field.datatype === 'date' ? inner : `CAST(${inner} AS DATE)`;
      // Looker shows a month as YYYY-MM.
      if (timeframe === 'month') return `TO_CHAR(${inner}, 'YYYY-MM')`;
      throw new Error(`Time frame ${timeframe} of ${key} is not supported by this translator`);
    }
    switch (field.type) {
      case 'sum':
        return `COALESCE(SUM(${inner}), 0)`;
      case 'count_distinct':
        return `COUNT(DISTINCT ${inner})`;
      case 'count': {
        const pk = Object.values(viewOf(alias).dimension ?? {}).find((d) => d.primary_key);
        if (!pk) throw new Error(`count measure ${key} in a view without primary key`);
        return `COUNT(DISTINCT ${fieldSql(alias, pk.$name, [...stack, key])})`;
      }
      case 'average':
        return `AVG(${inner})`;
      case 'max':
        return `MAX(${inner})`;
      case 'min':
        return `MIN(${inner})`;
      case 'number':
        if (inner === undefined) throw new Error(`Measure ${key} has no sql`);
        return inner;
      default:
        throw new Error(`Measure type ${field.type} of ${key} is not supported by this translator`);
    }
  }

  const selected = (list: string[] | undefined, kind: 'dimension' | 'measure') =>
    (list ?? []).map((ref) => {
      const [alias, name] = ref.split('.') as [string, string];
      const found = findField(alias, name);
      if (found.kind !== kind) throw new Error(`${ref} is not a ${kind}`);
      const sql = fieldSql(alias, name, []);
      return found.field.type === 'yesno' ? `CASE WHEN ${sql} THEN 'Yes' ELSE 'No' END` : sql;
    });
  const dimensions = selected(query.dimensions, 'dimension');
  const measures = selected(query.measures, 'measure');
  const conditions = Object.entries(query.filters ?? {}).map(([ref, value]) => {
    const [alias, name] = ref.split('.') as [string, string];
    if (findField(alias, name).kind !== 'dimension') throw new Error(`${ref} is not a dimension`);
    return `${fieldSql(alias, name, [])} = ${typeof value === 'number' ? value : `'${value.replace(/'/g, "''")}'`}`;
  });
  if (explore.sql_always_where) conditions.unshift(expand(base, explore.sql_always_where.trim(), []));
  const where = conditions.length ? conditions.join(' AND ') : undefined;

  // Joins needed: used aliases, what their sql_on refers to, always_join; in the explore's order.
  for (const name of explore.always_join ?? []) used.add(name);
  const joinClauses = new Map<string, string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, join] of Object.entries(explore.join ?? {})) {
      if (!used.has(name) || joinClauses.has(name)) continue;
      for (const ref of references(join.sql_on ?? '')) if (ref.view && !used.has(ref.view)) used.add(ref.view);
      const view = model.view?.[join.from ?? name];
      if (!view) throw new Error(`Join ${name} of ${exploreName} has no view`);
      const on = expand(name, join.sql_on!.trim(), []);
      const type = join.type === 'inner' ? 'INNER JOIN' : 'LEFT JOIN';
      joinClauses.set(name, `${type} ${tableOf(view, query.dateFilters)} AS ${q(name)} ON ${on}`);
      if (measures.length && (join.relationship === 'one_to_many' || join.relationship === 'many_to_many')) {
        throw new Error(`Join ${name} fans out (${join.relationship}); this translator does not reproduce symmetric aggregates`);
      }
      grew = true;
    }
  }
  const orderedJoins = Object.keys(explore.join ?? {})
    .filter((name) => joinClauses.has(name))
    .map((name) => joinClauses.get(name)!);

  const select = [...dimensions.map((d, i) => `${d} AS d${i}`), ...measures.map((m, i) => `${m} AS m${i}`)];
  return [
    `SELECT ${select.join(',\n  ')}`,
    `FROM ${tableOf(viewOf(base), query.dateFilters)} AS ${q(base)}`,
    ...orderedJoins,
    ...(where ? [`WHERE ${where}`] : []),
    ...(dimensions.length ? [`GROUP BY ${dimensions.map((_d, i) => i + 1).join(', ')}`, `ORDER BY ${dimensions.map((_d, i) => i + 1).join(', ')}`] : []),
  ].join('\n');
}

function tableOf(view: ParsedView, dateFilters?: Record<string, string>): string {
  if (view.sql_table_name) return view.sql_table_name.trim();
  if (view.derived_table?.sql) return `(\n${withDateFilters(view.derived_table.sql.trim(), dateFilters)}\n)`;
  throw new Error(`View ${view.$name} has neither sql_table_name nor derived_table`);
}
