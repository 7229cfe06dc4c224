/**
 * Calendar dates as the iWmo messages and the client register write them: `YYYY-MM-DD`, no time,
 * no zone (LDT_Datum). Internally a date is a *day number* (days since 1970-01-01, UTC), so that
 * period arithmetic is integer arithmetic and never touches the local time zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of an ISO date, or `undefined` when the text is not a real calendar date. */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return dayNumberOf(year, month, day);
}

/** Day number of a calendar date, or `undefined` when it does not exist (31 February). */
export function dayNumberOf(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

/** Day number of an ISO date that is known to be valid (validated at the boundary). */
export function dayNumber(text: string): number {
  const value = parseIsoDate(text);
  if (value === undefined) throw new RangeError(`not a calendar date: ${JSON.stringify(text)}`);
  return value;
}

/** ISO text of a day number. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days in the closed interval [start, end]; 0 when end < start. */
export function daysInclusive(start: number, end: number): number {
  return end < start ? 0 : end - start + 1;
}

/** Days that the closed intervals [aStart, aEnd] and [bStart, bEnd] have in common. */
export function overlapDays(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return daysInclusive(Math.max(aStart, bStart), Math.min(aEnd, bEnd));
}

/**
 * Age in whole years on a reference date. A person born on 30 June is one year older on
 * 30 June; born on 1 July, not yet. A person born on 29 February ages on 1 March in common
 * years (irrelevant for the 30 June reference date of domain.md §3, but correct in general).
 */
export function ageOn(birthDate: string, referenceDate: string): number {
  const by = Number(birthDate.slice(0, 4));
  const bmd = Number(birthDate.slice(5, 7)) * 100 + Number(birthDate.slice(8, 10));
  const ry = Number(referenceDate.slice(0, 4));
  const rmd = Number(referenceDate.slice(5, 7)) * 100 + Number(referenceDate.slice(8, 10));
  return ry - by - (rmd < bmd ? 1 : 0);
}
