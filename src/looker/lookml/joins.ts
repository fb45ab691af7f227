/**
 * Explore joins that exist only when the catalog has what they need: the joined stream, the
 * columns their sql_on uses, and the joins they go through (item group via item). A join left
 * out is reported, never written as a reference to a view that does not exist.
 */
import { hasTable, missingColumns, type GeneratorContext } from './context.js';
import { bare, block, fieldList, quoted, sqlParam, type LookmlNode } from './lookml-text.js';

export interface JoinSpec {
  /** Join (alias) name, used in field references such as ${customer.card_code}. */
  name: string;
  /** The stream view joined, when it differs from the name. */
  from?: string;
  sqlOn: string;
  relationship: 'many_to_one' | 'one_to_one' | 'one_to_many';
  type?: 'left_outer' | 'inner';
  viewLabel?: string;
  /** Stream columns the sql_on reads, by stream; the joined stream itself is always required. */
  requires: { table: string; columns: string[] }[];
  /** Other joins of this explore that sql_on refers to. */
  through?: string[];
  /** The joined view is a derived view the subject generates (not a stream table): it always exists. */
  derived?: boolean;
  /** The only fields of the joined view the explore shows (join-level fields), when not all of them. */
  fields?: readonly string[];
}

export interface BuiltJoins {
  nodes: LookmlNode[];
  /** Names of the joins that were written. */
  kept: Set<string>;
  notes: string[];
}

/** Writes the joins whose requirements hold, in order; `explore` names the explore in notes. */
export function buildJoins(ctx: GeneratorContext, explore: string, specs: readonly JoinSpec[]): BuiltJoins {
  const kept = new Set<string>();
  const nodes: LookmlNode[] = [];
  const notes: string[] = [];
  for (const spec of specs) {
    const view = spec.from ?? spec.name;
    const problems: string[] = [];
    if (!spec.derived && !hasTable(ctx, view)) problems.push(`the catalog lacks the ${view} stream`);
    for (const r of spec.requires) {
      if (r.table !== view && !hasTable(ctx, r.table)) problems.push(`the catalog lacks the ${r.table} stream`);
      else if (hasTable(ctx, r.table)) {
        const lacking = missingColumns(ctx, r.table, r.columns);
        if (lacking.length) problems.push(`${r.table} lacks ${lacking.join(', ')}`);
      }
    }
    for (const other of spec.through ?? []) if (!kept.has(other)) problems.push(`it goes through the ${other} join, which is left out`);
    if (problems.length) {
      notes.push(`explore ${explore}: join ${spec.name} is left out because ${[...new Set(problems)].join('; ')}.`);
      continue;
    }
    const body: LookmlNode[] = [];
    if (spec.from) body.push(bare('from', spec.from));
    if (spec.viewLabel) body.push(quoted('view_label', spec.viewLabel));
    body.push(bare('type', spec.type ?? 'left_outer'));
    body.push(bare('relationship', spec.relationship));
    if (spec.fields) body.push(fieldList('fields', spec.fields));
    body.push(sqlParam('sql_on', spec.sqlOn));
    nodes.push(block('join', spec.name, body));
    kept.add(spec.name);
  }
  return { nodes, kept, notes };
}
