import { dayNumberOf, isoDate, parseIsoDate } from '@wmo-toolkit/core';
import type { Mapping } from './mapping.js';

/**
 * Amounts as exports write them, to whole cents without floating point: `1.234,56`, `1234,56`,
 * `-12,50`, `€ 12,50`, `1234.56` (with decimal '.'), or cents `123456`. Undefined when the text
 * is not one amount (`12,3,4`, `1,234`, `abc`).
 */
export function parseAmount(text: string, format: Mapping['amount']): number | undefined {
  // the common case first: digits with at most two decimals, no sign, no thousands separator
  if (format.format === 'euros') {
    const plain = plainCents(text, 0, text.length, format.decimal.charCodeAt(0));
    if (plain >= 0) return plain;
  }
  let t = text.trim().replace(/^€\s*/, '').replace(/\s+/g, '');
  if (t === '') return undefined;
  let sign = 1;
  if (t.startsWith('-')) {
    sign = -1;
    t = t.slice(1);
  } else if (t.endsWith('-')) {
    sign = -1; // some systems write a trailing minus
    t = t.slice(0, -1);
  }
  if (format.format === 'cents') return /^\d+$/.test(t) ? sign * Number(t) : undefined;
  const thousands = format.decimal === ',' ? '.' : ',';
  const pattern = format.decimal === ',' ? /^(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$/ : /^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/;
  if (!pattern.test(t)) return undefined;
  const [whole, fraction = ''] = t.split(thousands).join('').split(format.decimal) as [string, string?];
  return sign * (Number(whole) * 100 + Number(fraction.padEnd(2, '0')));
}

/**
 * The cents of a plain amount — 1 to 12 digits, then the decimal character and one or two digits
 * or nothing — read from the characters of the text; -1 for anything else (parseAmount reads the other forms).
 */
export function plainCents(text: string, start: number, end: number, decimal: number): number {
  if (start < 0) return -1; // a quoted field
  let whole = 0;
  let i = start;
  while (i < end && i - start < 13) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    i++;
  }
  const digits = i - start;
  if (digits === 0 || digits > 12) return -1;
  if (i === end) return whole * 100;
  if (text.charCodeAt(i) !== decimal || end - i < 2 || end - i > 3) return -1;
  const d1 = text.charCodeAt(i + 1) - 48;
  if (d1 < 0 || d1 > 9) return -1;
  if (end - i === 2) return whole * 100 + d1 * 10;
  const d2 = text.charCodeAt(i + 2) - 48;
  if (d2 < 0 || d2 > 9) return -1;
  return whole * 100 + d1 * 10 + d2;
}

const DATE_PATTERNS: Record<Mapping['dates'][number], RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'DD-MM-YYYY': /^(?<d>\d{2})-(?<m>\d{2})-(?<y>\d{4})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  'DD/MM/YYYY': /^(?<d>\d{2})\/(?<m>\d{2})\/(?<y>\d{4})$/,
  'D-M-YYYY': /^(?<d>\d{1,2})-(?<m>\d{1,2})-(?<y>\d{4})$/,
};

/** An ISO date from any of the allowed formats; undefined for a date that does not exist (31-02-2023). */
export function parseDate(text: string, formats: Mapping['dates']): string | undefined {
  // an ISO date is returned as it is when it exists (the common case, and no conversion)
  if (text.length === 10 && formats.includes('YYYY-MM-DD')) {
    if (parseIsoDate(text) !== undefined) return text;
  }
  const t = text.trim().split(/[ T]/)[0]!; // a time part (Excel) is dropped
  for (const format of formats) {
    const groups = DATE_PATTERNS[format].exec(t)?.groups;
    if (!groups) continue;
    const day = dayNumberOf(Number(groups.y), Number(groups.m), Number(groups.d));
    return day === undefined ? undefined : isoDate(day);
  }
  return undefined;
}
