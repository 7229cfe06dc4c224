import { describe, expect, it } from 'vitest';
import { createPseudonymizer } from '../bsn.js';
import { countArrangements, financingGroup, publishable } from './counts.js';
import { formatCbsDate, mergeArrangements } from './merge.js';
import type { ArrangementRecord } from './record.js';
import { writeArrangementFile, writeCountFile } from './writer.js';

// Hand-worked timelines for the CBS merge of seed 004 ("Methodologie"), reporting year 2023.
let n = 0;
function record(overrides: Partial<ArrangementRecord> & { intendedStart?: string | null }): ArrangementRecord {
  n++;
  return {
    municipality: '0405',
    clientKey: 'P1',
    allocationNumber: String(1000 + n),
    type: '02',
    financing: '4',
    intendedStart: '2023-01-01',
    intendedEnd: '2023-12-31',
    actualStart: null,
    actualEnd: null,
    endReason: null,
    source: { file: 'test', line: n },
    ...overrides,
  };
}

const spans = (records: ArrangementRecord[], year = 2023) =>
  mergeArrangements(records, year).arrangements.map((a) => [formatCbsDate(a.start), formatCbsDate(a.end), a.financing, a.records]);

describe('CBS merge, step 2: same gemeente, person, type and leveringsvorm', () => {
  it('merges two records 3 days apart', () => {
    // A ends 31 January, B starts 3 February: 3 days after the end → one arrangement of 2 records
    expect(spans([record({ intendedEnd: '2023-01-31' }), record({ intendedStart: '2023-02-03', intendedEnd: '2023-03-31' })])).toEqual([['20230101', '20230331', '4', 2]]);
  });

  it('keeps two records 4 days apart', () => {
    // B starts 4 February: 4 days after A's end → two arrangements
    expect(spans([record({ intendedEnd: '2023-01-31' }), record({ intendedStart: '2023-02-04', intendedEnd: '2023-03-31' })])).toEqual([
      ['20230101', '20230131', '4', 1],
      ['20230204', '20230331', '4', 1],
    ]);
  });

  it('merges equal dates, and a period that lies inside another', () => {
    expect(spans([record({}), record({})])).toEqual([['20230101', '20231231', '4', 2]]);
    // March–April lies inside the whole year
    expect(spans([record({}), record({ intendedStart: '2023-03-01', intendedEnd: '2023-04-30' })])).toEqual([['20230101', '20231231', '4', 2]]);
  });

  it('keeps another leveringsvorm (financing) apart', () => {
    // (arrangements are listed per person and type by start, then financing code: 2 before 4)
    expect(spans([record({ financing: '4' }), record({ financing: '2' })])).toEqual([
      ['20230101', '20231231', '2', 1],
      ['20230101', '20231231', '4', 1],
    ]);
  });

  it('keeps another type and another person apart', () => {
    expect(mergeArrangements([record({}), record({ type: '07' }), record({ clientKey: 'P2' })], 2023).arrangements).toHaveLength(3);
  });
});

describe('CBS merge, step 1: same person, toewijzingsnummer and type in the year', () => {
  it('merges the records of one allocation whatever the gap', () => {
    // allocation 7 delivered for January and again for October: one arrangement January–October
    expect(spans([record({ allocationNumber: '7', intendedEnd: '2023-01-31' }), record({ allocationNumber: '7', intendedStart: '2023-10-01', intendedEnd: '2023-10-31' })])).toEqual([
      ['20230101', '20231031', '4', 2],
    ]);
  });
});

describe('dates', () => {
  it('the actual date wins over the intended one', () => {
    // beschikt 1 January – 31 December; started 15 January (WMO305), stopped 20 June (WMO307)
    expect(spans([record({ actualStart: '2023-01-15', actualEnd: '2023-06-20', endReason: '19' })])).toEqual([['20230115', '20230620', '4', 1]]);
  });

  it('records in different years stay apart; a record spanning New Year is in both', () => {
    const records = [
      record({ intendedStart: '2022-01-01', intendedEnd: '2022-06-30' }),
      record({ intendedStart: '2022-11-01', intendedEnd: '2023-02-28', type: '07' }),
      record({ intendedStart: '2023-05-01', intendedEnd: '2023-08-31' }),
    ];
    // 2023: the 2022 record is outside; the one over New Year and the 2023 one remain
    const y2023 = mergeArrangements(records, 2023);
    expect(y2023.outsideYear).toBe(1);
    expect(y2023.arrangements.map((a) => [a.type, formatCbsDate(a.start), formatCbsDate(a.end)])).toEqual([
      ['02', '20230501', '20230831'],
      ['07', '20221101', '20230228'],
    ]);
    // 2022: the first two
    expect(mergeArrangements(records, 2022).arrangements.map((a) => a.type)).toEqual(['02', '07']);
  });

  it('an arrangement without end runs on', () => {
    expect(spans([record({ intendedEnd: null })])).toEqual([['20230101', '', '4', 1]]);
  });
});

describe('the arrangement file and the counts', () => {
  // P1: BG ZIN all year + BG PGB from 1 July; P2: BG ZIN until 31 March; P3: HH "anders"
  // (financial contribution) in H2; P4: BG PGB all year.
  const records = [
    record({ clientKey: 'P1' }),
    record({ clientKey: 'P1', financing: '2', intendedStart: '2023-07-01' }),
    record({ clientKey: 'P2', intendedEnd: '2023-03-31', actualEnd: '2023-03-31', endReason: '02' }),
    record({ clientKey: 'P3', type: '01', financing: '6', intendedStart: '2023-09-01', intendedEnd: null }),
    record({ clientKey: 'P4', financing: '2' }),
  ];
  const { arrangements } = mergeArrangements(records, 2023);
  const counts = countArrangements(arrangements, 2023);
  const row = (period: string, type: string, financing: string) => {
    const r = counts.find((c) => c.period === period && c.type === type && c.financing === financing)!;
    return [r.clients, r.arrangements];
  };

  it('counts clients by the combination of their financing forms', () => {
    // BG in H1: P1 {ZIN}, P2 {ZIN}, P4 {PGB} → only ZIN 2 clients / 2 arrangements, only PGB 1/1
    expect(row('H1', '02', 'uitsluitend ZIN')).toEqual([2, 2]);
    expect(row('H1', '02', 'uitsluitend PGB')).toEqual([1, 1]);
    expect(row('H1', '02', 'zowel PGB als ZIN')).toEqual([0, 0]);
    // BG in H2: P1 {ZIN, PGB} → both 1 client, 2 arrangements; P4 only PGB; P2 ended in March
    expect(row('H2', '02', 'zowel PGB als ZIN')).toEqual([1, 2]);
    expect(row('H2', '02', 'uitsluitend PGB')).toEqual([1, 1]);
    expect(row('H2', '02', 'uitsluitend ZIN')).toEqual([0, 0]);
    expect(row('H2', '02', 'totaal')).toEqual([2, 3]);
    // HH in H2: P3 financial contribution → anders
    expect(row('H2', '01', 'anders')).toEqual([1, 1]);
    // all types, whole year: P1 {4,2} both; P2 {4} only ZIN; P3 {6} anders; P4 {2} only PGB
    expect(row('jaar', 'totaal', 'zowel PGB als ZIN')).toEqual([1, 2]);
    expect(row('jaar', 'totaal', 'totaal')).toEqual([4, 5]);
  });

  it('classifies combinations', () => {
    expect([financingGroup(new Set(['4'])), financingGroup(new Set(['2'])), financingGroup(new Set(['2', '4', '6'])), financingGroup(new Set(['4', '6'])), financingGroup(new Set(['6']))]).toEqual([
      'uitsluitend ZIN',
      'uitsluitend PGB',
      'zowel PGB als ZIN',
      'anders',
      'anders',
    ]);
  });

  it('suppresses counts under 10 and rounds to multiples of 5', () => {
    expect([9, 10, 12, 13, 17, 18, 1234].map(publishable)).toEqual(['.', '10', '10', '15', '15', '20', '1235']);
  });

  it('writes the WMOBUS layout with a pseudonymous person key, geldigheid clipped to the year', () => {
    const over = mergeArrangements([record({ clientKey: '999990019', intendedStart: '2022-11-01', intendedEnd: '2023-02-28', actualEnd: '2023-02-28', endReason: '19' })], 2023).arrangements;
    const text = writeArrangementFile(over, 2023, '3', createPseudonymizer('a-secret-of-the-gemeente'));
    const [header, line] = text.split('\r\n');
    expect(header).toBe('PersoonSleutel;TypeArrangementWmo;GEMWMO2023;vlgnrWmo;BegingeldigheidWmo;EindgeldigheidWmo;BegindatumWmo;EinddatumWmo;FinancieringsvormWmo;RedeneindeWmo;ToestemmingWmo');
    // Begingeldigheid clipped to 1 January; the arrangement itself began 1 November 2022
    expect(line).toMatch(/^C-[0-9a-f]{16};02;0405;1;20230101;20230228;20221101;20230228;4;19;3$/);
    expect(text).not.toContain('999990019');
    expect(writeCountFile(counts.slice(0, 1), 2023, '0405', true)).toBe('Jaar;Gemcode;Periode;TypeArrangementWmo;Financieringsvorm;Aantal_clienten;Aantal_arrangementen\r\n2023;0405;H1;01;uitsluitend ZIN;.;.\r\n');
  });
});
