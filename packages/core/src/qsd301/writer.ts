import { stringify } from 'csv-stringify/sync';
import { EXAMPLE_DIALECT, type Qsd301Dialect } from './dialect.js';
import type { Qsd301Row } from './row.js';
import { toAscii } from './ascii.js';

/** The cells of one row as text, in column order. */
export function rowFields(row: Qsd301Row, dialect: Qsd301Dialect = EXAMPLE_DIALECT): string[] {
  return [
    String(row.year),
    row.municipalityCode,
    toAscii(row.municipalityName),
    row.wijk ? row.wijk.code : dialect.totalWijkCode,
    row.wijk ? toAscii(row.wijk.name) : dialect.totalWijkName,
    String(row.ageClass),
    dialect.categoryNames[row.category],
    String(row.clients),
    String(row.euros),
  ];
}

/**
 * Writes the QSD301 file (seed 000 §5.1): a header line, `;` between fields, CR LF after every
 * line including the last, ASCII. Returned as a string; a file of a large city is a few hundred
 * kilobytes.
 */
export function writeQsd301(rows: readonly Qsd301Row[], dialect: Qsd301Dialect = EXAMPLE_DIALECT): string {
  return stringify([dialect.header as string[], ...rows.map((row) => rowFields(row, dialect))], {
    delimiter: ';',
    record_delimiter: '\r\n',
  });
}
