/**
 * Company-local dates and times. A local date-time is held as "local milliseconds": the number of ms since
 * 1970-01-01T00:00:00 of the company's wall clock (computed as if that wall clock were UTC), so day arithmetic
 * never meets a time zone.
 */

const MS_PER_DAY = 86_400_000;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseLocalDateTime(text: string): number {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) throw new Error(`Expected a company-local date-time 'YYYY-MM-DDTHH:MM:SS', got '${text}'`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(ms) || formatLocalDateTime(ms) !== text) throw new Error(`Not a valid date-time: '${text}'`);
  return ms;
}

export function formatLocalDateTime(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 19);
}

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' date, or undefined when it is not a real date. */
export function dayOfDate(date: string): number | undefined {
  const m = LOCAL_DATE.exec(date);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms) || dateOfDay(ms / MS_PER_DAY) !== date) return undefined;
  return ms / MS_PER_DAY;
}

const dateTexts = new Map<number, string>();

export function dateOfDay(day: number): string {
  let text = dateTexts.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (dateTexts.size < 100_000) dateTexts.set(day, text);
  }
  return text;
}

export function dayOfLocalMs(localMs: number): number {
  return Math.floor(localMs / MS_PER_DAY);
}

export function secondOfDayOfLocalMs(localMs: number): number {
  return Math.floor((localMs - dayOfLocalMs(localMs) * MS_PER_DAY) / 1000);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function timeOfSeconds(secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/** Seconds since midnight of 'HH:MM:SS', or undefined. */
export function secondsOfTime(time: string): number | undefined {
  const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3]);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return h * 3600 + mi * 60 + s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export { MS_PER_DAY };
