/**
 * key_and_posting_window: for entities that carry no change stamp (journal entries, payments).
 * New records are found by key, which grows with every new record (JdtNum, DocEntry); records
 * posted within a re-read window (reread_window_days) are read again to pick up later changes,
 * such as a payment cancelled weeks after it was posted, which moves no stamp.
 *
 * The window hangs off the day the previous pass started (not today), so that a state from the
 * future reads nothing, like every other cursor. A first read reads from start_date by posting
 * date, or everything.
 *
 * Saved state: {"max_key": highest key read, "since": day the last finished pass started} after a
 * finished pass (or {} when none has read a record), and a pass bound {"key_above", "window_since"}.
 */
import { configSetting, pyString, template } from '../../manifest/jinja.js';
import { specDefault } from '../../manifest/spec.js';
import { stringLiteral } from '../../service-layer/odata.js';
import type { StreamDefinition } from '../definitions.js';
import { addDays, earliest, keyLiteral, latest, type KeyValue } from './ordering.js';
import { DAY_FORMAT, readPass, type CursorModule, type CursorPolicy } from './policy.js';

export interface KeyAndPostingWindowState {
  /** Highest key read by a finished pass: the next reads the keys above it. Saved as `max_key`. */
  maxKey: KeyValue;
  /** The day the last finished pass started: the next pass's re-read window ends on it (today when absent). Saved as `since`. */
  windowEndsOn?: string;
}

export type KeyAndPostingWindowBound = {
  /** Records with a key above this one... Saved as `key_above`. */
  keyAbove?: KeyValue;
  /** ...or posted on or after this day. Saved as `window_since`. */
  postedSince?: string;
};

export function keyAndPostingWindowPolicy(
  definition: StreamDefinition,
  postingDateProperty: string,
): CursorPolicy<KeyAndPostingWindowState, KeyAndPostingWindowBound> {
  const { key } = definition;
  return {
    kind: 'key_and_posting_window',
    tracksMaxKey: true,

    readState(saved) {
      if (saved.since !== undefined && saved.max_key === undefined) {
        return { problem: 'it has "since" without "max_key"; this stream keeps {"max_key": <highest key read>, "since": "YYYY-MM-DD"}' };
      }
      if (saved.pass?.bound.since !== undefined)
        return { problem: 'pass.bound has "since"; this stream\'s passes are bound by "key_above" and "window_since"' };
      return {
        state: {
          finished:
            saved.max_key === undefined ? undefined : { maxKey: saved.max_key, ...(saved.since !== undefined ? { windowEndsOn: saved.since } : {}) },
          pass: readPass(saved.pass, (bound) => ({
            ...(bound.key_above !== undefined ? { keyAbove: bound.key_above } : {}),
            ...(bound.window_since !== undefined ? { postedSince: bound.window_since } : {}),
          })),
        },
      };
    },
    writeFinished: (finished) =>
      finished === undefined ? {} : { max_key: finished.maxKey, ...(finished.windowEndsOn !== undefined ? { since: finished.windowEndsOn } : {}) },
    writeBound: (bound) => ({
      ...(bound.keyAbove !== undefined ? { key_above: bound.keyAbove } : {}),
      ...(bound.postedSince !== undefined ? { window_since: bound.postedSince } : {}),
    }),

    freshBound(finished, settings) {
      if (finished !== undefined) {
        const windowEnd = finished.windowEndsOn ?? settings.today;
        return { keyAbove: finished.maxKey, postedSince: earliest(addDays(windowEnd, -settings.rereadWindowDays), settings.replaySince)! };
      }
      if (settings.startDate !== undefined) return { postedSince: earliest(settings.startDate, settings.replaySince)! };
      return {};
    },
    boundFilter(bound) {
      const parts: string[] = [];
      if (bound.keyAbove !== undefined) parts.push(`${key} gt ${keyLiteral(bound.keyAbove)}`);
      if (bound.postedSince !== undefined) parts.push(`${postingDateProperty} ge ${stringLiteral(bound.postedSince)}`);
      if (parts.length === 0) return undefined;
      return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
    },
    completed(previous, startedOn, maxKey) {
      const max = latest(previous?.maxKey, maxKey);
      // Cursors never move backwards: a state in the future stays (the read warns about it).
      return max === undefined ? undefined : { maxKey: max, windowEndsOn: latest(previous?.windowEndsOn, startedOn)! };
    },
    countsFrom: (finished) => finished?.windowEndsOn,

    parentCursorField: (keyColumn) => keyColumn,
    childCursorField: (child) => child.parentKeyColumn,

    /**
     * IncrementingCountCursor on the key, whose state is the highest key seen
     * (incrementing_count_stream_state_converter.py). Its slice starts at that key, under the name
     * 'start' (concurrent/cursor.py _slice_boundary_fields_wrapper: the converter's START_KEY when
     * the cursor has no slice boundary fields), and the filter reads new keys or records posted
     * within the re-read window, counted back from today; a first sync reads from start_date by
     * posting date, or everything. The window is today-based, where the image counts it from the
     * previous pass's day.
     */
    manifest: {
      filter() {
        const window = `day_delta(-(${configSetting('reread_window_days', specDefault('reread_window_days'))}|int), format=${pyString(DAY_FORMAT)})`;
        const lastKey = `stream_interval.get('start', 0)|int`;
        return (
          `{% if ${lastKey} > 0 %}(${key} gt ${template(lastKey)} or ${postingDateProperty} ge '${template(window)}')` +
          `{% elif config.get('start_date') %}${postingDateProperty} ge '${template(`config.get('start_date')`)}'{% endif %}`
        );
      },
      incrementalSync: (cursorField) => ({ type: 'IncrementingCountCursor', cursor_field: cursorField, start_value: 0 }),
    },
  };
}

export const keyAndPostingWindow: CursorModule<'key_and_posting_window'> = {
  create: (definition, declared) => keyAndPostingWindowPolicy(definition, declared.postingDateProperty),
  declare: (entry) =>
    entry.posting_date_property
      ? { kind: 'key_and_posting_window', postingDateProperty: entry.posting_date_property }
      : { missingSetting: 'posting_date_property (the date a record is posted on, e.g. DocDate)' },
};
