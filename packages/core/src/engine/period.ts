import { dayNumber, isoDate } from '../dates.js';

export type ReportingPeriod = 'Y' | 'H1';

export interface PeriodBounds {
  year: number;
  period: ReportingPeriod;
  /** First and last day (day numbers) of the reporting period. */
  start: number;
  end: number;
  /** 30 June of the reporting year: the reference date for age and wijk (seed 000 §4.1). */
  referenceDay: number;
  referenceDate: string;
  /** The whole reporting year, for the closest-address rule of domain.md §3. */
  yearStart: number;
  yearEnd: number;
  /** The half years inside the period, for the report. */
  halves: { half: 'H1' | 'H2'; start: number; end: number }[];
}

/** domain.md §3: `Y` = 1 January–31 December, `H1` = 1 January–30 June; both report Jaar = year. */
export function periodBounds(year: number, period: ReportingPeriod): PeriodBounds {
  const yearStart = dayNumber(`${year}-01-01`);
  const yearEnd = dayNumber(`${year}-12-31`);
  const referenceDay = dayNumber(`${year}-06-30`);
  const halves: PeriodBounds['halves'] = [{ half: 'H1', start: yearStart, end: referenceDay }];
  if (period === 'Y') halves.push({ half: 'H2', start: referenceDay + 1, end: yearEnd });
  return {
    year,
    period,
    start: yearStart,
    end: period === 'Y' ? yearEnd : referenceDay,
    referenceDay,
    referenceDate: isoDate(referenceDay),
    yearStart,
    yearEnd,
    halves,
  };
}
