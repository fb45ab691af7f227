/**
 * Settings that are valid but probably not what the user meant: a name the spec does not know (a
 * typo such as page_sise, at any depth, including inside the chosen authentication or TLS option),
 * and a start_date in the future. They stop nothing, so that a config written for a newer version
 * still runs (the spec allows additional properties, as Airbyte requires); every command logs them,
 * and check names them in its answer, because Airbyte's form shows that answer and not the log.
 */
import { addDays } from '../streams/cursor/ordering.js';
import { chosenBranch, type SpecSchema } from './spec-schema.js';

export function configWarnings(schema: SpecSchema, config: Record<string, unknown>, today: string): string[] {
  const warnings = unknownSettings(schema, config, '').map((path) => `${path} is not a known setting and is ignored (is it misspelt?)`);
  const startDate = config['start_date'];
  // A day of slack: the company's date may be ahead of this machine's UTC date.
  if (typeof startDate === 'string' && startDate > addDays(today, 1)) {
    warnings.push(
      `start_date ${startDate} is in the future, so the first sync of the incremental streams reads none of their records; ` +
        'set a past date, or leave it empty to read all history',
    );
  }
  return warnings;
}

function unknownSettings(schema: SpecSchema, value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((item, index) => unknownSettings(schema.items!, item, `${path}.${index}`)) : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const branch = schema.oneOf ? chosenBranch(schema, record) : schema;
  // An object without declared properties (or an alternative that matched no branch, already an
  // error) has nothing to compare with.
  const properties = branch?.properties;
  if (!properties) return [];
  return Object.entries(record).flatMap(([key, child]) => {
    const childPath = path === '' ? key : `${path}.${key}`;
    const property = properties[key];
    return property === undefined ? [childPath] : unknownSettings(property, child, childPath);
  });
}
