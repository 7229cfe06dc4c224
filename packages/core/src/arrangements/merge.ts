import { dayNumber, isoDate } from '../dates.js';
import type { ArrangementRecord, ArrangementType, FinancingForm } from './record.js';

/**
 * One arrangement after the CBS merge (seed 004, "Methodologie", valid from WMO2020BUSV2):
 * 1. within a calendar year, all records of the same person with the same toewijzingsnummer and
 *    type become one;
 * 2. then records of the same gemeente, person, type and leveringsvorm (financieringsvorm) become
 *    one when their dates are equal, or one starts at most 3 days after the previous one ends, or
 *    one period lies inside the other.
 * Dates: the actual date wins, the intended one is the fallback (BegindatumWmo/EinddatumWmo).
 */
export interface Arrangement {
  municipality: string;
  clientKey: string;
  type: ArrangementType;
  financing: FinancingForm;
  /** Day numbers; end Infinity while the arrangement runs on. */
  start: number;
  end: number;
  endReason: string | null;
  /** How many delivered records it was merged from. */
  records: number;
}

export interface MergeOutcome {
  arrangements: Arrangement[];
  /** Records without any start date (neither actual nor intended): they cannot be placed. */
  withoutStart: ArrangementRecord[];
  /** Records that do not touch the year. */
  outsideYear: number;
  mergedByAllocation: number;
  mergedByPeriod: number;
}

/** The largest gap, in days between one end and the next start, that still merges (seed 004). */
export const MERGE_GAP_DAYS = 3;

export function mergeArrangements(records: readonly ArrangementRecord[], year: number): MergeOutcome {
  const yearStart = dayNumber(`${year}-01-01`);
  const yearEnd = dayNumber(`${year}-12-31`);
  const withoutStart: ArrangementRecord[] = [];
  let outsideYear = 0;
  let mergedByAllocation = 0;
  let mergedByPeriod = 0;

  // Step 1: same person, toewijzingsnummer and type within the year → one record.
  const byAllocation = new Map<string, Arrangement>();
  const loose: Arrangement[] = [];
  for (const record of records) {
    const startText = record.actualStart ?? record.intendedStart;
    if (!startText) {
      withoutStart.push(record);
      continue;
    }
    const start = dayNumber(startText);
    const endText = record.actualEnd ?? record.intendedEnd;
    const end = endText ? dayNumber(endText) : Infinity;
    if (end < yearStart || start > yearEnd) {
      outsideYear++;
      continue;
    }
    const arrangement: Arrangement = {
      municipality: record.municipality,
      clientKey: record.clientKey,
      type: record.type,
      financing: record.financing,
      start,
      end: Math.max(end, start),
      endReason: end === Infinity ? null : record.endReason,
      records: 1,
    };
    if (record.allocationNumber === null) {
      loose.push(arrangement);
      continue;
    }
    const key = `${record.clientKey}|${record.allocationNumber}|${record.type}`;
    const earlier = byAllocation.get(key);
    if (!earlier) {
      byAllocation.set(key, arrangement);
      continue;
    }
    mergedByAllocation++;
    absorb(earlier, arrangement);
  }

  // Step 2: same gemeente, person, type and financing: equal dates, a gap of at most 3 days, or
  // one inside the other. Sorted by start, a record joins the group when it starts at most 3 days
  // after the group's end so far; this also joins periods that overlap in part (a careful reading
  // of "starts at most 3 days after the previous ends", see docs/decisions.md).
  const groups = new Map<string, Arrangement[]>();
  for (const a of [...byAllocation.values(), ...loose]) {
    const key = `${a.municipality}|${a.clientKey}|${a.type}|${a.financing}`;
    const list = groups.get(key);
    if (list) list.push(a);
    else groups.set(key, [a]);
  }
  const arrangements: Arrangement[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let current: Arrangement | undefined;
    for (const a of list) {
      if (current && a.start <= current.end + MERGE_GAP_DAYS) {
        mergedByPeriod++;
        absorb(current, a);
      } else {
        current = { ...a };
        arrangements.push(current);
      }
    }
  }
  arrangements.sort((a, b) => (a.clientKey < b.clientKey ? -1 : a.clientKey > b.clientKey ? 1 : 0) || a.type.localeCompare(b.type) || a.start - b.start || a.financing.localeCompare(b.financing));
  return { arrangements, withoutStart, outsideYear, mergedByAllocation, mergedByPeriod };
}

/** Merges b into a: the earliest start, the latest end (open wins) with its end reason. */
function absorb(a: Arrangement, b: Arrangement): void {
  a.start = Math.min(a.start, b.start);
  if (b.end > a.end) {
    a.end = b.end;
    a.endReason = b.endReason;
  } else if (b.end === a.end && a.endReason === null) a.endReason = b.endReason;
  a.records += b.records;
}

export function formatCbsDate(day: number): string {
  return day === Infinity ? '' : isoDate(day).replaceAll('-', '');
}
