import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WmoError, readDeclarations, type DeclarationItem } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { csvExportSource, parseAmount, parseDate, type MappingInput } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures');
const generic = path.join(fixtures, 'csv-export/generic.csv');
const broken = path.join(fixtures, 'csv-export/broken.csv');
const hoornExport = path.join(fixtures, 'scenarios/hoorn-2023/export/declaratieregels-2023.csv');

const brokenMapping: MappingInput = {
  columns: { municipality: 'Gemeente', clientKey: 'BSN', reference: 'Regel', productCode: 'Code', periodStart: 'Van', periodEnd: 'Tot', amount: 'Bedrag' },
  dates: ['DD-MM-YYYY', 'YYYYMMDD'],
};

async function read(paths: string[], mapping: MappingInput | string): Promise<DeclarationItem[]> {
  const items: DeclarationItem[] = [];
  for await (const item of readDeclarations(csvExportSource({ paths, mapping }), { municipality: '0405' })) items.push(item);
  return items;
}

testAdapterConformance({
  kind: 'declarations',
  valid: () => csvExportSource({ paths: [generic], mapping: 'generic' }),
  empty: () => csvExportSource({ paths: [path.join(fixtures, 'clients/header-only.csv')], mapping: { columns: { reference: 'bsn', clientKey: 'bsn', periodStart: 'adres_begindatum', periodEnd: 'adres_einddatum', amount: 'huisnummer' }, defaults: { municipality: '0405' } } }),
  malformed: () => csvExportSource({ paths: [broken], mapping: { ...brokenMapping, invalidRows: 'error' } }),
  readOptions: { municipality: '0405' },
});

describe('amounts and dates as exports write them', () => {
  it.each([
    ['1.234,56', 123456],
    ['1234,56', 123456],
    ['-12,50', -1250],
    ['12,50-', -1250],
    ['€ 12,50', 1250],
    ['7', 700],
    ['12,3,4', undefined],
    ['1,234', undefined],
    ['abc', undefined],
  ])('decimal comma: %s → %s cents', (text, cents) => expect(parseAmount(text, { format: 'euros', decimal: ',' })).toBe(cents));
  it('decimal point and cents', () => {
    expect(parseAmount('1,234.56', { format: 'euros', decimal: '.' })).toBe(123456);
    expect(parseAmount('123456', { format: 'cents', decimal: ',' })).toBe(123456);
    expect(parseAmount('12.5', { format: 'cents', decimal: ',' })).toBeUndefined();
  });
  it('dates in DD-MM-YYYY, YYYYMMDD and ISO; impossible dates refused', () => {
    expect(parseDate('01-03-2023', ['DD-MM-YYYY'])).toBe('2023-03-01');
    expect(parseDate('20230501', ['DD-MM-YYYY', 'YYYYMMDD'])).toBe('2023-05-01');
    expect(parseDate('2023-05-01 00:00:00', ['YYYY-MM-DD'])).toBe('2023-05-01');
    expect(parseDate('31-02-2023', ['DD-MM-YYYY'])).toBeUndefined();
  });
});

describe('the generic layout (;, UTF-8, ISO dates, debit/credit column, status column)', () => {
  it('reads approved, rejected and credit lines, quoted fields with the separator, and fills gaps', async () => {
    const items = await read([generic], 'generic');
    const performances = items.filter((i) => i.type === 'performance').map((i) => i.type === 'performance' && i.performance);
    expect(performances.map((p) => p && [p.reference, p.amountCents, p.debitCredit, p.reversesReference ?? null, p.category, p.clientKey, p.source.line])).toEqual([
      ['R1', 123456, 'D', null, '01', '999990019', 2],
      // credit column C, with the reference of the debit it reverses
      ['R3', -123456, 'C', 'R1', '01', '999990019', 4],
      // no category: the code list decides (or ONBEKEND)
      ['R4', 1250, 'D', null, null, '999990019', 5],
      // "R5;a" quoted with the separator inside; category 2 → 02; BSN of 8 digits gets its leading zero
      ['R5;a', 12000, 'D', null, '02', '099999002', 6],
    ]);
    const rejected = items.filter((i) => i.type === 'not-approved');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.type === 'not-approved' && [rejected[0]!.reason, rejected[0]!.performance.reference]).toEqual(['rejected', 'R2']);
  });
});

describe('a malformed export (comma, LF, two date formats)', () => {
  it('skips each unusable row with a warning naming its line, and reads the rest', async () => {
    const items = await read([broken], brokenMapping);
    const warnings = items.flatMap((i) => (i.type === 'warning' ? [i.warning.message] : []));
    expect(warnings).toEqual([
      `${broken} line 3: the amount "12,3,4" is not an amount in euros with decimal ','; the row is skipped`,
      `${broken} line 4: the end date "31-02-2023" is not a date in DD-MM-YYYY or YYYYMMDD; the row is skipped`,
      `${broken} line 9: 5 fields instead of the 7 of the header; the row is skipped`,
    ]);
    const performances = items.flatMap((i) => (i.type === 'performance' ? [[i.performance.reference, i.performance.amountCents, i.performance.source.line]] : []));
    expect(performances).toEqual([
      ['R1', 10000, 2],
      ['R4', 10000, 5], // YYYYMMDD
      ['R5', -2500, 6], // the sign makes it a credit
      ['R6 with a\nnewline in a quoted field', 1000, 7], // a quoted newline: the row starts on line 7
      ['R8', 10000, 10],
    ]);
  });

  it("with invalidRows: 'error' the first bad row stops the run, naming its line", async () => {
    const error = await read([broken], { ...brokenMapping, invalidRows: 'error' }).catch((e: unknown) => e);
    expect(WmoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(`${broken} line 3: the amount "12,3,4" is not an amount in euros with decimal ','.`);
  });
});

describe('the Hoorn sample export (Windows-1252, comma, quoted decimal-comma amounts, DD-MM-YYYY, status)', () => {
  const mapping = path.join(fixtures, 'scenarios/hoorn-2023/export/mapping.yaml');
  it('reads every row; "Gecrediteerd" adds the reversal of the line', async () => {
    const items = await read([hoornExport], mapping);
    const count = (type: string, reason?: string) => items.filter((i) => i.type === type && (reason === undefined || (i.type === 'not-approved' && i.reason === reason))).length;
    // 172 lines: the header, 170 declared lines (46 + 72 + 52, see EXPECTED.md) and the March
    // correction; 6 rejected and 6 pending (December of 10000002) leave 171 − 12 = 159 approved,
    // plus the reversal of c1's March line = 160
    expect(count('performance')).toBe(160);
    expect(count('not-approved', 'rejected')).toBe(6);
    expect(count('not-approved', 'pending')).toBe(6);
    expect(items.filter((i) => i.type === 'warning')).toEqual([]);
    const reversal = items.find((i) => i.type === 'performance' && i.performance.reference.endsWith('~credit'));
    expect(reversal?.type === 'performance' && [reversal.performance.reversesReference, reversal.performance.amountCents]).toEqual(['1-c1-0-03', -30000]);
  });
});

describe('the column mapping is checked strictly', () => {
  it('names an unknown key', async () => {
    const error = await read([generic], { colums: {} } as unknown as MappingInput).catch((e: unknown) => e);
    expect((error as Error).message).toBe('The column mapping (mapping object) is not right: unknown key "colums".');
  });
  it('names a column that is not in the header', async () => {
    const error = await read([generic], { columns: { reference: 'regel', clientKey: 'bsn', periodStart: 'begindatum', periodEnd: 'einddatum', amount: 'bedrag', municipality: 'gemeente' } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^\S+generic\.csv line 1: the column "regel" of the mapping \(columns\.reference\) is not in the header; the header has gemeente;aanbieder;/);
  });
  it('names a mapping file that does not exist', async () => {
    const error = await read([generic], 'nope.yaml').catch((e: unknown) => e);
    expect((error as Error).message).toBe('The column mapping nope.yaml cannot be read (it does not exist); give a JSON or YAML file, or generic.');
  });
});
