/**
 * Stream definitions for the entity sets a user adds in custom_entity_sets (user-defined tables
 * and objects, or standard entity sets we do not ship), so that they run through the same engine
 * as the shipped streams. Their columns come from the company's $metadata at discover time; their
 * cursor policy is the one the entry declares (cursor_policy), or the one its properties imply.
 */
import type { ResolvedConfig } from '../config/load.js';
import { configError } from '../errors.js';
import { snakeCase } from '../metadata/naming.js';
import { declareCursor } from './cursor/index.js';
import type { CursorKind, CustomEntitySet } from './cursor/policy.js';
import { shippedStreams, type StreamDefinition } from './definitions.js';

/**
 * What an entry without cursor_policy declares, as releases before cursor_policy read it: a change
 * date makes it change_stamp; else a posting date makes it key_and_posting_window; else none.
 */
function impliedCursorKind(entry: CustomEntitySet): CursorKind {
  if (entry.cursor_date_property) return 'change_stamp';
  if (entry.posting_date_property) return 'key_and_posting_window';
  return 'none';
}

export function customStreamDefinitions(config: Pick<ResolvedConfig, 'custom_entity_sets'>): StreamDefinition[] {
  const definitions: StreamDefinition[] = [];
  const taken = new Set(shippedStreams.flatMap((d) => [d.name, ...d.children.map((c) => c.name)]));
  for (const [index, entry] of (config.custom_entity_sets ?? []).entries()) {
    const name = entry.stream_name ?? snakeCase(entry.entity_set);
    const where = `custom_entity_sets[${index}] (${entry.entity_set})`;
    if (entry.line_collection && !entry.line_key) throw configError(`${where}: line_key is required with line_collection.`);
    const childName = `${name}_lines`;
    for (const candidate of entry.line_collection ? [name, childName] : [name]) {
      if (taken.has(candidate)) {
        throw configError(`${where}: the stream name ${candidate} is already used; set a different stream_name.`);
      }
      taken.add(candidate);
    }
    const kind = entry.cursor_policy ?? impliedCursorKind(entry);
    const cursor = declareCursor(kind, entry);
    if ('missingSetting' in cursor) throw configError(`${where}: cursor_policy ${kind} needs ${cursor.missingSetting}.`);
    definitions.push({
      name,
      entitySet: entry.entity_set,
      key: entry.primary_key,
      cursor,
      ...(entry.cursor_date_property
        ? {
            changeStamp: {
              dateProperty: entry.cursor_date_property,
              ...(entry.cursor_time_property ? { timeProperty: entry.cursor_time_property } : {}),
            },
          }
        : {}),
      children:
        entry.line_collection && entry.line_key
          ? [{ name: childName, collection: entry.line_collection, lineKey: [entry.line_key], parentKeyColumn: snakeCase(entry.primary_key) }]
          : [],
    });
  }
  return definitions;
}
