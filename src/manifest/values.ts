/**
 * The Jinja that turns a Service Layer value into the value the connector emits for a column, by
 * the column's JSON schema: tYES/tNO become booleans, v2 dates ("2024-01-15T00:00:00Z") and v1
 * dates ("2024-01-15") become ISO dates, times become HH:MM:SS, text stays text even when it looks
 * like a number (src/streams/normalize.ts does the same in the image). A value that does not fit
 * its column becomes null; unlike the image, the engine cannot report it in the record's
 * meta.changes. Each template binds the source value once ({% set %}) and renders the result as a
 * Python literal (see jinja.ts).
 */
import { mainType, type JsonSchemaFragment } from '../json-schema.js';
import { exactValue, pyString } from './jinja.js';

/** An ISO date from the v1 or v2 date in `v` (or the compact YYYYMMDD form), else none. */
export function dateExpression(v: string): string {
  return (
    `(${v}[:10] if ${v} is string and ${v}|length >= 10 and ${v}[4:5] == '-' ` +
    `else ((${v}[:4] ~ '-' ~ ${v}[4:6] ~ '-' ~ ${v}[6:8]) if ${v} is string and ${v}|length == 8 else none))`
  );
}

/** HH:MM:SS from HH:MM or HH:MM:SS in `v` (fractions dropped), else none. */
export function timeExpression(v: string): string {
  return `((${v}[:8] if ${v}|length >= 8 else ${v}[:5] ~ ':00') if ${v} is string and ${v}|length >= 5 and ${v}[2:3] == ':' else none)`;
}

/** The normalized value of the variable `v` for a column of the given schema. */
export function valueExpression(v: string, schema: JsonSchemaFragment): string {
  switch (mainType(schema)) {
    case 'boolean':
      return `((${v} == 'tYES') if ${v} in ('tYES', 'tNO') else (${v} if ${v} is boolean else none))`;
    case 'integer':
      return `(${v}|int if ${v} is number and ${v} is not boolean and ${v}|int == ${v} else none)`;
    case 'number':
      return `(${v} if ${v} is number and ${v} is not boolean else none)`;
    case 'string':
      if (schema.format === 'date') return dateExpression(v);
      if (schema.format === 'time') return timeExpression(v);
      return `(${v} if ${v} is string else ((${v} ~ '') if ${v} is number and ${v} is not boolean else none))`;
    default:
      return v;
  }
}

/** `{% set v = source %}` then the exact normalized value of v. */
export function columnValueTemplate(source: string, schema: JsonSchemaFragment): string {
  return `{% set v = ${source} %}${exactValue(valueExpression('v', schema))}`;
}

/** updated_at: the company-local change date and time of day (no zone), as the image combines them (normalize.ts combineDateTime). */
export function timestampTemplate(dateSource: string, timeSource: string | undefined): string {
  const time = timeSource === undefined ? `'00:00:00'` : `(${timeExpression('t')} or '00:00:00')`;
  return (
    `{% set d = ${dateSource} %}{% set t = ${timeSource ?? 'none'} %}{% set day = ${dateExpression('d')} %}` +
    exactValue(`(day ~ 'T' ~ ${time}) if day else none`)
  );
}

/**
 * A nested collection kept as one JSON column (DistributionRule.DistributionRuleLines): a list of
 * objects whose keys are the column names of its item schema. The engine has no list
 * comprehension, so the template writes the list as a Python literal, each item value exact.
 */
export function nestedRowsTemplate(source: string, schema: JsonSchemaFragment): string | undefined {
  const items = schema.items;
  if (mainType(schema) !== 'array' || !items?.properties) return undefined;
  const fields = Object.entries(items.properties).map(([column, fragment]) => {
    const property = fragment['x-b1-property'] ?? column;
    return `${pyString(column)}: {% set v = row.get(${pyString(property)}) %}${exactValue(valueExpression('v', fragment))}`;
  });
  return (
    `{% set rows = ${source} %}{% if rows is none or rows is string or rows is mapping %}None` +
    `{% else %}[{% for row in rows %}{${fields.join(', ')}}, {% endfor %}]{% endif %}`
  );
}
