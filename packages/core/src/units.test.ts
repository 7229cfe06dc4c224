import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAdapter, readClientBatches, readClients, readDeclarations } from './adapter-boundary.js';
import { createPseudonymizer, isValidBsn } from './bsn.js';
import { placeCategory } from './categories.js';
import type { ClientRegister, DeclarationSource } from './contracts.js';
import { ageOn, ageOnDay, dateNumber, dayNumber, dayNumberOf, isoDate, overlapDays, parseIsoDate } from './dates.js';
import { WmoError } from './errors.js';
import { deliveryFileNames, writeNewFile } from './files.js';
import { nextSequenceNumber, qsd301FileName } from './qsd301/file-name.js';
import { toAscii } from './qsd301/ascii.js';
import { writeQsd301 } from './qsd301/writer.js';
import { FIELD_TABLE_DIALECT } from './qsd301/dialect.js';
import { ExactCents, largestRemainder, roundHalfUpToEuros } from './rational.js';
import { perf } from './engine/testing.js';
import { clientFactsSchema, isClientFacts, isPerformance, performanceSchema } from './records.js';

describe('dates', () => {
  it('rejects dates that do not exist', () => {
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-02-29')).toBe(dayNumber('2024-02-28') + 1);
    expect(parseIsoDate('31-02-2023')).toBeUndefined();
  });
  it('agrees with Date.UTC on every day of 1900–2100, both ways', () => {
    // day 0 is 1970-01-01; the integer arithmetic must give what the Date object gives
    expect(parseIsoDate('1970-01-01')).toBe(0);
    for (let day = Date.UTC(1900, 0, 1) / 86_400_000; day <= Date.UTC(2100, 11, 31) / 86_400_000; day++) {
      const text = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (isoDate(day) !== text || parseIsoDate(text) !== day) expect([day, isoDate(day), parseIsoDate(text)]).toEqual([day, text, day]);
    }
    expect(dayNumberOf(2023, 2, 29)).toBeUndefined();
    expect(dayNumberOf(2000, 2, 29)).toBe(dayNumberOf(2000, 3, 1)! - 1); // 2000 is a leap year (÷400)
    expect(dayNumberOf(1900, 2, 29)).toBeUndefined(); // 1900 is not (÷100)
    expect(parseIsoDate('2023-1-01')).toBeUndefined();
    expect(parseIsoDate('2023-01-0a')).toBeUndefined();
    expect(parseIsoDate('2023-13-01')).toBeUndefined();
  });
  it('gives the same day numbers when dates repeat and alternate (the last two are kept)', () => {
    // 2023-01-01 is day 19,358 (53 years of 365 days + 13 leap days 1972–2020 = 19,345 + 13);
    // 2023-01-31 is 30 days later; 2023-02-29 does not exist
    const texts = ['2023-01-01', '2023-01-31', '2023-01-01', '2023-02-29', '2023-01-31', '2023-01-31', '', '2023-01-01', 'x'];
    expect(texts.map((t) => parseIsoDate(t))).toEqual([19_358, 19_388, 19_358, undefined, 19_388, 19_388, undefined, 19_358, undefined]);
    // a text of its own with the same characters (not the same string object)
    expect(parseIsoDate(['2023', '01', '31'].join('-'))).toBe(19_388);
  });
  it('counts overlapping days inclusively', () => {
    // 2022-12-19 … 2023-01-15 against 2023: 1–15 January = 15 days
    expect(overlapDays(dayNumber('2022-12-19'), dayNumber('2023-01-15'), dayNumber('2023-01-01'), dayNumber('2023-12-31'))).toBe(15);
  });
  it('computes the age on a date', () => {
    expect(ageOn('2005-06-30', '2023-06-30')).toBe(18);
    expect(ageOn('2005-07-01', '2023-06-30')).toBe(17);
    // 29 February 2000: 22 on 28 February 2023, 23 on 1 March
    expect(ageOnDay(dayNumber('2000-02-29'), dayNumber('2023-02-28'))).toBe(22);
    expect(ageOnDay(dayNumber('2000-02-29'), dayNumber('2023-03-01'))).toBe(23);
    // born after the reference date: −1 (a child), as ageOn
    expect(ageOnDay(dayNumber('2023-08-01'), dayNumber('2023-06-30'))).toBe(-1);
    // from day numbers as from the texts: every birth day of 1956-2024 against 30 June 2023 and 29 February 2024
    for (const reference of ['2023-06-30', '2024-02-29']) {
      for (let day = dayNumber('1956-01-01'); day <= dayNumber('2024-12-31'); day++) {
        if (ageOnDay(day, dayNumber(reference)) !== ageOn(isoDate(day), reference)) expect.fail(`${isoDate(day)} on ${reference}`);
      }
    }
    expect(dateNumber(dayNumber('2023-06-30'))).toBe(20230630);
    expect(dateNumber(dayNumber('0001-01-01'))).toBe(10101);
  });
});

describe('exact cents', () => {
  it('rounds half up to euros', () => {
    const a = new ExactCents();
    a.addCents(150); // €1.50 → €2
    expect(roundHalfUpToEuros(a)).toBe(2);
    const b = new ExactCents();
    b.addCents(-150); // −€1.50 → half up → −€1
    expect(roundHalfUpToEuros(b)).toBe(-1);
    const c = new ExactCents();
    c.addShare(100, 1, 3); // 33.33… cents → €0
    c.addShare(100, 1, 3); // 66.66… cents → €1
    expect(roundHalfUpToEuros(c)).toBe(1);
    c.addShare(-100, 2, 3); // back to exactly 0
    expect(c.isZero()).toBe(true);
  });
  it('hands out the missing euros by largest remainder, ties in order', () => {
    const parts = [50, 50, 50].map((cents) => {
      const e = new ExactCents();
      e.addCents(cents);
      return e;
    });
    // €1.50 total → €2; floors 0 + 0 + 0, remainders all .50 → the first two get one euro
    expect(largestRemainder(parts, 2)).toEqual([1, 1, 0]);
  });
});

describe('categories', () => {
  it('groups iWmo categories as seed 000 table 4.2 with domain.md §3', () => {
    expect(['01', '02', '07', '03', '04', '06', '09', '10', '05', '08', '11', '12', '13', '14', '15', '18', '43', null, '99'].map(placeCategory)).toEqual([
      'HH_Hulp', 'BG', 'DB', 'OV_OND', 'OV_OND', 'OV_OND', 'OV_OND', 'OV_OND', 'HULP_DNST', 'HULP_DNST', 'HULP_DNST', 'HULP_DNST', 'HULP_DNST', 'HULP_DNST', 'excluded', 'excluded', 'not-wmo', 'ONBEKEND', 'ONBEKEND',
    ]);
  });
});

describe('BSN', () => {
  it('applies the 11-proef', () => {
    // 9·9 + 8·9 + 7·9 + 6·9 + 5·9 + 4·0 + 3·0 + 2·1 − 1·9 = 308 = 28 × 11
    expect(isValidBsn('999990019')).toBe(true);
    // 1·9 + 2·8 + … + 8·2 − 2 = 154 = 14 × 11
    expect(isValidBsn('123456782')).toBe(true);
    expect(isValidBsn('123456789')).toBe(false);
    expect(isValidBsn('12345678')).toBe(false);
  });
  it('makes stable pseudonyms with a secret, without the BSN in them', () => {
    const a = createPseudonymizer('secret');
    const b = createPseudonymizer('secret');
    expect(a('999990019')).toBe(b('999990019'));
    expect(a('999990019')).not.toBe(createPseudonymizer('other')('999990019'));
    expect(a('999990019')).not.toContain('999990019');
  });
});

describe('file names and writing', () => {
  it('names the file with the reporting year and the delivery date', () => {
    // seed 000 §5.2 / domain.md §3: data over 2017 delivered 10 July 2018, first delivery
    expect(qsd301FileName('0034', 2017, '2018-07-10', 1)).toBe('WMO_0034_2017_20180710_01.csv');
  });
  it('takes the next sequence number for that gemeente and year', () => {
    const names = ['WMO_0405_2023_20240115_01.csv', 'WMO_0405_2023_20240301_02.csv', 'WMO_0405_2022_20230101_07.csv', 'WMO_0441_2023_20240115_05.csv', 'notes.txt'];
    expect(nextSequenceNumber(names, '0405', 2023)).toBe(3);
    // a failed delivery leaves only its report, which also uses up the number
    expect(nextSequenceNumber([...names, 'WMO_0405_2023_20240302_03.report.json'], '0405', 2023)).toBe(4);
    expect(nextSequenceNumber(names, '0405', 2024)).toBe(1);
  });
  it('never overwrites, and leaves no temporary file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wmo-'));
    const target = path.join(dir, 'a.csv');
    await writeNewFile(target, 'one');
    const error = await writeNewFile(target, 'two').catch((e: unknown) => e);
    expect(WmoError.isInstance(error)).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('one');
    expect(await readdir(dir)).toEqual(['a.csv']);
  });
  it('finds the next free delivery names in a folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wmo-'));
    await writeFile(path.join(dir, 'WMO_0405_2023_20240115_01.csv'), '');
    const names = await deliveryFileNames(dir, '0405', 2023, '2024-01-16');
    expect(path.basename(names.csv)).toBe('WMO_0405_2023_20240116_02.csv');
    expect(path.basename(names.reportJson)).toBe('WMO_0405_2023_20240116_02.report.json');
  });
});

describe('writer', () => {
  it('folds names to ASCII', () => {
    expect(toAscii('Súdwest-Fryslân')).toBe('Sudwest-Fryslan');
    expect(toAscii('Sint Odiliënberg')).toBe('Sint Odilienberg');
  });
  it('writes the field-table spelling on request', () => {
    const text = writeQsd301(
      [
        { year: 2023, municipalityCode: '0405', municipalityName: 'Hoorn', wijk: null, ageClass: 1, category: 'HH_Hulp', clients: 0, euros: 0 },
        { year: 2023, municipalityCode: '0405', municipalityName: 'Hoorn', wijk: null, ageClass: 1, category: 'HULP_DNST', clients: 0, euros: 0 },
      ],
      FIELD_TABLE_DIALECT,
    );
    expect(text).toBe(
      'Jaar;Gemcode;Gemnaam;Wijkcode;Wijknaam;Lftijdskl;Prodcat_GZS;Aantal_clienten;Kosten_gerealiseerd\r\n' +
        '2023;0405;Hoorn;n.v.t.;Totaal;1;HH_HULP;0;0\r\n2023;0405;Hoorn;n.v.t.;Totaal;1;HULP_DNS;0;0\r\n',
    );
  });
});

describe('adapter boundary', () => {
  it('the hand-written performance check agrees with the schema, valid and invalid', () => {
    const base = perf({ clientKey: '100000010', amountCents: 14250 });
    const variants: unknown[] = [
      base,
      { ...base, source: { file: 'x.csv', line: 7 } },
      { ...base, reversesReference: 'R0', amountCents: -14250, debitCredit: 'C' },
      { ...base, category: null, productCode: null, allocationNumber: '' },
      { ...base, extra: 'ignored' },
      // each of these breaks one rule of the schema
      null,
      'text',
      { ...base, municipality: '405' },
      { ...base, provider: '' },
      { ...base, declarationId: 1 },
      { ...base, reference: undefined },
      { ...base, reversesReference: '' },
      { ...base, allocationNumber: 5 },
      { ...base, clientKey: '' },
      { ...base, category: undefined },
      { ...base, productCode: 3 },
      { ...base, periodStart: '2023-02-29' },
      { ...base, periodEnd: '31-03-2023' },
      { ...base, periodStart: '2023-04-01' }, // after the end
      { ...base, volume: Number.NaN },
      { ...base, volume: Number.POSITIVE_INFINITY },
      { ...base, unit: null },
      { ...base, amountCents: 12.5 },
      { ...base, amountCents: -1 }, // a debit with a negative amount
      { ...base, debitCredit: 'C' }, // a credit with a positive amount
      { ...base, debitCredit: 'X' },
      { ...base, source: undefined },
      { ...base, source: { file: '' } },
      { ...base, source: { file: 'x', line: 0 } },
      { ...base, source: { file: 'x', element: 3 } },
    ];
    const verdicts = variants.map((v) => [isPerformance(v), performanceSchema.safeParse(v).success]);
    expect(verdicts.map(([fast]) => fast)).toEqual(verdicts.map(([, schema]) => schema));
    expect(verdicts.filter(([fast]) => fast)).toHaveLength(5); // the first five are valid
  });

  it('the hand-written client check agrees with the schema, valid and invalid', () => {
    const address = { start: '2020-01-01', end: null, municipality: '0405', wijkCode: 'WK040510', postcode: null, houseNumber: null };
    const base = { clientKey: '100000010', birthDate: '1950-03-01', addresses: [address], source: { file: 'clients.csv', line: 2 } };
    const variants: unknown[] = [
      base,
      { ...base, birthDate: null, addresses: [], source: undefined },
      { ...base, addresses: [{ start: '2020-01-01', end: '2021-12-31', municipality: '0405' }] }, // wijk, postcode, house number left out
      { ...base, addresses: [{ ...address, wijkCode: 'WK04051a', postcode: '1621AB', houseNumber: '12a', source: { file: 'c.csv', element: 'Client[3]' } }] },
      { ...base, addresses: [address, { ...address, start: '2019-01-01', end: '2019-12-31' }], extra: 'ignored' },
      // each of these breaks one rule of the schema
      null,
      [],
      { ...base, clientKey: '' },
      { ...base, clientKey: 100000010 },
      { ...base, birthDate: undefined },
      { ...base, birthDate: '1950-02-29' },
      { ...base, addresses: undefined },
      { ...base, addresses: [null] },
      { ...base, addresses: [{ ...address, start: null }] },
      { ...base, addresses: [{ ...address, end: '2020-13-01' }] },
      { ...base, addresses: [{ ...address, end: undefined }] },
      { ...base, addresses: [{ ...address, municipality: '405' }] },
      { ...base, addresses: [{ ...address, wijkCode: 'WK0405' }] },
      { ...base, addresses: [{ ...address, wijkCode: 'wk040510' }] }, // the prefix is upper case
      { ...base, addresses: [{ ...address, wijkCode: '' }] },
      { ...base, addresses: [{ ...address, postcode: 1621 }] },
      { ...base, addresses: [{ ...address, houseNumber: 12 }] },
      { ...base, addresses: [{ ...address, source: null }] },
      { ...base, addresses: [address, { ...address, source: { file: 'x', line: 1.5 } }] },
      { ...base, source: null },
      { ...base, source: { file: '' } },
      { ...base, source: { file: 'x', line: -2 } },
    ];
    const verdicts = variants.map((v) => [isClientFacts(v), clientFactsSchema.safeParse(v).success]);
    expect(verdicts.map(([fast]) => fast)).toEqual(verdicts.map(([, schema]) => schema));
    expect(verdicts.filter(([fast]) => fast)).toHaveLength(5); // the first five are valid
  });

  it('reads a register in its batches, and words a bad record with the schema', async () => {
    const register = (batches: unknown[][]): ClientRegister => ({ specificationVersion: 'v1', id: 'fake-register', kind: 'clients', read: () => batches as never });
    const client = (key: string) => ({ type: 'client', client: { clientKey: key, birthDate: null, addresses: [] } });
    const seen: number[] = [];
    for await (const batch of readClientBatches(register([[client('A'), client('B')], [], [client('C')]]))) seen.push(batch.length);
    expect(seen).toEqual([2, 1]); // the empty batch is not passed on
    const keys: string[] = [];
    for await (const item of readClients(register([[client('A'), client('B')], [client('C')]]))) if (item.type === 'client') keys.push(item.client.clientKey);
    expect(keys).toEqual(['A', 'B', 'C']);
    const bad = { type: 'client', client: { clientKey: 'D', birthDate: '1950-02-30', addresses: [], source: { file: 'clients.csv', line: 9 } } };
    const read = async () => {
      for await (const _ of readClientBatches(register([[client('A')], [bad]])));
    };
    await expect(read()).rejects.toThrow('The fake-register adapter produced an invalid client record from clients.csv:9 (birthDate: expected a calendar date YYYY-MM-DD).');
  });

  const source = (items: unknown[]): DeclarationSource => ({
    specificationVersion: 'v1',
    id: 'fake-source',
    kind: 'declarations',
    read: () => [items as never],
  });
  it('checks the contract', () => {
    expect(() => checkAdapter({ id: 'x', kind: 'declarations', read() {} }, 'declarations', './my-adapter.js')).toThrow(
      "./my-adapter.js is not a usable declarations adapter: its specificationVersion is undefined, this version of the toolkit needs 'v1'.",
    );
    expect(() => checkAdapter(source([]), 'clients')).toThrow(/it is a "declarations" adapter/);
  });
  it('validates records and names the adapter and the place', async () => {
    const bad = { ...perf({ clientKey: 'A', amountCents: 5 }), periodStart: '2023-02-30', source: { file: 'x.xml', element: 'Prestatie[1]' } };
    const read = async () => {
      for await (const _ of readDeclarations(source([{ type: 'performance', performance: bad }]), { municipality: '0405' }));
    };
    await expect(read()).rejects.toThrow('The fake-source adapter produced an invalid performance from x.xml (element Prestatie[1]) (periodStart: expected a calendar date YYYY-MM-DD).');
  });
});
