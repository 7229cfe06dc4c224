/**
 * Calendar dates as the iWmo messages and the client register write them: `YYYY-MM-DD`, no time,
 * no zone (LDT_Datum). Internally a date is a *day number* (days since 1970-01-01, UTC), so that
 * period arithmetic is integer arithmetic and never touches the local time zone.
 */


// Integer calendar arithmetic (the proleptic Gregorian "days from civil" algorithm): these run for
// every line of every message, where Date objects and toISOString cost more than the rest of the
// line. Checked against Date.UTC for every day of 1900–2100 in units.test.ts.

// The last two dates read and their day numbers: a declaration line's start and end are read at
// the boundary and again by the engine, and consecutive lines mostly have the same period.
let lastText = '';
let lastDay: number | undefined;
let otherText = '';
let otherDay: number | undefined;

/** Day number of an ISO date, or `undefined` when the text is not a real calendar date. */
export function parseIsoDate(text: string): number | undefined {
  if (text === lastText) return lastDay;
  if (text === otherText) return otherDay;
  const day = readIsoDate(text);
  otherText = lastText;
  otherDay = lastDay;
  lastText = text;
  lastDay = day;
  return day;
}

function readIsoDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 0 || day < 0) return undefined;
  return dayNumberOf(year, month, day);
}

/** The number written by the digits text[from..to), or -1 when one of them is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Day number of a calendar date, or `undefined` when it does not exist (31 February). */
export function dayNumberOf(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return undefined;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Day number of an ISO date that is known to be valid (validated at the boundary). */
export function dayNumber(text: string): number {
  const value = parseIsoDate(text);
  if (value === undefined) throw new RangeError(`not a calendar date: ${JSON.stringify(text)}`);
  return value;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** ISO text of a day number. */
export function isoDate(dayNumber: number): string {
  const date = dateNumber(dayNumber);
  const year = Math.floor(date / 10000);
  const monthDay = date - year * 10000;
  return `${year >= 0 && year < 10000 ? String(year).padStart(4, '0') : year}-${TWO_DIGITS[Math.floor(monthDay / 100)]}-${TWO_DIGITS[monthDay % 100]}`;
}

/** The calendar date of a day number as the number yyyymmdd (year × 10,000 + month × 100 + day). */
export function dateNumber(dayNumber: number): number {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10000 + month * 100 + day;
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

/**
 * `ageOn` of day numbers: the difference of the dates as yyyymmdd numbers, in whole ten
 * thousands (the years; the month and day decide whether the last one is complete).
 */
export function ageOnDay(birthDay: number, referenceDay: number): number {
  return Math.floor((dateNumber(referenceDay) - dateNumber(birthDay)) / 10000);
}
