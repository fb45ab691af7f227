/**
 * Reads a generated LookML project back with the independent lookml-parser from the registry
 * and checks it the way Looker's validator would for what we use: every file parses, manifest
 * constants (@{NAME}) are defined and substituted as Looker does, every explore's views and joins
 * exist, every ${view.field} and ${field} reference, drill field and set member resolves, every
 * templated filter read in SQL exists, every view has one primary key, and only documented
 * parameters appear where we put them.
 */
import lookmlParser from 'lookml-parser';

export interface ParsedField {
  $name: string;
  label?: string;
  description?: string;
  group_label?: string;
  drill_fields?: string[];
  type?: string;
  sql?: string;
  primary_key?: boolean;
  hidden?: boolean;
  timeframes?: string[];
  datatype?: string;
  convert_tz?: boolean;
  value_format_name?: string;
  value_format?: string;
  [key: string]: unknown;
}

export interface ParsedView {
  $name: string;
  sql_table_name?: string;
  derived_table?: { sql?: string; datagroup_trigger?: string };
  dimension?: Record<string, ParsedField>;
  dimension_group?: Record<string, ParsedField>;
  measure?: Record<string, ParsedField>;
  filter?: Record<string, ParsedField>;
  set?: Record<string, { $name: string; fields?: string[] }>;
  drill_fields?: string[];
  [key: string]: unknown;
}

export interface ParsedJoin {
  $name: string;
  from?: string;
  sql_on?: string;
  relationship?: string;
  type?: string;
  [key: string]: unknown;
}

export interface ParsedExplore {
  $name: string;
  view_name?: string;
  from?: string;
  join?: Record<string, ParsedJoin>;
  always_join?: string[];
  sql_always_where?: string;
  [key: string]: unknown;
}

export interface ParsedModel {
  $name: string;
  connection?: string;
  include?: string | string[];
  persist_with?: string;
  datagroup?: Record<string, { sql_trigger?: string; max_cache_age?: string; [key: string]: unknown }>;
  explore?: Record<string, ParsedExplore>;
  view?: Record<string, ParsedView>;
  [key: string]: unknown;
}

const quiet = { log() {}, warn() {}, error() {} };

/** The constants of manifest.lkml, by name. */
function manifestConstants(files: Map<string, string>): Map<string, string> {
  const manifest = files.get('manifest.lkml');
  if (manifest === undefined) return new Map();
  const parsed = lookmlParser.parse(manifest) as { constant?: Record<string, { value?: string }> };
  return new Map(Object.entries(parsed.constant ?? {}).map(([name, c]) => [name, c.value ?? '']));
}

/**
 * Substitutes @{NAME} with the manifest's constants, as Looker does before reading the LookML;
 * throws naming any constant the manifest lacks.
 */
export function withConstants(files: Map<string, string>): Map<string, string> {
  const constants = manifestConstants(files);
  const out = new Map<string, string>();
  for (const [path, content] of files) {
    out.set(
      path,
      path === 'manifest.lkml'
        ? content
        : content.replace(/@\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
            const value = constants.get(name);
            if (value === undefined) throw new Error(`${path} uses constant @{${name}}, which manifest.lkml does not define`);
            return value;
          }),
    );
  }
  return out;
}

/** Parses every file (constants substituted); throws with the parser's message when any file does not parse. */
export async function parseProject(raw: Map<string, string>): Promise<{ model: ParsedModel; files: Record<string, Record<string, unknown>> }> {
  const files = withConstants(raw);
  const project = await lookmlParser.parseFiles({ source: [...files].map(([path, content]) => ({ path, content })), fileOutput: 'by-name', console: quiet });
  const errors = project.errors ?? [];
  if (errors.length) {
    throw new Error(`LookML parse errors:\n${errors.map((e) => `${e.$file_path}: ${String((e.error as { toString(): string }).toString())}`).join('\n')}`);
  }
  for (const [name, file] of Object.entries(project.file)) {
    if ('error' in file) throw new Error(`LookML parse error in ${name}: ${String(file.error)}`);
  }
  const models = Object.values(project.model).filter((m) => !('error' in m)) as ParsedModel[];
  if (models.length !== 1) throw new Error(`Expected one model, found ${models.length}`);
  return { model: models[0]!, files: project.file };
}

/** Names a view answers to in ${view.field}: dimensions, each time frame of a group, measures. */
export function fieldNames(view: ParsedView): Set<string> {
  const names = new Set<string>();
  for (const name of Object.keys(view.dimension ?? {})) names.add(name);
  for (const [name, group] of Object.entries(view.dimension_group ?? {})) for (const tf of group.timeframes ?? []) names.add(`${name}_${tf}`);
  for (const name of Object.keys(view.measure ?? {})) names.add(name);
  return names;
}

export function allFields(view: ParsedView): ParsedField[] {
  return [...Object.values(view.dimension ?? {}), ...Object.values(view.dimension_group ?? {}), ...Object.values(view.measure ?? {})];
}

/** ${x} and ${x.y} references in a SQL string (not ${TABLE}). */
export function references(sql: string): { view: string | undefined; field: string }[] {
  return [...sql.matchAll(/\$\{([a-z0-9_]+)(?:\.([a-z0-9_]+))?\}/g)]
    .filter((m) => m[1] !== 'TABLE')
    .map((m) => (m[2] === undefined ? { view: undefined, field: m[1]! } : { view: m[1]!, field: m[2] }));
}

export function baseViewOf(name: string, explore: ParsedExplore): string {
  return explore.view_name ?? explore.from ?? name;
}

/** The view behind each alias usable in an explore: the base view and every join. */
export function exploreAliases(name: string, explore: ParsedExplore): Map<string, string> {
  const aliases = new Map<string, string>([[baseViewOf(name, explore), baseViewOf(name, explore)]]);
  for (const [joinName, join] of Object.entries(explore.join ?? {})) aliases.set(joinName, join.from ?? joinName);
  return aliases;
}

const ALLOWED: Record<string, Set<string>> = {
  model: new Set(['connection', 'include', 'datagroup', 'persist_with', 'explore', 'view']),
  datagroup: new Set(['label', 'description', 'sql_trigger', 'max_cache_age']),
  explore: new Set(['view_name', 'from', 'label', 'description', 'always_join', 'sql_always_where', 'join']),
  join: new Set(['from', 'view_label', 'type', 'relationship', 'fields', 'sql_on']),
  view: new Set(['sql_table_name', 'derived_table', 'dimension', 'dimension_group', 'measure', 'filter', 'set', 'drill_fields', 'label']),
  derived_table: new Set(['sql', 'datagroup_trigger']),
  dimension: new Set(['primary_key', 'hidden', 'type', 'label', 'group_label', 'description', 'value_format_name', 'value_format', 'order_by_field', 'drill_fields', 'sql']),
  dimension_group: new Set(['hidden', 'type', 'timeframes', 'datatype', 'convert_tz', 'label', 'group_label', 'description', 'sql']),
  measure: new Set(['hidden', 'type', 'label', 'group_label', 'description', 'value_format_name', 'value_format', 'drill_fields', 'sql']),
  filter: new Set(['type', 'label', 'description']),
  set: new Set(['fields']),
};

/** Templated filters a SQL text reads: {% date_start x %}, {% condition x %}... */
export function templatedFilters(sql: string): string[] {
  return [...sql.matchAll(/\{%\s*(?:date_start|date_end|condition|parameter)\s+([a-z0-9_]+)\s*%\}/g)].map((m) => m[1]!);
}

function checkKeys(kind: string, name: string, node: Record<string, unknown>, problems: string[]): void {
  for (const key of Object.keys(node)) {
    if (key.startsWith('$')) continue;
    if (!ALLOWED[kind]!.has(key)) problems.push(`${kind} ${name}: unexpected parameter ${key}`);
  }
}

/** Every problem Looker's validator would report for the constructs we generate; empty when consistent. */
export function referenceProblems(model: ParsedModel): string[] {
  const problems: string[] = [];
  const views = model.view ?? {};
  checkKeys('model', model.$name, model, problems);
  for (const [name, datagroup] of Object.entries(model.datagroup ?? {})) checkKeys('datagroup', name, datagroup, problems);
  if (model.persist_with && !model.datagroup?.[model.persist_with]) problems.push(`persist_with ${model.persist_with} is not a datagroup`);

  for (const [name, view] of Object.entries(views)) {
    checkKeys('view', name, view, problems);
    if (view.derived_table) checkKeys('derived_table', name, view.derived_table, problems);
    if (!view.sql_table_name === !view.derived_table) problems.push(`view ${name}: needs exactly one of sql_table_name and derived_table`);
    const keys = Object.values(view.dimension ?? {}).filter((d) => d.primary_key);
    if (keys.length !== 1) problems.push(`view ${name}: ${keys.length} primary keys`);
    for (const kind of ['dimension', 'dimension_group', 'measure'] as const) {
      for (const [fieldName, field] of Object.entries(view[kind] ?? {})) checkKeys(kind, `${name}.${fieldName}`, field, problems);
    }
    for (const [setName, set] of Object.entries(view.set ?? {})) checkKeys('set', `${name}.${setName}`, set, problems);
    for (const [filterName, filter] of Object.entries(view.filter ?? {})) checkKeys('filter', `${name}.${filterName}`, filter, problems);
    const own = fieldNames(view);
    const sets = new Set(Object.keys(view.set ?? {}));
    const ownFieldList = (where: string, list: string[] | undefined) => {
      for (const entry of list ?? []) {
        if (entry.includes('.')) continue; // resolved in the explores that join the view
        if (entry.endsWith('*') ? !sets.has(entry.slice(0, -1)) : !own.has(entry)) problems.push(`view ${name}, ${where}: ${entry} is not a field or set of the view`);
      }
    };
    ownFieldList('drill_fields', view.drill_fields);
    for (const [setName, set] of Object.entries(view.set ?? {})) ownFieldList(`set ${setName}`, set.fields);
    for (const field of allFields(view)) {
      for (const ref of references(field.sql ?? '')) {
        if (ref.view === undefined && !own.has(ref.field)) problems.push(`view ${name}, field ${field.$name}: \${${ref.field}} is not a field of the view`);
      }
      ownFieldList(`field ${field.$name} drill_fields`, field.drill_fields);
      if (field.type !== 'count' && field.sql === undefined) problems.push(`view ${name}, field ${field.$name}: no sql`);
    }
    const sqlTexts = [view.derived_table?.sql ?? '', ...allFields(view).map((f) => f.sql ?? '')];
    for (const filter of sqlTexts.flatMap(templatedFilters)) {
      if (!view.filter?.[filter]) problems.push(`view ${name}: SQL reads templated filter ${filter}, which the view does not define`);
    }
  }

  for (const [name, explore] of Object.entries(model.explore ?? {})) {
    checkKeys('explore', name, explore, problems);
    const aliases = exploreAliases(name, explore);
    for (const [alias, view] of aliases) if (!views[view]) problems.push(`explore ${name}: ${alias} refers to missing view ${view}`);
    const resolve = (where: string, sql: string) => {
      for (const ref of references(sql)) {
        if (ref.view === undefined) {
          problems.push(`explore ${name}, ${where}: unqualified reference \${${ref.field}}`);
          continue;
        }
        const view = aliases.get(ref.view);
        if (!view) problems.push(`explore ${name}, ${where}: \${${ref.view}.${ref.field}} names no view or join of the explore`);
        else if (views[view] && !fieldNames(views[view]).has(ref.field)) problems.push(`explore ${name}, ${where}: ${view} has no field ${ref.field}`);
      }
    };
    for (const [joinName, join] of Object.entries(explore.join ?? {})) {
      checkKeys('join', `${name}.${joinName}`, join, problems);
      if (!join.sql_on) problems.push(`explore ${name}, join ${joinName}: no sql_on`);
      else resolve(`join ${joinName}`, join.sql_on);
      if (!join.relationship) problems.push(`explore ${name}, join ${joinName}: no relationship`);
      const joined = views[join.from ?? joinName];
      for (const entry of (join.fields as string[] | undefined) ?? []) {
        const known = entry.endsWith('*') ? Boolean(joined?.set?.[entry.slice(0, -1)]) : Boolean(joined && fieldNames(joined).has(entry));
        if (!known) problems.push(`explore ${name}, join ${joinName}: fields names ${entry}, which ${join.from ?? joinName} does not have`);
      }
    }
    if (explore.sql_always_where) resolve('sql_always_where', explore.sql_always_where);
    for (const joinName of explore.always_join ?? []) if (!explore.join?.[joinName]) problems.push(`explore ${name}: always_join ${joinName} is not a join`);
    // Fields of the explore's views that reach into other views must find them here.
    for (const [alias, viewName] of aliases) {
      const view = views[viewName];
      if (!view) continue;
      for (const field of allFields(view)) resolve(`field ${alias}.${field.$name}`, (field.sql ?? '').replace(/\$\{[a-z0-9_]+\}/g, ''));
      const lists = [view.drill_fields, ...Object.values(view.set ?? {}).map((s) => s.fields), ...allFields(view).map((f) => f.drill_fields)];
      for (const entry of lists.flatMap((l) => l ?? []).filter((e) => e.includes('.'))) resolve(`drill or set of ${alias}`, `\${${entry.replace(/\*$/, '')}}`);
    }
  }
  return problems;
}

/** Visible fields (not hidden) without a label or a description: Looker would show raw names or nothing. */
export function presentationProblems(model: ParsedModel): string[] {
  const problems: string[] = [];
  for (const [name, view] of Object.entries(model.view ?? {})) {
    for (const field of [...allFields(view), ...Object.values(view.filter ?? {})]) {
      if (field.hidden) continue;
      if (!field.label) problems.push(`${name}.${field.$name}: no label`);
      if (!field.description) problems.push(`${name}.${field.$name}: no description`);
    }
  }
  return problems;
}

/** Whether a join shows a field of its view: all of them, or those its fields parameter lists (a dimension group by any of its timeframes). */
function joinFieldFilter(join: ParsedJoin | undefined, view: ParsedView | undefined): (field: ParsedField) => boolean {
  const listed = join?.fields as string[] | undefined;
  if (!listed) return () => true;
  const names = new Set(listed.flatMap((entry) => (entry.endsWith('*') ? (view?.set?.[entry.slice(0, -1)]?.fields ?? []) : [entry])));
  return (field) => names.has(field.$name) || ((field as { timeframes?: string[] }).timeframes ?? []).some((tf) => names.has(`${field.$name}_${tf}`));
}

/** The fields an explore shows in its field picker: visible fields of its base view and joins (a dimension group counts once). */
export function visibleFields(model: ParsedModel, exploreName: string): string[] {
  const explore = model.explore?.[exploreName];
  if (!explore) throw new Error(`No explore ${exploreName}`);
  const fields: string[] = [];
  for (const [alias, viewName] of exploreAliases(exploreName, explore)) {
    const view = model.view?.[viewName];
    const shown = joinFieldFilter(explore.join?.[alias], view);
    for (const field of [...allFields(view ?? ({} as ParsedView)), ...Object.values(view?.filter ?? {})]) if (!field.hidden && shown(field)) fields.push(`${alias}.${field.$name}`);
  }
  return fields;
}
