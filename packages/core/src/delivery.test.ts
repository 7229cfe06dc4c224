import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkQsd301 } from './qsd301/checks.js';
import { cell, client, perf, run } from './engine/testing.js';

const expectedFile = readFileSync(new URL('./__fixtures__/WMO_0405_2023_20240115_01.csv', import.meta.url));

describe('the engine, fed hand-made records, writes the hand-written expected file', () => {
  // Hoorn (0405), reporting year 2023, wijken 10 and 12. Clients (age on 2023-06-30):
  //  A born 1950-03-12 → 73 → class 3, wijk 12: HH (01) Jan, Feb, Mar at €90.00 = €270
  //  B born 2005-06-30 → 18 → class 2, wijk 10: BG (02) €123.45, DB (07) €50.50
  //  C born 2005-07-01 → 17 → class 1, wijk 10: OV_OND (03) €200 credited in full, corrected €150
  //  D born 1990-01-01 → 33 → class 2, left Hoorn in 2022 → no wijk: HULP_DNST (08)
  //    2022-12-19 … 2023-01-15, €280 × 15/28 days = €150
  //  E without birth date: left out (listed in the report)
  //  F born 1980 → class 2, wijk 10: only Beschermd wonen (15) → not in the file
  //
  // Age class 2, gemeente total: B + D = 2 clients; €123.45 + €50.50 + €150.00 = €323.95 → €324;
  //   floors 123 + 50 + 150 = 323, one euro to the largest remainder: DB (.50 > .45) → BG 123,
  //   DB 51, HULP_DNST 150. Wijk 10: B only, €173.95 → €174; BG 123, DB 51 by the same rule.
  // Age class 1: C, €200 − €200 + €150 = €150 in OV_OND, in the total and wijk 10.
  // Age class 3: A, €270 in HH_Hulp, in the total and wijk 12.
  const performances = [
    perf({ clientKey: '999990019', amountCents: 9000, category: '01', periodStart: '2023-01-01', periodEnd: '2023-01-31' }),
    perf({ clientKey: '999990019', amountCents: 9000, category: '01', periodStart: '2023-02-01', periodEnd: '2023-02-28' }),
    perf({ clientKey: '999990019', amountCents: 9000, category: '01', periodStart: '2023-03-01', periodEnd: '2023-03-31' }),
    perf({ clientKey: '999990020', amountCents: 12345, category: '02' }),
    perf({ clientKey: '999990020', amountCents: 5050, category: '07' }),
    perf({ clientKey: '999990032', amountCents: 20000, category: '03', reference: 'C-RN1' }),
    perf({ clientKey: '999990032', amountCents: -20000, category: '03', reference: 'C-RN2', reversesReference: 'C-RN1' }),
    perf({ clientKey: '999990032', amountCents: 15000, category: '03', reference: 'C-RN3' }),
    perf({ clientKey: '999990044', amountCents: 28000, category: '08', periodStart: '2022-12-19', periodEnd: '2023-01-15' }),
    perf({ clientKey: '999990056', amountCents: 10000, category: '01' }),
    perf({ clientKey: '999990068', amountCents: 300000, category: '15' }),
  ];
  const clients = [
    client('999990019', '1950-03-12', ['2010-01-01', null, '0405', 'WK040512']),
    client('999990020', '2005-06-30', ['2015-05-01', null, '0405', 'WK040510']),
    client('999990032', '2005-07-01', ['2005-07-01', null, '0405', 'WK040510']),
    client('999990044', '1990-01-01', ['2000-01-01', '2022-10-31', '0405', 'WK040512'], ['2022-11-01', null, '0441', null]),
    client('999990056', null, ['2000-01-01', null, '0405', 'WK040510']),
    client('999990068', '1980-01-01', ['2000-01-01', null, '0405', 'WK040510']),
  ];

  it('byte for byte', async () => {
    const delivery = await run(performances, clients);
    expect(Buffer.from(delivery.csv, 'ascii').equals(expectedFile)).toBe(true);
    expect(delivery.csv).toBe(expectedFile.toString('ascii'));
  });

  it('passes every check, and validate accepts the file', async () => {
    const delivery = await run(performances, clients);
    expect(delivery.report.checks.filter((c) => !c.passed)).toEqual([]);
    expect(delivery.passed).toBe(true);
    expect(checkQsd301(expectedFile, { expectedWijkCodes: ['WK040510', 'WK040512'] }).findings).toEqual([]);
  });

  it('reports the left-out and unplaced clients by pseudonymous key only', async () => {
    const { report, rows } = await run(performances, clients);
    expect(report.clients.leftOut.map((c) => c.reason)).toEqual(['birth date unknown']);
    expect(report.clients.withoutWijk).toHaveLength(1); // D
    expect(report.clients.delivered).toBe(4); // A, B, C, D
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([2, 324]);
    const text = JSON.stringify(report);
    for (const bsn of ['999990019', '999990020', '999990032', '999990044', '999990056', '999990068']) expect(text).not.toContain(bsn);
    for (const birth of ['1950-03-12', '2005-06-30', '2005-07-01', '1990-01-01']) expect(text).not.toContain(birth);
  });

  it('summarises per category and half year', async () => {
    const { report } = await run(performances, clients);
    const hh = report.categories.find((c) => c.category === 'HH_Hulp')!;
    // A: 3 × €90 in H1, and E (left out of the file, but approved): €100 in March (H1)
    expect(hh).toEqual({ category: 'HH_Hulp', clients: 2, amountCents: 37000, halves: [{ half: 'H1', clients: 2, amountCents: 37000 }, { half: 'H2', clients: 0, amountCents: 0 }] });
    const excluded = report.categories.find((c) => c.category === 'excluded')!;
    expect(excluded.amountCents).toBe(300000);
  });
});
