import { stringify } from 'csv-stringify/sync';
import type { Pseudonymizer } from '../bsn.js';
import { dayNumber } from '../dates.js';
import { publishable, type CountRow } from './counts.js';
import { formatCbsDate, type Arrangement } from './merge.js';

/** ToestemmingWmo: 1 only the first half year, 2 only the second, 3 both (seed 004). */
export type Consent = '1' | '2' | '3';

/**
 * The arrangement file in the WMOBUS layout (seed 004 §3), one row per merged arrangement, with a
 * pseudonymous person key (keyed hash of the BSN) in place of RINPERSOONS/RINPERSOON.
 * Begin/EindgeldigheidWmo are clipped to the reporting year; dates JJJJMMDD; `;`, CR LF.
 */
export function writeArrangementFile(arrangements: readonly Arrangement[], year: number, consent: Consent, pseudonymize: Pseudonymizer): string {
  const yearStart = dayNumber(`${year}-01-01`);
  const yearEnd = dayNumber(`${year}-12-31`);
  const header = ['PersoonSleutel', 'TypeArrangementWmo', `GEMWMO${year}`, 'vlgnrWmo', 'BegingeldigheidWmo', 'EindgeldigheidWmo', 'BegindatumWmo', 'EinddatumWmo', 'FinancieringsvormWmo', 'RedeneindeWmo', 'ToestemmingWmo'];
  // vlgnrWmo numbers the arrangements of one person that are identical in type and dates.
  const seen = new Map<string, number>();
  const rows = arrangements.map((a) => {
    const key = pseudonymize(a.clientKey);
    const identity = `${key}|${a.type}|${a.start}|${a.end}`;
    const number = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, number);
    return [
      key,
      a.type,
      a.municipality,
      String(number),
      formatCbsDate(Math.max(a.start, yearStart)),
      formatCbsDate(Math.min(a.end, yearEnd)),
      formatCbsDate(a.start),
      formatCbsDate(a.end),
      a.financing,
      a.endReason ?? '',
      consent,
    ];
  });
  return stringify([header, ...rows], { delimiter: ';', record_delimiter: '\r\n' });
}

/** The publication counts; with `suppress`, as CBS publishes them (under 10 secret, rounded to 5). */
export function writeCountFile(rows: readonly CountRow[], year: number, municipality: string, suppress: boolean): string {
  const header = ['Jaar', 'Gemcode', 'Periode', 'TypeArrangementWmo', 'Financieringsvorm', 'Aantal_clienten', 'Aantal_arrangementen'];
  const value = (n: number) => (suppress ? publishable(n) : String(n));
  return stringify([header, ...rows.map((r) => [String(year), municipality, r.period, r.type, r.financing, value(r.clients), value(r.arrangements)])], {
    delimiter: ';',
    record_delimiter: '\r\n',
  });
}
