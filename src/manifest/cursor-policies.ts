/**
 * The manifest fragment of each cursor policy (streams/definitions.ts CursorPolicy), in one place
 * keyed by the policy: the $filter its requests carry and the stream's incremental_sync. Nothing
 * else in the manifest generator looks at the policy's kind.
 *
 * change_stamp: DatetimeBasedCursor on updated_at (parent_updated_at on lines), requests filtered
 * by the day-granular change date. The concurrent cursor keeps, as state, the latest cursor value
 * it saw (abstract_stream_state_converter.py, _get_latest_complete_time: most_recent_cursor_value),
 * written in datetime_format, so a day. The next sync starts lookback_window before that day,
 * never before start_datetime (concurrent/cursor.py, stream_slices and
 * _calculate_lower_boundary_of_last_slice; _split_per_slice_range clamps to the start). The
 * latest change seen is no later than the company's date when the read ran, and every later change
 * carries that date or a later one, so the `ge` filter from that day (less the one-day lookback and
 * the user's lookback_days) re-reads everything changed during or after the read, as the image's
 * re-read from the pass's start does. No step: one slice, so the filter has no upper bound and a
 * change dated ahead of the engine's UTC clock is still read.
 *
 * key_and_posting_window: IncrementingCountCursor on the key, whose state is the highest key seen
 * (incrementing_count_stream_state_converter.py). Its slice starts at that key, under the name
 * 'start' (concurrent/cursor.py _slice_boundary_fields_wrapper: the converter's START_KEY when the
 * cursor has no slice boundary fields), and the filter reads new keys or records posted within the
 * re-read window, counted back from today; a first sync reads from start_date by posting date, or
 * everything. The window is today-based, where the image counts it from the previous pass's day.
 *
 * none: full refresh, no filter.
 */
import type { CursorPolicy, StreamDefinition } from '../streams/definitions.js';
import type { Component } from './components.js';
import { configSetting, pyString, template } from './jinja.js';
import { specDefault } from './spec.js';

export interface ManifestCursor {
  /** The $filter template of every request of the entity set, or undefined to read everything. */
  filter(definition: StreamDefinition): string | undefined;
  /** The stream's incremental_sync component, or undefined when the stream is full refresh only. */
  incrementalSync(cursorField: string): Component | undefined;
}

/** Day-granular: the Service Layer compares change dates by day (see streams/cursor.ts). */
const DAY_FORMAT = '%Y-%m-%d';
/** updated_at and parent_updated_at as the image writes them: company-local, no zone. */
const STAMP_FORMAT = '%Y-%m-%dT%H:%M:%S';
/** Before any SAP Business One posting: "no start date" reads all history. */
const ALL_HISTORY = '1900-01-01';

const changeStamp: ManifestCursor = {
  filter(definition) {
    const dateProperty = definition.changeStamp?.dateProperty;
    if (dateProperty === undefined) throw new Error(`${definition.name}: a change_stamp stream needs a change date property`);
    return `${dateProperty} ge '{{ stream_interval.start_time }}'`;
  },
  incrementalSync(cursorField) {
    return {
      type: 'DatetimeBasedCursor',
      cursor_field: cursorField,
      cursor_datetime_formats: [STAMP_FORMAT],
      datetime_format: DAY_FORMAT,
      start_datetime: {
        type: 'MinMaxDatetime',
        datetime: template(`config.get('start_date') or ${pyString(ALL_HISTORY)}`),
        datetime_format: DAY_FORMAT,
      },
      lookback_window: `P${template(`1 + (${configSetting('lookback_days', specDefault('lookback_days'))}|int)`)}D`,
    };
  },
};

function keyAndPostingWindow(postingDateProperty: string): ManifestCursor {
  return {
    filter(definition) {
      const window = `day_delta(-(${configSetting('reread_window_days', specDefault('reread_window_days'))}|int), format=${pyString(DAY_FORMAT)})`;
      const lastKey = `stream_interval.get('start', 0)|int`;
      return (
        `{% if ${lastKey} > 0 %}(${definition.key} gt ${template(lastKey)} or ${postingDateProperty} ge '${template(window)}')` +
        `{% elif config.get('start_date') %}${postingDateProperty} ge '${template(`config.get('start_date')`)}'{% endif %}`
      );
    },
    incrementalSync(cursorField) {
      return { type: 'IncrementingCountCursor', cursor_field: cursorField, start_value: 0 };
    },
  };
}

const fullRefresh: ManifestCursor = {
  filter: () => undefined,
  incrementalSync: () => undefined,
};

const fragments: { [K in CursorPolicy['kind']]: (policy: Extract<CursorPolicy, { kind: K }>) => ManifestCursor } = {
  change_stamp: () => changeStamp,
  key_and_posting_window: (policy) => keyAndPostingWindow(policy.postingDateProperty),
  none: () => fullRefresh,
};

export function manifestCursor(policy: CursorPolicy): ManifestCursor {
  return (fragments[policy.kind] as (policy: CursorPolicy) => ManifestCursor)(policy);
}
