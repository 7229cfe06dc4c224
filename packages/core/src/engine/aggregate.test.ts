import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeListLookup } from '../code-list.js';
import { WmoError } from '../errors.js';
import { SpillFile } from './spill.js';
import { cell, client, perf, run } from './testing.js';

// Every expectation below is worked out by hand from domain.md §2–§3; the arithmetic is in the
// comments. Reporting year 2023 unless stated, so the reference date is 2023-06-30.

const W10 = 'WK040510';
const W12 = 'WK040512';

describe('age class on 30 June of the reporting year', () => {
  it.each([
    // 2023 − 2005 = 18 on 2023-06-30 for a birthday on 30 June → 18–64 → class 2
    ['2005-06-30', 2],
    // born 1 July 2005: the 18th birthday is 2023-07-01, after 30 June → 17 → class 1
    ['2005-07-01', 1],
    // 2023 − 1958 = 65 on the birthday 30 June → class 3
    ['1958-06-30', 3],
    // born 1 July 1958: still 64 on 30 June 2023 → class 2
    ['1958-07-01', 2],
    // born after 30 June of the reporting year: not yet born on the reference date → a child, class 1
    ['2023-08-01', 1],
  ] as const)('born %s → age class %i', async (birthDate, expected) => {
    const { rows } = await run([perf({ clientKey: 'A', amountCents: 10000 })], [client('A', birthDate, ['2000-01-01', null, '0405', W10])]);
    // one BG performance of €100.00 → 1 client, 100 euro in the expected class, nothing elsewhere
    for (const age of [1, 2, 3] as const) {
      expect(cell(rows, W10, age, 'BG')).toEqual(age === expected ? [1, 100] : [0, 0]);
      expect(cell(rows, null, age, 'Wmo_tot')).toEqual(age === expected ? [1, 100] : [0, 0]);
    }
  });
});

describe('wijk from the address on 30 June', () => {
  const born = '1980-01-01'; // age 43 → class 2
  it('a client who moves on 30 June counts in the new wijk', async () => {
    const { rows } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 })],
      // old address ends 29 June, new one starts 30 June: on 30 June the client lives in wijk 12
      [client('A', born, ['2010-01-01', '2023-06-29', '0405', W10], ['2023-06-30', null, '0405', W12])],
    );
    expect(cell(rows, W12, 2, 'BG')).toEqual([1, 50]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([0, 0]);
  });

  it('a client whose old address ends on 30 June still counts in the old wijk', async () => {
    const { rows } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 })],
      // adres_einddatum is the last day at the address: 30 June is still at wijk 10
      [client('A', born, ['2010-01-01', '2023-06-30', '0405', W10], ['2023-07-01', null, '0405', W12])],
    );
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 50]);
    expect(cell(rows, W12, 2, 'BG')).toEqual([0, 0]);
  });

  it('a client who moves into the gemeente after 30 June counts in the wijk of the new address', async () => {
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 5000, periodStart: '2023-09-01', periodEnd: '2023-09-30' })],
      // on 30 June in Schagen (0441); in Hoorn from 15 August: the only Hoorn address overlapping
      // 2023, 46 days after 30 June (31 days of July + 15) → wijk 12
      [client('A', born, ['2015-05-01', '2023-08-14', '0441', null], ['2023-08-15', null, '0405', W12])],
    );
    expect(cell(rows, W12, 2, 'BG')).toEqual([1, 50]);
    expect(report.clients.withoutWijk).toEqual([]);
  });

  it('without an address on 30 June, the address closest to 30 June in days wins', async () => {
    const { rows } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 })],
      // wijk 10 until 31 March: 91 days before 30 June (April 30 + May 31 + June 30);
      // wijk 12 from 1 September: 63 days after (July 31 + August 31 + 1) → wijk 12
      [client('A', born, ['2010-01-01', '2023-03-31', '0405', W10], ['2023-04-01', '2023-08-31', '0441', null], ['2023-09-01', null, '0405', W12])],
    );
    expect(cell(rows, W12, 2, 'BG')).toEqual([1, 50]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([0, 0]);
  });

  it('a client without any address in the gemeente in the reporting year counts only in the gemeente total and is listed', async () => {
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 })],
      // Hoorn address ended in 2022 — it does not overlap 2023 — so there is no wijk
      [client('A', born, ['2010-01-01', '2022-12-31', '0405', W10], ['2023-01-01', null, '0441', null])],
    );
    expect(cell(rows, null, 2, 'BG')).toEqual([1, 50]);
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([1, 50]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([0, 0]);
    expect(report.clients.withoutWijk).toHaveLength(1);
    expect(report.clients.withoutWijk[0]!.client).toMatch(/^C-[0-9a-f]{16}$/);
    expect(report.clients.withoutWijk[0]!.amountCents).toBe(5000);
    expect(report.checks.every((c) => c.passed)).toBe(true);
  });

  it('resolves a postcode + house number through the address resolver', async () => {
    const { rows } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 })],
      [{ clientKey: 'A', birthDate: born, addresses: [{ start: '2010-01-01', end: null, municipality: '0405', postcode: '1621AB', houseNumber: '12' }] }],
      { resolveAddress: ({ postcode, houseNumber }) => (postcode === '1621AB' && houseNumber === '12' ? W12 : undefined) },
    );
    expect(cell(rows, W12, 2, 'BG')).toEqual([1, 50]);
  });
});

describe('clients that cannot be placed', () => {
  it('a client without birth date is left out of the file and listed', async () => {
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 5000 }), perf({ clientKey: 'B', amountCents: 7000 })],
      [client('A', null, ['2010-01-01', null, '0405', W10]), client('B', '1980-01-01', ['2010-01-01', null, '0405', W10])],
    );
    // only B (age 43, class 2) remains: 1 client, €70
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([1, 70]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 70]);
    expect(report.clients.leftOut).toEqual([{ client: expect.stringMatching(/^C-/), reason: 'birth date unknown', amountCents: 5000 }]);
  });

  it('a client missing from the register is left out and listed without the BSN', async () => {
    const { rows, report } = await run([perf({ clientKey: '999990019', amountCents: 5000 })], []);
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([0, 0]);
    expect(report.clients.leftOut[0]!.reason).toBe('not in the client register');
    expect(JSON.stringify(report)).not.toContain('999990019');
  });
});

describe('costs in the period of delivery, pro rata by days', () => {
  const clients = [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10])];

  it('a performance crossing 31 December counts for its days in the reporting year', async () => {
    // CAK 4-week period 2022-12-19 … 2023-01-15 = 28 days: 13 in December, 15 in January.
    // €280.00 × 15/28 = €150.00 in 2023; the client counts (at least one day inside).
    const p = perf({ clientKey: 'A', amountCents: 28000, periodStart: '2022-12-19', periodEnd: '2023-01-15' });
    const { rows } = await run([p], clients);
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 150]);
    // the same performance in the 2022 delivery: €280.00 × 13/28 = €130.00
    const earlier = await run([p], clients, { year: 2022 });
    expect(cell(earlier.rows, W10, 2, 'BG')).toEqual([1, 130]);
  });

  it('keeps the fractions of a cent until the final rounding', async () => {
    // A 1-cent performance over 2022-12-19 … 2023-01-15 (28 days, 15 in 2023) has an exact
    // 2023 share of 15/28 = 0.5357… cent.
    // 93 of them: 93 × 15/28 = 1395/28 = 49.82… cents = €0.498… → half up → €0.
    // Had each share been rounded to a whole cent first (0.5357 → 1), 93 cents → €1: different.
    // 94 of them: 94 × 15/28 = 1410/28 = 50.36… cents = €0.5036 → €1.
    const tiny = (n: number) => Array.from({ length: n }, () => perf({ clientKey: 'A', amountCents: 1, periodStart: '2022-12-19', periodEnd: '2023-01-15' }));
    expect(cell((await run(tiny(93), clients)).rows, W10, 2, 'BG')).toEqual([1, 0]);
    expect(cell((await run(tiny(94), clients)).rows, W10, 2, 'BG')).toEqual([1, 1]);
  });

  it('the H1 delivery counts only 1 January – 30 June', async () => {
    // 2023-06-19 … 2023-07-16 = 28 days, 12 in June: €280.00 × 12/28 = €120.00 in H1;
    // a July performance is outside H1 entirely.
    const { rows, report } = await run(
      [
        perf({ clientKey: 'A', amountCents: 28000, periodStart: '2023-06-19', periodEnd: '2023-07-16' }),
        perf({ clientKey: 'A', amountCents: 9900, category: '01', periodStart: '2023-07-01', periodEnd: '2023-07-31' }),
      ],
      clients,
      { period: 'H1' },
    );
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 120]);
    expect(cell(rows, W10, 2, 'HH_Hulp')).toEqual([0, 0]);
    expect(report.selection.outsidePeriod).toEqual({ count: 1, amountCents: 9900 });
    expect(rows.every((r) => r.year === 2023)).toBe(true);
  });
});

describe('credits', () => {
  const clients = [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10]), client('B', '1980-01-01', ['2010-01-01', null, '0405', W10])];

  it('a credit reverses its debit; the correction counts', async () => {
    const debit = perf({ clientKey: 'A', amountCents: 10000, reference: 'RN1' });
    const credit = perf({ clientKey: 'A', amountCents: -10000, reference: 'RN2', reversesReference: 'RN1' });
    const correction = perf({ clientKey: 'A', amountCents: 8000, reference: 'RN3' });
    // credit given before its debit: the order of files must not matter
    const { rows, report } = await run([credit, debit, correction], clients);
    // 10000 − 10000 + 8000 = 8000 cents = €80; one client
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 80]);
    expect(report.selection.approvedDebits).toEqual({ count: 2, amountCents: 18000 });
    expect(report.selection.approvedCredits).toEqual({ count: 1, amountCents: -10000 });
  });

  it('a performance reversed in full does not count its client', async () => {
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 10000, reference: 'RN1' }),
        perf({ clientKey: 'A', amountCents: -10000, reference: 'RN2', reversesReference: 'RN1' }),
        perf({ clientKey: 'B', amountCents: 4000, reference: 'RN3' }),
      ],
      clients,
    );
    // A: 10000 − 10000 = 0 and no unreversed debit → not counted; B: €40
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 40]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 40]);
  });

  it('a client whose reversed performance is in one category still counts in another', async () => {
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 10000, reference: 'RN1', category: '01' }),
        perf({ clientKey: 'A', amountCents: -10000, reference: 'RN2', reversesReference: 'RN1', category: '01' }),
        perf({ clientKey: 'A', amountCents: 3000, reference: 'RN3', category: '07' }),
      ],
      clients,
    );
    expect(cell(rows, W10, 2, 'HH_Hulp')).toEqual([0, 0]);
    expect(cell(rows, W10, 2, 'DB')).toEqual([1, 30]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 30]);
  });

  it('a credit without VorigReferentieNummer reverses the matching debit (same client, product, period, amount)', async () => {
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 10000, reference: 'X1' }),
        perf({ clientKey: 'A', amountCents: 10000, reference: 'X2', periodStart: '2023-04-01', periodEnd: '2023-04-30' }),
        perf({ clientKey: 'A', amountCents: -10000, reference: 'X3' }), // March, no reference: reverses X1
      ],
      clients,
    );
    // 10000 + 10000 − 10000 = 10000 cents = €100; A still counts through X2
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 100]);
    const alone = await run([perf({ clientKey: 'A', amountCents: 10000, reference: 'X1' }), perf({ clientKey: 'A', amountCents: -10000, reference: 'X3' })], clients);
    // the only debit is reversed: €0 and the client does not count
    expect(cell(alone.rows, W10, 2, 'BG')).toEqual([0, 0]);
  });

  it('credits without VorigReferentieNummer take the matching debits in order, one each', async () => {
    // all in March 2023, category 02, product 02A01 (the defaults of perf)
    const { rows, report } = await run(
      [
        perf({ clientKey: 'A', amountCents: 10000, reference: 'X1' }),
        perf({ clientKey: 'A', amountCents: 10000, reference: 'X2' }), // the same signature as X1
        perf({ clientKey: 'B', amountCents: 10000, reference: 'Y1' }), // the same, but client B
        perf({ clientKey: 'A', amountCents: -10000, reference: 'X3' }), // reverses X1, the first
        perf({ clientKey: 'A', amountCents: -10000, reference: 'X4' }), // reverses X2 (X1 is taken)
        perf({ clientKey: 'A', amountCents: -10000, reference: 'X5' }), // none left for A: not counted
        perf({ clientKey: 'B', amountCents: -4000, reference: 'Y2' }), // no debit of B of 4000: not counted
      ],
      clients,
    );
    // A: 10000 + 10000 − 10000 − 10000 = 0, both debits reversed in full: not counted;
    // B: 10000 = €100, its debit not reversed: 1 client
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 100]);
    expect(report.selection.approvedCredits).toEqual({ count: 2, amountCents: -20000 });
    // X5 and Y2: −10000 − 4000 = −14000
    expect(report.selection.creditsWithoutDebit).toEqual({ count: 2, amountCents: -14000 });
  });

  it('a credit whose debit is not in the input is not counted, and is reported', async () => {
    const { rows, report } = await run([perf({ clientKey: 'A', amountCents: -5000, reference: 'RN9', reversesReference: 'RN8' })], clients);
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([0, 0]);
    expect(report.selection.creditsWithoutDebit).toEqual({ count: 1, amountCents: -5000 });
    expect(report.warnings.find((w) => w.kind === 'credit-without-debit')?.count).toBe(1);
  });
});

describe('a run past spillFrom: the lines of its first page read back from the temporary file', () => {
  const clients = ['A', 'B', 'C', 'F'].map((key) => client(key, '1980-01-01', ['2010-01-01', null, '0405', W10]));
  // Lines 0 and 1: debits of A (X1, 10000) and B (Y1, 5000); lines 2 … 69,999: 69,998 debits of F
  // of 100 cents (March 2023, category 02, product 02A01: the defaults of perf). With spillFrom
  // 65,536 the first page (lines 0 … 65,535) goes to the file when line 65,536 comes, so what
  // follows finds its debits there: a credit naming X1, a credit without a reference matching Y1
  // by signature, F5 given again, a credit naming a debit that is not there, and a debit of C.
  const early = [perf({ clientKey: 'A', amountCents: 10000, reference: 'X1' }), perf({ clientKey: 'B', amountCents: 5000, reference: 'Y1' })];
  const fillers = Array.from({ length: 69_998 }, (_, i) => perf({ clientKey: 'F', amountCents: 100, reference: `F${i + 2}`, source: { file: 'fill.xml', element: `Prestatie[${i + 3}]` } }));
  const late = [
    perf({ clientKey: 'A', amountCents: -10000, reference: 'X2', reversesReference: 'X1', source: { file: 'late.xml', element: 'Prestatie[1]' } }),
    { ...fillers[3]!, source: { file: 'late.xml', element: 'Prestatie[2]' } }, // F5 again
    perf({ clientKey: 'B', amountCents: -5000, reference: 'Y2', source: { file: 'late.xml', element: 'Prestatie[3]' } }),
    perf({ clientKey: 'C', amountCents: -700, reference: 'Z1', reversesReference: 'NOPE', source: { file: 'late.xml', element: 'Prestatie[4]' } }),
    perf({ clientKey: 'C', amountCents: 2500, reference: 'C1', source: { file: 'late.xml', element: 'Prestatie[5]' } }),
  ];
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the same numbers as a run in memory', async () => {
    const append = vi.spyOn(SpillFile.prototype, 'append');
    const spilled = await run([...early, ...fillers, ...late], clients, { spillFrom: 65_536 });
    // 70,004 lines kept (F5 again is not): the first page went to the file, once; its 65,536 × 13
    // reference bytes at most (under 1 MB) fill no arena page
    expect(append).toHaveBeenCalledTimes(1);
    // A: 10000 − 10000 = 0, reversed in full; B: 5000 − 5000 = 0, reversed in full; the credit of
    // C names no debit read: not counted. F: 69,998 × 100 = 6,999,800 and C: 2,500 → 7,002,300
    // cents = €70,023, two clients
    expect(cell(spilled.rows, W10, 2, 'BG')).toEqual([2, 70023]);
    expect(cell(spilled.rows, null, 2, 'Wmo_tot')).toEqual([2, 70023]);
    expect(spilled.report.selection.duplicates).toEqual({ count: 1, amountCents: 100 });
    expect(spilled.report.selection.creditsWithoutDebit).toEqual({ count: 1, amountCents: -700 });
    expect(spilled.report.selection.approvedCredits).toEqual({ count: 2, amountCents: -15000 });
    // 10000 + 5000 + 6,999,800 + 2500
    expect(spilled.report.selection.approvedDebits).toEqual({ count: 70_001, amountCents: 7_017_300 });
    append.mockClear();
    const inMemory = await run([...early, ...fillers, ...late], clients, { spillFrom: Infinity });
    expect(append).not.toHaveBeenCalled();
    expect(spilled.csv).toBe(inMemory.csv);
    expect(spilled.report).toEqual(inMemory.report);
  });

  it('names both places of a conflict when the first is in the file', async () => {
    const conflict = { ...fillers[5]!, amountCents: 101, source: { file: 'late.xml', element: 'Prestatie[9]' } }; // F7: element Prestatie[8] of fill.xml (line 8 as columns: its position + 1)
    const error = await run([...early, ...fillers, ...late, conflict], clients, { spillFrom: 65_536 }).catch((e: unknown) => e);
    expect(WmoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Performance F7 of provider 12345678 occurs twice with different content: in fill\.xml(:8| \(element Prestatie\[8\]\)) and in late\.xml/);
  });
});

describe('product categories', () => {
  const clients = [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10])];

  it('category 15 (Beschermd wonen) is excluded from the file and from Wmo_tot', async () => {
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 90000, category: '15', productCode: '15A01' }), perf({ clientKey: 'A', amountCents: 2500, category: '02' })],
      clients,
    );
    // only BG counts: Wmo_tot = €25, 1 client
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 25]);
    expect(report.selection.excluded).toEqual({ count: 1, amountCents: 90000 });
  });

  it('a client with only category 15 is not in the file at all', async () => {
    const { rows } = await run([perf({ clientKey: 'A', amountCents: 90000, category: '15' })], clients);
    expect(rows.every((r) => r.clients === 0 && r.euros === 0)).toBe(true);
  });

  it('ONBEKEND counts inside Wmo_tot', async () => {
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 1000, category: null, productCode: 'XX999' }), perf({ clientKey: 'A', amountCents: 2000, category: '08' })],
      clients,
      { codeList: codeListLookup('test-list', []) },
    );
    // ONBEKEND €10 + HULP_DNST (08 Vervoersdiensten) €20 = Wmo_tot €30, one client
    expect(cell(rows, W10, 2, 'ONBEKEND')).toEqual([1, 10]);
    expect(cell(rows, W10, 2, 'HULP_DNST')).toEqual([1, 20]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 30]);
    expect(report.warnings.find((w) => w.kind === 'unknown-product-code')?.examples[0]?.message).toContain('XX999');
  });

  it('the code list gives the category of a code without one; a Jeugdwet code is not Wmo', async () => {
    const list = codeListLookup('test-list', [
      { code: '07A01', category: '07', isWmo: true, description: 'Dagbesteding' },
      { code: '43Z01', category: null, isWmo: false, description: 'Jeugd' },
    ]);
    const { rows, report } = await run(
      [perf({ clientKey: 'A', amountCents: 1500, category: null, productCode: '07A01' }), perf({ clientKey: 'A', amountCents: 7000, category: null, productCode: '43Z01' })],
      clients,
      { codeList: list },
    );
    expect(cell(rows, W10, 2, 'DB')).toEqual([1, 15]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 15]);
    expect(report.selection.notWmo).toEqual({ count: 1, amountCents: 7000 });
  });

  it('the category in the source wins over the code list, with a warning', async () => {
    const list = codeListLookup('test-list', [{ code: '02A01', category: '07', isWmo: true, description: 'x' }]);
    const { rows, report } = await run([perf({ clientKey: 'A', amountCents: 1500, category: '02', productCode: '02A01' })], clients, { codeList: list });
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 15]);
    expect(report.warnings.find((w) => w.kind === 'category-mismatch')?.count).toBe(1);
  });

  it('counts every line of a code without a category, and of a category the code list disagrees with, in its warning', async () => {
    const list = codeListLookup('test-list', [{ code: '02A01', category: '07', isWmo: true, description: 'x' }]);
    const { rows, report } = await run(
      [
        perf({ clientKey: 'A', amountCents: 1000, category: null, productCode: 'XX999', reference: 'R1' }),
        perf({ clientKey: 'A', amountCents: 1500, category: '02', productCode: '02A01', reference: 'R2', source: { file: 'export.csv', line: 12 } }),
        perf({ clientKey: 'A', amountCents: 2000, category: null, productCode: 'XX999', reference: 'R3' }),
        perf({ clientKey: 'A', amountCents: 400, category: '', productCode: 'XX999', reference: 'R4' }),
        perf({ clientKey: 'A', amountCents: 1500, category: '02', productCode: '02A01', reference: 'R5', source: { file: 'export.csv', line: 15 } }),
        perf({ clientKey: 'A', amountCents: 700, category: null, productCode: 'YY1', reference: 'R6' }),
      ],
      clients,
      { codeList: list },
    );
    // ONBEKEND: XX999 1000 + 2000 + 400 (an empty category is none) and YY1 700 = 4100 cents = €41;
    // BG (02, the declaration's category wins): 1500 + 1500 = 3000 cents = €30; Wmo_tot €71
    expect(cell(rows, W10, 2, 'ONBEKEND')).toEqual([1, 41]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 30]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 71]);
    // one warning per code: XX999 3 lines, 3400 cents; YY1 1 line, 700 cents
    const unknown = report.warnings.find((w) => w.kind === 'unknown-product-code')!;
    expect(unknown.count).toBe(2);
    expect(unknown.amountCents).toBe(3400 + 700);
    expect(unknown.examples.map((e) => e.message)).toEqual([
      'product code XX999 is not in code list test-list: 3 performance(s) without a category counted as ONBEKEND',
      'product code YY1 is not in code list test-list: 1 performance(s) without a category counted as ONBEKEND',
    ]);
    // one warning for the pair 02 / 02A01, its two lines, at the first line
    const mismatch = report.warnings.find((w) => w.kind === 'category-mismatch')!;
    expect(mismatch.count).toBe(1);
    expect(mismatch.examples[0]!.message).toBe('product code 02A01 has category 02 in the declaration and 07 in code list test-list (2 performance(s)); the category in the declaration is used');
    expect(mismatch.examples[0]!.location).toEqual({ file: 'export.csv', line: 12 });
  });

  it('counts a client once per category and once in Wmo_tot', async () => {
    // seed 000 §4.3: personal care (03) and short stay (04) both fall in OV_OND → one client there
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 100, category: '03' }),
        perf({ clientKey: 'A', amountCents: 200, category: '04' }),
        perf({ clientKey: 'A', amountCents: 300, category: '01' }),
      ],
      clients,
    );
    // OV_OND 1 client, 100 + 200 = 300 cents = €3; HH_Hulp 1 client €3; Wmo_tot 1 client €6
    expect(cell(rows, W10, 2, 'OV_OND')).toEqual([1, 3]);
    expect(cell(rows, W10, 2, 'HH_Hulp')).toEqual([1, 3]);
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 6]);
  });
});

describe('rounding: categories add up to Wmo_tot exactly', () => {
  const clients = [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10])];

  it('several 50-cent cells: half up for Wmo_tot, largest remainder in category order', async () => {
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 1050, category: '01' }), // HH_Hulp €10.50
        perf({ clientKey: 'A', amountCents: 2050, category: '02' }), // BG €20.50
        perf({ clientKey: 'A', amountCents: 3050, category: '07' }), // DB €30.50
      ],
      clients,
    );
    // Wmo_tot = €61.50 → half up → €62. Floors 10 + 20 + 30 = 60: 2 euros to hand out; all
    // remainders are €0.50, so the tie goes in category order: HH_Hulp 11, BG 21, DB 30.
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 62]);
    expect(cell(rows, W10, 2, 'HH_Hulp')).toEqual([1, 11]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 21]);
    expect(cell(rows, W10, 2, 'DB')).toEqual([1, 30]);
  });

  it('the largest remainder wins before the category order', async () => {
    const { rows } = await run(
      [
        perf({ clientKey: 'A', amountCents: 1040, category: '01' }), // €10.40
        perf({ clientKey: 'A', amountCents: 2070, category: '02' }), // €20.70
        perf({ clientKey: 'A', amountCents: 3040, category: '07' }), // €30.40
      ],
      clients,
    );
    // total €61.50 → €62; floors 60; remainders .40 .70 .40 → BG first (.70), then the tie
    // .40/.40 goes to HH_Hulp (earlier): HH 11, BG 21, DB 30
    expect(cell(rows, W10, 2, 'Wmo_tot')).toEqual([1, 62]);
    expect(cell(rows, W10, 2, 'HH_Hulp')).toEqual([1, 11]);
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 21]);
    expect(cell(rows, W10, 2, 'DB')).toEqual([1, 30]);
  });

  it('gemeente totals are rounded from their own exact amounts, not from rounded wijk rows', async () => {
    const { rows } = await run(
      [perf({ clientKey: 'A', amountCents: 1050 }), perf({ clientKey: 'B', amountCents: 1050 })],
      [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10]), client('B', '1980-01-01', ['2010-01-01', null, '0405', W12])],
    );
    // each wijk: €10.50 → €11; the total: €21.00 → €21 (not 11 + 11 = 22)
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 11]);
    expect(cell(rows, W12, 2, 'BG')).toEqual([1, 11]);
    expect(cell(rows, null, 2, 'BG')).toEqual([2, 21]);
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([2, 21]);
  });
});

describe('the complete grid', () => {
  it('every wijk × 3 age classes × 7 categories, zeros included, plus the gemeente totals', async () => {
    const { rows } = await run([perf({ clientKey: 'A', amountCents: 5000 })], [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10])]);
    // (1 total + 2 wijken) × 3 × 7 = 63 rows; wijk 12 has no clients but is there with zeros
    expect(rows).toHaveLength(63);
    for (const age of [1, 2, 3] as const) for (const cat of ['Wmo_tot', 'HH_Hulp', 'BG', 'DB', 'OV_OND', 'HULP_DNST', 'ONBEKEND'] as const) {
      expect(cell(rows, W12, age, cat)).toEqual([0, 0]);
    }
  });
});

describe('selection bookkeeping', () => {
  const clients = [client('A', '1980-01-01', ['2010-01-01', null, '0405', W10])];

  it('skips and counts performances for another gemeente', async () => {
    const { rows, report } = await run([perf({ clientKey: 'A', amountCents: 5000, municipality: '0441' })], clients);
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([0, 0]);
    expect(report.selection.otherMunicipality).toEqual({ count: 1, amountCents: 5000 });
  });

  it('tallies rejected and pending performances without counting them', async () => {
    const { rows, report } = await run([], clients, {
      items: [
        { type: 'not-approved', reason: 'rejected', performance: perf({ clientKey: 'A', amountCents: 1200 }) },
        { type: 'not-approved', reason: 'pending', performance: perf({ clientKey: 'A', amountCents: 3400 }) },
      ],
    });
    expect(cell(rows, null, 2, 'Wmo_tot')).toEqual([0, 0]);
    expect(report.selection.rejected).toEqual({ count: 1, amountCents: 1200 });
    expect(report.selection.pending).toEqual({ count: 1, amountCents: 3400 });
  });

  it('reads the same performance twice once, with a warning', async () => {
    const p = perf({ clientKey: 'A', amountCents: 5000 });
    const { rows, report } = await run([p, { ...p, source: { file: 'copy.xml' } }], clients);
    expect(cell(rows, W10, 2, 'BG')).toEqual([1, 50]);
    expect(report.selection.duplicates.count).toBe(1);
  });

  it('refuses the same reference with different content, naming both files', async () => {
    const p = perf({ clientKey: 'A', amountCents: 5000, source: { file: 'a.xml' } });
    const error = await run([p, { ...p, amountCents: 6000, source: { file: 'b.xml' } }], clients).catch((e: unknown) => e);
    expect(WmoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/a\.xml.*b\.xml/);
  });
});
