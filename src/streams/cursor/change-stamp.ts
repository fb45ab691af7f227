/**
 * change_stamp: every change moves the entity's change stamp (UpdateDate, a day), so a pass reads
 * the records changed on or after the day the previous pass started.
 *
 * Why a day and not the newest stamp seen (see README, "Incremental sync"): the Service Layer's
 * UpdateDate is a day and its UpdateTime filters compare hours and minutes while ignoring the
 * date, so the stamp cannot be a precise cursor; and "the newest stamp seen" misses records
 * changed behind the read position while the read ran. Re-reading from the day the previous pass
 * started (the server's date, less one day for any company time zone) reads everything changed
 * during or after it, including across midnight. Duplicates are expected; destinations
 * deduplicate by primary key.
 *
 * Saved state: {"since": day} after a finished pass, and a pass bound {"since": day}.
 */
import { configSetting, pyString, template } from '../../manifest/jinja.js';
import { specDefault } from '../../manifest/spec.js';
import { stringLiteral } from '../../service-layer/odata.js';
import { PARENT_UPDATED_AT, UPDATED_AT } from '../columns.js';
import type { StreamDefinition } from '../definitions.js';
import { addDays, earliest, latest } from './ordering.js';
import { DAY_FORMAT, readPass, type CursorModule, type CursorPolicy } from './policy.js';

export interface ChangeStampState {
  /** The day the last finished pass started: the next pass reads what changed on or after it (less lookback_days). Saved as `since`. */
  changedSince: string;
}

export type ChangeStampBound = {
  /** Records whose change date is on or after this day. Saved as `since`. */
  changedSince?: string;
};

/** updated_at and parent_updated_at as the image writes them: company-local, no zone. */
const STAMP_FORMAT = '%Y-%m-%dT%H:%M:%S';
/** Before any SAP Business One posting: "no start date" reads all history. */
const ALL_HISTORY = '1900-01-01';

export function changeStampPolicy(definition: StreamDefinition): CursorPolicy<ChangeStampState, ChangeStampBound> {
  const dateProperty = definition.changeStamp?.dateProperty;
  if (dateProperty === undefined) throw new Error(`${definition.name}: a change_stamp stream needs a change date property`);
  return {
    kind: 'change_stamp',
    tracksMaxKey: false,

    readState(saved) {
      if (saved.max_key !== undefined)
        return { problem: 'max_key belongs to journal entries and payments; this stream keeps {"since": "YYYY-MM-DD"}' };
      const boundFields = Object.keys(saved.pass?.bound ?? {});
      if (boundFields.some((field) => field !== 'since'))
        return { problem: `pass.bound has ${boundFields.join(', ')}; this stream's passes are bound by "since" only` };
      return {
        state: {
          finished: saved.since === undefined ? undefined : { changedSince: saved.since },
          pass: readPass(saved.pass, (bound) => (bound.since === undefined ? {} : { changedSince: bound.since })),
        },
      };
    },
    writeFinished: (finished) => (finished === undefined ? {} : { since: finished.changedSince }),
    writeBound: (bound) => (bound.changedSince === undefined ? {} : { since: bound.changedSince }),

    freshBound(finished, settings) {
      const from = finished !== undefined ? addDays(finished.changedSince, -settings.lookbackDays) : settings.startDate;
      return from === undefined ? {} : { changedSince: earliest(from, settings.replaySince)! };
    },
    boundFilter: (bound) => (bound.changedSince === undefined ? undefined : `${dateProperty} ge ${stringLiteral(bound.changedSince)}`),
    // Cursors never move backwards: a state in the future stays (the read warns about it).
    completed: (previous, startedOn) => ({ changedSince: latest(previous?.changedSince, startedOn)! }),
    countsFrom: (finished) => finished?.changedSince,

    parentCursorField: () => UPDATED_AT,
    childCursorField: () => PARENT_UPDATED_AT,

    /**
     * DatetimeBasedCursor on updated_at (parent_updated_at on lines), requests filtered by the
     * day-granular change date. The concurrent cursor keeps, as state, the latest cursor value it
     * saw (abstract_stream_state_converter.py, _get_latest_complete_time: most_recent_cursor_value),
     * written in datetime_format, so a day. The next sync starts lookback_window before that day,
     * never before start_datetime (concurrent/cursor.py, stream_slices and
     * _calculate_lower_boundary_of_last_slice; _split_per_slice_range clamps to the start). The
     * latest change seen is no later than the company's date when the read ran, and every later
     * change carries that date or a later one, so the `ge` filter from that day (less the one-day
     * lookback and the user's lookback_days) re-reads everything changed during or after the read,
     * as the image's re-read from the pass's start does. No step: one slice, so the filter has no
     * upper bound and a change dated ahead of the engine's UTC clock is still read.
     */
    manifest: {
      filter: () => `${dateProperty} ge '{{ stream_interval.start_time }}'`,
      incrementalSync: (cursorField) => ({
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
      }),
    },
  };
}

export const changeStamp: CursorModule<'change_stamp'> = {
  create: changeStampPolicy,
  declare: (entry) =>
    entry.cursor_date_property
      ? { kind: 'change_stamp' }
      : { missingSetting: 'cursor_date_property (the date every change of a record moves, e.g. UpdateDate)' },
};
