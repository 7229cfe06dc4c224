import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { WmoError, columnBuffers, columnsTaken, readDeclarationColumns, readDeclarations, type DeclarationItem } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { csvExportSource, parseAmount, parseDate, type MappingInput } from './index.js';
import { planParts } from './source.js';

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

describe('values read from the characters of the row agree with the parsers', () => {
  const mapping: MappingInput = {
    columns: { reference: 'ref', clientKey: 'bsn', periodStart: 'van', periodEnd: 'tot', amount: 'bedrag', status: 'status', category: 'cat', volume: 'vol' },
    defaults: { municipality: '0405' },
  };
  it('amounts: the plain form from the characters, every other form through parseAmount', async () => {
    const amounts = ['0', '7', '12,5', '12,50', '0012,05', '999999999999,99', '1234567890123', '1.234,56', '-12,50', '12,50-', ' 12,50', '12,50 ', '€ 3,00', '12,', ',5', '12,345', '1,2,3', '"12,50"', '"1;0"'];
    const rows = amounts.map((a, i) => `R${i};999990019;2023-03-01;2023-03-31;${a};goedgekeurd;1;2`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csv-export-amounts-'));
    const file = path.join(dir, 'export.csv');
    await writeFile(file, ['ref;bsn;van;tot;bedrag;status;cat;vol', ...rows].join('\n'));
    const items = await read([file], mapping);
    const read_ = new Map(items.flatMap((i) => (i.type === 'performance' ? [[i.performance.reference, i.performance.amountCents]] : [])));
    amounts.forEach((a, i) => {
      const text = a.startsWith('"') ? a.slice(1, -1) : a;
      // no debit/credit column: the sign decides, so the amount is the parsed amount itself
      expect([a, read_.get(`R${i}`)]).toEqual([a, parseAmount(text.trim(), { format: 'euros', decimal: ',' })]);
    });
    // by hand: 12,5 → 1250; 0012,05 → 1205; 999999999999,99 → 99999999999999; 1234567890123 (13
    // digits, not the plain form) → 123456789012300; '12,' ',5' '12,345' '1,2,3' and "1;0" are no amount
    expect([read_.get('R2'), read_.get('R4'), read_.get('R5'), read_.get('R6')]).toEqual([1250, 1205, 99999999999999, 123456789012300]);
    expect(amounts.filter((_, i) => !read_.has(`R${i}`))).toEqual(['12,', ',5', '12,345', '1,2,3', '"1;0"']);
  });
  it('a value known from an earlier row means the same in every row; a bad one is refused in every row', async () => {
    const rows = [
      'A;999990019;2023-03-01;2023-03-31;10,00;goedgekeurd;2;1,5',
      'B;12345;2023-03-01;2023-03-31;10,00;goedgekeurd;2;1,5', // not a BSN
      'C;999990019;2023-02-30;2023-03-31;10,00;goedgekeurd;2;1,5', // no such date
      'D;99999002;2023-03-01;2023-03-31;10,00;Afgekeurd;02;x', // 8 digits: leading zero added
      'E;12345;2023-03-01;2023-03-31;10,00;goedgekeurd;2;1,5', // the same bad BSN again
      'F;99999002;2023-03-01;2023-03-31;10,00;AFGEKEURD;;2', // status case-insensitive
    ];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csv-export-memo-'));
    const file = path.join(dir, 'export.csv');
    await writeFile(file, ['ref;bsn;van;tot;bedrag;status;cat;vol', ...rows].join('\r\n'));
    const items = await read([file], mapping);
    expect(items.map((i) => (i.type === 'warning' ? i.warning.message.replace(`${file} `, '') : [i.type, i.performance.reference, i.performance.clientKey, i.performance.category, i.performance.volume]))).toEqual([
      ['performance', 'A', '999990019', '02', 1.5],
      'line 3: the BSN is not 9 digits; the row is skipped',
      'line 4: the begin date "2023-02-30" is not a date in YYYY-MM-DD or DD-MM-YYYY or YYYYMMDD; the row is skipped',
      ['not-approved', 'D', '099999002', '02', 0],
      'line 6: the BSN is not 9 digits; the row is skipped',
      ['not-approved', 'F', '099999002', null, 2],
    ]);
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
  it('offers the same lines in columns, each batch well-formed at the boundary', async () => {
    const lines = (await read([generic], 'generic')).filter((i) => i.type !== 'warning');
    let count = 0;
    const files = new Set<string>();
    for await (const columns of readDeclarationColumns(csvExportSource({ paths: [generic], mapping: 'generic' }), { municipality: '0405' })!) {
      count += columns.count;
      files.add(columns.file);
    }
    expect(count).toBe(lines.length);
    expect(count).toBeGreaterThan(0);
    expect([...files]).toEqual([generic]);
  });

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

describe('periods', () => {
  it('reads a period before 1970 (a negative day number is a date, not an error)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csv-1969-'));
    const file = path.join(dir, 'export.csv');
    await writeFile(
      file,
      'gemeente;aanbieder;declaratienummer;referentie;vorige_referentie;toewijzingnummer;bsn;categorie;productcode;begindatum;einddatum;volume;eenheid;bedrag;debet_credit;status\n' +
        '0405;10000001;D1;R1;;5001;999990019;01;01001;1969-12-01;1969-12-31;1;04;10,00;D;goedgekeurd\n',
    );
    const items = await read([file], 'generic');
    expect(items.map((i) => i.type === 'performance' && [i.performance.periodStart, i.performance.periodEnd])).toEqual([['1969-12-01', '1969-12-31']]);
  });
});

describe('a big export in worker threads', () => {
  const header = 'gemeente;aanbieder;declaratienummer;referentie;vorige_referentie;toewijzingnummer;bsn;categorie;productcode;begindatum;einddatum;volume;eenheid;bedrag;debet_credit;status';
  /** 400 rows of the generic layout with what a part boundary could break: bad rows, an empty line, credits, "gecrediteerd", non-ASCII text. */
  function exportText(): string {
    const rows = [header];
    for (let i = 1; i <= 400; i++) {
      const bsn = String(999990000 + (i % 37)).padStart(9, '0');
      const month = String(1 + (i % 12)).padStart(2, '0');
      let row = `0405;1000000${i % 3};D${Math.floor(i / 50)};R${i};;T${i % 37};${bsn};0${1 + (i % 6)};0${1 + (i % 6)}A01;2023-${month}-01;2023-${month}-28;${i % 9};04;${i},${String(i % 100).padStart(2, '0')};D;goedgekeurd`;
      if (i % 97 === 0) row = row.replace(bsn, '12345'); // not a BSN: a warning naming the line
      if (i % 131 === 0) row = row.replace(';04;', ';04;;'); // one field too many
      if (i % 53 === 0) row = row.replace('goedgekeurd', 'gecrediteerd'); // reversed at the end …
      if (i === 106) row = row.replace('goedgekeurd', 'gecrediteerd'); // (already 53 × 2)
      if (i % 41 === 0) row = row.replace('goedgekeurd', 'afgekeurd');
      if (i % 71 === 0) row = row.replace(`;R${i};;`, `;R${i}-é;;`);
      rows.push(row);
      if (i === 200) rows.push(''); // an empty line: the line numbers after it go on counting
      if (i % 53 === 0 && i < 300) {
        // … unless its credit line is in the export (for 53 and 159: the credit is in a later part)
        rows.push(`0405;1000000${i % 3};D9;C${i};R${i};T1;${bsn};0${1 + (i % 6)};0${1 + (i % 6)}A01;2023-${month}-01;2023-${month}-28;1;04;${i},${String(i % 100).padStart(2, '0')};C;goedgekeurd`);
      }
    }
    return '\ufeff' + rows.join('\r\n') + '\r\n';
  }

  /** exportText() in export.csv of a new temporary folder. */
  const writtenExport = async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'csv-parts-')), 'export.csv');
    await writeFile(file, exportText());
    return file;
  };

  const readWith = async (file: string, workers: number, mapping: MappingInput | string = 'generic') => {
    const items: DeclarationItem[] = [];
    for await (const item of readDeclarations(csvExportSource({ paths: [file], mapping, workers, partBytes: 4000 }), { municipality: '0405' })) items.push(item);
    return items;
  };

  it('are cut after line ends, with the line number each part starts at', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csv-parts-'));
    const file = path.join(dir, 'export.csv');
    const text = exportText();
    await writeFile(file, text);
    const bytes = Buffer.from(text);
    const parts = (await planParts(file, bytes.length, 4000))!;
    expect(parts.length).toBeGreaterThan(5);
    expect(parts[0]!.start).toBe(0);
    expect(parts.at(-1)!.end).toBe(bytes.length);
    for (let k = 1; k < parts.length; k++) {
      expect(parts[k]!.start).toBe(parts[k - 1]!.end);
      expect(bytes[parts[k]!.start - 1]).toBe(0x0a); // just after a line end
      // its first line is one more than the line ends before it
      expect(parts[k]!.firstLine).toBe(bytes.subarray(0, parts[k]!.start).filter((b) => b === 0x0a).length + 1);
    }
    // a quote anywhere, or a bare CR line end: one thread
    await writeFile(path.join(dir, 'quoted.csv'), text.replace('R5;', '"R5";'));
    expect(await planParts(path.join(dir, 'quoted.csv'), bytes.length + 2, 4000)).toBeUndefined();
    await writeFile(path.join(dir, 'cr.csv'), text.replace(/\r\n/g, '\r'));
    expect(await planParts(path.join(dir, 'cr.csv'), bytes.length - 400, 4000)).toBeUndefined();
  });

  it('give the same lines, warnings, line numbers and reversals as one thread', async () => {
    const file = await writtenExport();
    const one = await readWith(file, 0);
    const two = await readWith(file, 2);
    expect(two).toEqual(one);
    const warnings = one.filter((i) => i.type === 'warning').map((i) => (i.type === 'warning' ? i.warning.location?.line : 0));
    // rows 97, 194, 291, 388 (bad BSN) and 131, 262, 393 (a field too many), each on its own line:
    // row i is on line i + 1 (the header), + 1 after the empty line behind row 200, + 1 per credit
    // line written before it (after rows 53, 106, 159, 212, 265)
    expect(warnings).toEqual([97 + 1 + 1, 131 + 1 + 2, 194 + 1 + 3, 262 + 1 + 1 + 4, 291 + 1 + 1 + 5, 388 + 1 + 1 + 5, 393 + 1 + 1 + 5].sort((a, b) => a - b));
    // "gecrediteerd" rows 53, 106, 159, 212, 265, 318, 371 (7); credit lines exist for the first 5:
    // 2 reversals added at the end
    const reversed = one.filter((i) => i.type === 'performance' && i.performance.reference.endsWith('~credit'));
    expect(reversed.map((i) => i.type === 'performance' && i.performance.reversesReference)).toEqual(['R318', 'R371']);
    expect(one.some((i) => i.type === 'performance' && i.performance.reference === 'R71-é')).toBe(true);
  });

  it('begin with a batch of no lines once the workers have their parts, so that the caller can work meanwhile', async () => {
    const file = await writtenExport();
    const firstBatch = async (workers: number) => {
      for await (const columns of csvExportSource({ paths: [file], mapping: 'generic', workers, partBytes: 4000 }).readColumns!({ municipality: '0405' })) return columns;
      throw new Error('no batch');
    };
    const started = await firstBatch(2);
    expect(started.count).toBe(0);
    expect(started.warnings).toEqual([]);
    expect(started.file).toBe(file);
    // in one thread the first batch has the first rows
    expect((await firstBatch(0)).count).toBeGreaterThan(0);
  });

  it('stop their worker threads when the reader stops early', async () => {
    const file = await writtenExport();
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      // through the boundary, as deliver reads: the first batch with lines, then a stop (the engine
      // stopping at a conflict does the same)
      for await (const columns of readDeclarationColumns(csvExportSource({ paths: [file], mapping: 'generic', workers: 2, partBytes: 4000 }), { municipality: '0405' })!) {
        if (columns.count > 0) break;
      }
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
  });

  it("give each batch's buffer back to the worker once the engine has taken it", async () => {
    const file = await writtenExport();
    const post = vi.spyOn(Worker.prototype, 'postMessage');
    try {
      let fromWorkers = 0;
      let lines = 0;
      for await (const columns of csvExportSource({ paths: [file], mapping: 'generic', workers: 2, partBytes: 4000 }).readColumns!({ municipality: '0405' })) {
        lines += columns.count;
        if (columns.count === 0 || columns.references.endsWith('~credit')) continue; // the start, and the reversals made here
        fromWorkers++;
        const [buffer] = columnBuffers(columns);
        columnsTaken(columns);
        // transferred back: empty here, and posted to a worker
        expect(buffer!.byteLength).toBe(0);
        expect(columns.amountCents.length).toBe(0);
      }
      const returned = post.mock.calls.filter(([message]) => (message as { returnedColumnBuffers?: unknown }).returnedColumnBuffers !== undefined);
      expect(fromWorkers).toBeGreaterThan(2);
      expect(returned).toHaveLength(fromWorkers);
      let inThread = 0;
      for await (const columns of csvExportSource({ paths: [file], mapping: 'generic', workers: 0 }).readColumns!({ municipality: '0405' })) inThread += columns.count;
      expect(lines).toBe(inThread);
    } finally {
      post.mockRestore();
    }
  });

  it('give the same reversals when a small export read in this thread comes before a big one read by the workers', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csv-parts-'));
    const big = path.join(dir, 'b-export.csv');
    await writeFile(big, exportText());
    // a small export (one thread: under two parts of 4,000 bytes) with two credited lines of its own
    const small = path.join(dir, 'a-small.csv');
    const row = (reference: string, status: string) => `0405;10000001;S1;${reference};;T1;999990001;02;02A01;2023-05-01;2023-05-31;1;04;12,50;D;${status}`;
    await writeFile(small, [header, row('S1', 'goedgekeurd'), row('S2', 'gecrediteerd'), row('S3', 'gecrediteerd')].join('\r\n') + '\r\n');
    const read = async (workers: number) => {
      const items: DeclarationItem[] = [];
      for await (const item of readDeclarations(csvExportSource({ paths: [small, big], mapping: 'generic', workers, partBytes: 4000 }), { municipality: '0405' })) items.push(item);
      return items;
    };
    const one = await read(0);
    expect(await read(2)).toEqual(one);
    // the small file's S2 and S3 and the big one's R318 and R371 (their credit lines are not in the exports)
    const reversed = one.filter((i) => i.type === 'performance' && i.performance.reference.endsWith('~credit'));
    expect(reversed.map((i) => i.type === 'performance' && i.performance.reversesReference)).toEqual(['S2', 'S3', 'R318', 'R371']);
  });

  it("stop at the first bad row with invalidRows: 'error', named as in one thread", async () => {
    const file = await writtenExport();
    const mapping: MappingInput = { ...(await import('./mapping.js')).GENERIC_MAPPING, invalidRows: 'error' };
    const one = await readWith(file, 0, mapping).catch((e: unknown) => e);
    const two = await readWith(file, 2, mapping).catch((e: unknown) => e);
    expect(WmoError.isInstance(two) && two.code).toBe('input-invalid');
    expect((two as Error).message).toBe((one as Error).message);
    expect((two as Error).message).toMatch(/export\.csv line 99: the BSN is not 9 digits/);
  });
});
