/**
 * Date and time literals in $filter, in every form the Service Layer accepts, reduced to what it compares:
 * a date property compares the calendar date only (any time part of the literal is dropped), a time property
 * compares hours and minutes only.
 */
import { dayOfDate } from '../model/dates.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** 'YYYY-MM-DD' of a date literal body ('2024-01-15', '20240115', '2024-01-15T10:00:00[Z]'), else undefined. */
export function dateOfLiteral(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  const parts = iso ?? COMPACT_DATE.exec(text);
  if (!parts) return undefined;
  const date = `${parts[1]}-${parts[2]}-${parts[3]}`;
  return dayOfDate(date) === undefined ? undefined : date;
}

/** Time part of a datetime literal body, if it has one. */
function timeOfDateTimeLiteral(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  if (!iso || iso[4] === undefined) return undefined;
  return `${iso[4]}:${iso[5]}:${iso[6] ?? '00'}`;
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const DURATION = /^-?P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)$/;

/**
 * Minutes since midnight of a time literal body ('10:15:30', '10:15', 'PT10H15M', or the time part of a
 * datetime), seconds dropped. Undefined when it is not a time.
 */
export function minutesOfLiteral(text: string): number | undefined {
  let h: number;
  let m: number;
  const clock = CLOCK.exec(text);
  const duration = clock ? null : DURATION.exec(text);
  if (clock) {
    h = Number(clock[1]);
    m = Number(clock[2]);
    if (clock[3] !== undefined && Number(clock[3]) > 59) return undefined;
  } else if (duration && (duration[1] ?? duration[2] ?? duration[3]) !== undefined) {
    h = Number(duration[1] ?? 0);
    m = Number(duration[2] ?? 0);
  } else {
    const fromDateTime = timeOfDateTimeLiteral(text);
    return fromDateTime === undefined ? undefined : minutesOfLiteral(fromDateTime);
  }
  if (h > 23 || m > 59) return undefined;
  return h * 60 + m;
}

/** Minutes since midnight of a stored 'HH:MM:SS' value. */
export function minutesOfTime(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}
