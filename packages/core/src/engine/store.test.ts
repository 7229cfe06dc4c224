import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { WmoError } from '../errors.js';
import { SpillFile } from './spill.js';
import { PerformanceStore, StringTable, restHashOf } from './store.js';
import { perf } from './testing.js';

function storeWith(references: { provider: string; reference: string }[]) {
  const providers = new StringTable();
  const files = new StringTable();
  const store = new PerformanceStore(providers, files);
  const ids = (provider: string) => ({ provider: providers.id(provider), client: 0, category: 1, product: 0, file: files.id('f.xml') });
  references.forEach(({ provider, reference }, i) => {
    const p = perf({ clientKey: 'A', amountCents: 100 + i, provider, reference, source: { file: 'f.xml', line: i + 1 } });
    expect(store.find(providers.id(provider), reference)).toBe(-1);
    expect(store.add(p, ids(provider), 19_417, 19_447)).toBe(i);
  });
  return { store, providers };
}

describe('PerformanceStore', () => {
  it('finds every (provider, reference) after many rehashes, and nothing else', () => {
    // 20,000 lines over three providers: the key table starts at 4,096 slots and grows by half 5
    // times (6,144 … 31,104 slots, at most 80 % used); probes run past its last slot to the first
    const keys = Array.from({ length: 20_000 }, (_, i) => ({ provider: ['11111111', '22222222', '33333333'][i % 3]!, reference: `R${Math.floor(i / 3)}` }));
    const { store, providers } = storeWith(keys);
    keys.forEach(({ provider, reference }, i) => expect(store.find(providers.id(provider), reference)).toBe(i));
    // the same reference of another provider is another performance
    expect(store.find(providers.id('11111111'), 'R6667')).toBe(-1); // 20,000 / 3 → R0 … R6666
    expect(store.find(providers.id('22222222'), 'R')).toBe(-1);
    expect(store.reference(19_999)).toBe('R6666');
    expect(store.amount(19_999)).toBe(100 + 19_999);
    expect(store.location(5)).toEqual({ file: 'f.xml', line: 6 });
  });

  it('keeps every column exactly across pages of lines and of reference bytes', () => {
    // 140,000 lines: pages of 65,536 lines → three pages (0–65,535, 65,536–131,071, 131,072–);
    // references of 12 characters → 1,680,000 bytes, more than one arena page of 1,048,576
    // (87,381 references fill the first up to 1,048,572; reference 87,381 runs on into page two
    // with its last 8 bytes; 87,381 = 1,365 × 64 + 21: in the middle of a block of 64 lines)
    const providers = new StringTable();
    const files = new StringTable();
    const store = new PerformanceStore(providers, files);
    const file = files.id('f.csv');
    const reference = (i: number) => `R${String(i).padStart(11, '0')}`;
    for (let i = 0; i < 140_000; i++) {
      const p = perf({ clientKey: 'A', amountCents: i % 2 === 0 ? i : -i, debitCredit: i % 2 === 0 ? 'D' : 'C', reference: reference(i), source: { file: 'f.csv', line: i + 2 } });
      store.add(p, { provider: i % 3, client: i * 7, category: i % 5, product: i % 11, file }, i, i + 30);
    }
    for (const i of [0, 65_535, 65_536, 87_380, 87_381, 87_382, 131_071, 131_072, 139_999]) {
      expect([store.find(i % 3, reference(i)), store.reference(i), store.providerOf(i), store.clientOf(i), store.categoryOf(i), store.productOf(i)]).toEqual([
        i,
        reference(i),
        i % 3,
        i * 7,
        i % 5,
        i % 11,
      ]);
      expect([store.startOf(i), store.endOf(i), store.amount(i), store.isCredit(i), store.location(i)]).toEqual([i, i + 30, i % 2 === 0 ? i : -i, i % 2 === 1, { file: 'f.csv', line: i + 2 }]);
    }
    let found = 0;
    for (let i = 0; i < 140_000; i++) if (store.find(i % 3, reference(i)) === i) found++;
    expect(found).toBe(140_000);
    expect(store.find(1, reference(0))).toBe(-1); // reference 0 belongs to provider 0
    store.markOrphan(65_536);
    expect([store.isOrphan(65_535), store.isOrphan(65_536), store.isCredit(65_536)]).toEqual([false, true, false]);
  });

  it('keeps ids and period lengths beyond the 16-bit columns exactly', () => {
    // provider, product and file ids of 65,535 and more, a period of 65,535 days or more, or one
    // that ends before it starts, go into the maps beside; the values just below stay in the columns
    const providers = new StringTable();
    const files = new StringTable();
    for (let i = 0; i < 70_000; i++) files.id(`f${i}.xml`);
    const store = new PerformanceStore(providers, files);
    const cases = [
      { provider: 65_534, product: 65_534, file: 65_534, start: 19_000, end: 19_000 + 65_534 }, // all just fit
      { provider: 65_535, product: 65_535, file: 65_535, start: 19_000, end: 19_000 + 65_535 }, // the marker itself: wide
      { provider: 69_999, product: 1_000_000, file: 69_999, start: 19_417, end: 2_932_896 }, // 2023-03-01 to 9999-12-31
      { provider: 0, product: 0, file: 0, start: 19_447, end: 19_417 }, // ends before it starts
    ];
    const performances = cases.map((c, i) => perf({ clientKey: 'A', amountCents: 100, reference: `W${i}`, source: { file: `f${c.file}.xml`, line: i + 1 } }));
    cases.forEach((c, i) => {
      expect(store.add(performances[i]!, { provider: c.provider, client: i, category: 1, product: c.product, file: c.file }, c.start, c.end)).toBe(i);
    });
    cases.forEach((c, i) => {
      expect([store.find(c.provider, `W${i}`), store.providerOf(i), store.productOf(i), store.startOf(i), store.endOf(i), store.location(i)]).toEqual([
        i,
        c.provider,
        c.product,
        c.start,
        c.end,
        { file: `f${c.file}.xml`, line: i + 1 },
      ]);
      const p = performances[i]!;
      const rest = restHashOf(p.declarationId, p.allocationNumber ?? '', p.volume, p.unit);
      expect(store.sameLine(i, i, 1, c.product, c.start, c.end, 100, false, rest, undefined)).toBe(true);
      expect(store.sameLine(i, i, 1, c.product, c.start, c.end + 1, 100, false, rest, undefined)).toBe(false);
      expect(store.sameLine(i, i, 1, c.product + 1, c.start, c.end, 100, false, rest, undefined)).toBe(false);
    });
    // a wide provider is not taken for another one with the same 16-bit marker
    expect(store.find(65_535, 'W2')).toBe(-1);
    expect(store.find(69_999, 'W1')).toBe(-1);
  });

  it('keeps the file of each line across runs of files, and first days outside 16 bits', () => {
    const providers = new StringTable();
    const files = new StringTable();
    const store = new PerformanceStore(providers, files);
    const a = files.id('a.xml');
    const b = files.id('b.xml');
    // 300 lines in 100 runs of three (a a a b b b a a a …): more runs than the 32 the store starts with
    const fileOf = (i: number) => (Math.floor(i / 3) % 2 === 0 ? a : b);
    // first days: 1969-12-31 (day −1), 1970-01-01 (0), 2149-06-05 (65,534, the last that fits), 65,535 (the marker) and 2,932,896 (9999-12-31)
    const starts = [-1, 0, 65_534, 65_535, 2_932_896];
    for (let i = 0; i < 300; i++) {
      const start = starts[i % 5]!;
      const p = perf({ clientKey: 'A', amountCents: 100, reference: `F${i}`, source: { file: files.values[fileOf(i)]!, line: i + 1 } });
      store.add(p, { provider: 0, client: 0, category: 1, product: 0, file: fileOf(i) }, start, start + 30);
    }
    for (let i = 0; i < 300; i++) {
      expect(store.location(i)).toEqual({ file: fileOf(i) === a ? 'a.xml' : 'b.xml', line: i + 1 });
      expect([store.startOf(i), store.endOf(i)]).toEqual([starts[i % 5], starts[i % 5]! + 30]);
    }
  });

  it('keeps references outside Latin-1 and very long ones exactly', () => {
    const long = 'x'.repeat(70_000);
    // in the byte arena: up to 254 Latin-1 characters; 255 and more, or a character beyond
    // Latin-1, in the map beside, and the references after it in its block of 64 lines still found
    const fits = 'y'.repeat(254);
    const over = 'z'.repeat(255);
    const { store, providers } = storeWith([
      { provider: 'P', reference: 'Ř-1' },
      { provider: 'P', reference: 'R-1' },
      { provider: 'P', reference: long },
      { provider: 'P', reference: 'é' },
      { provider: 'P', reference: fits },
      { provider: 'P', reference: over },
      { provider: 'P', reference: 'R-7' },
    ]);
    const p = providers.id('P');
    expect([store.find(p, 'Ř-1'), store.find(p, 'R-1'), store.find(p, long), store.find(p, 'é'), store.find(p, fits), store.find(p, over), store.find(p, 'R-7'), store.find(p, 'Ř-2')]).toEqual([
      0, 1, 2, 3, 4, 5, 6, -1,
    ]);
    expect([store.reference(0), store.reference(2).length, store.reference(3), store.reference(4), store.reference(5), store.reference(6)]).toEqual(['Ř-1', 70_000, 'é', fits, over, 'R-7']);
  });

  it('tells a duplicate from a conflict, keeps credits and an element path without a line', () => {
    const providers = new StringTable();
    const files = new StringTable();
    const store = new PerformanceStore(providers, files);
    const ids = { provider: providers.id('P'), client: 7, category: 2, product: 3, file: files.id('a.xml') };
    const debit = perf({ clientKey: 'A', amountCents: 5000, reference: 'D1', source: { file: 'a.xml', element: 'Prestatie[1]' } });
    const index = store.add(debit, ids, 10, 20);
    expect(store.sameAs(index, { ...debit }, ids, 10, 20)).toBe(true);
    // only in the hashed rest: declaration, allocation, volume (whole or not), unit
    expect(store.sameAs(index, { ...debit, volume: debit.volume + 1 }, ids, 10, 20)).toBe(false);
    expect(store.sameAs(index, { ...debit, volume: debit.volume + 0.5 }, ids, 10, 20)).toBe(false);
    expect(store.sameAs(index, { ...debit, unit: `${debit.unit}x` }, ids, 10, 20)).toBe(false);
    expect(store.sameAs(index, { ...debit, declarationId: `${debit.declarationId}x` }, ids, 10, 20)).toBe(false);
    expect(store.sameAs(index, { ...debit, allocationNumber: 'T1' }, ids, 10, 20)).toBe(false);
    // the text of one field does not run into the next: declaration "D" + allocation "1" is not "D1" + none
    const split = perf({ ...debit, reference: 'D9', declarationId: 'D', allocationNumber: '1' });
    const splitAt = store.add(split, ids, 10, 20);
    expect(store.sameAs(splitAt, { ...split, declarationId: 'D1', allocationNumber: undefined }, ids, 10, 20)).toBe(false);
    // no allocation and an empty one are the same
    expect(store.sameAs(index, { ...debit, allocationNumber: '' }, ids, 10, 20)).toBe(debit.allocationNumber === undefined);
    // a fractional volume is kept exactly: 1.5 is 1.5 again, not 1.25
    const half = perf({ ...debit, reference: 'D8', volume: 1.5 });
    const halfAt = store.add(half, ids, 10, 20);
    expect([store.sameAs(halfAt, { ...half }, ids, 10, 20), store.sameAs(halfAt, { ...half, volume: 1.25 }, ids, 10, 20)]).toEqual([true, false]);
    expect(store.sameAs(index, { ...debit, amountCents: 5001 }, ids, 10, 20)).toBe(false);
    expect(store.sameAs(index, debit, { ...ids, client: 8 }, 10, 20)).toBe(false);
    expect(store.sameAs(index, debit, ids, 10, 21)).toBe(false);
    expect(store.location(index)).toEqual({ file: 'a.xml', element: 'Prestatie[1]' });
    // an amount beyond 32 bits and a credit sum
    const big = store.add(perf({ clientKey: 'A', amountCents: 3_000_000_000, reference: 'D2' }), ids, 10, 20);
    expect(store.amount(big)).toBe(3_000_000_000);
    expect(store.isCredited(index)).toBe(false);
    store.addCredit(index, -2000);
    store.addCredit(index, -3000);
    expect([store.isCredited(index), store.creditCents(index)]).toEqual([true, -5000]);
  });

  describe('past spillFrom, in a temporary file', () => {
    // 200,000 lines with spillFrom 65,536 (one page): when page 1 starts (line 65,536) page 0 goes
    // to the file, page 1 when page 2 starts (131,072), page 2 when page 3 starts (196,608): 3
    // pages of 27 × 65,536 = 1,769,472 bytes. References of 12, 13 and 14 characters (12 + i mod 3;
    // line 5's, outside Latin-1, is kept beside): line i > 5 starts at byte 12i + 3⌊i/3⌋ (+ 1 when
    // i mod 3 = 2) − 14, so line 80,660 runs from 1,048,565 to 1,048,578 across the end of arena
    // page 0, and line 161,320 from 2,097,145 to 2,097,157 across the end of page 1; all of them
    // take 2,599,985 bytes. Arena pages 0 and 1 (1,048,576 bytes each) are full and go to the file
    // once page 2 is begun. In the file: 3 × 1,769,472 + 2 × 1,048,576 = 7,405,568 bytes. Page 3 (196,608 – 199,999) and arena page 2 stay in memory.
    const reference = (i: number) => `S${String(i).padStart(11 + (i % 3), '0')}`;
    const fill = (directory: string) => {
      const providers = new StringTable();
      const files = new StringTable();
      const store = new PerformanceStore(providers, files, { spillFrom: 65_536, spillDirectory: directory });
      const a = files.id('a.csv');
      const b = files.id('b.csv');
      for (let i = 0; i < 200_000; i++) {
        const file = i < 100_000 ? 'a.csv' : 'b.csv';
        // every 1,000th line: a wide provider id, a product id and a period length beyond 16 bits,
        // an amount beyond 32 bits; line 5: a reference outside Latin-1
        const wide = i % 1_000 === 0;
        const p = perf({ clientKey: 'A', amountCents: wide ? 5_000_000_000 + i : i % 2 === 0 ? i : -i, debitCredit: i % 2 === 0 ? 'D' : 'C', reference: i === 5 ? 'Ř-5' : reference(i), source: { file, line: i + 2 } });
        store.add(p, { provider: wide ? 70_000 : i % 3, client: i * 7, category: i % 5, product: wide ? 100_000 + i : i % 11, file: i < 100_000 ? a : b }, 19_000 + (i % 30), 19_000 + (i % 30) + (wide ? 70_000 : 30));
      }
      return store;
    };
    const expected = (i: number) => {
      const wide = i % 1_000 === 0;
      return {
        find: i,
        reference: i === 5 ? 'Ř-5' : reference(i),
        provider: wide ? 70_000 : i % 3,
        client: i * 7,
        category: i % 5,
        product: wide ? 100_000 + i : i % 11,
        start: 19_000 + (i % 30),
        end: 19_000 + (i % 30) + (wide ? 70_000 : 30),
        amount: wide ? 5_000_000_000 + i : i % 2 === 0 ? i : -i,
        credit: i % 2 === 1,
        location: { file: i < 100_000 ? 'a.csv' : 'b.csv', line: i + 2 },
      };
    };
    const actual = (store: PerformanceStore, i: number) => ({
      find: store.find(expected(i).provider, expected(i).reference),
      reference: store.reference(i),
      provider: store.providerOf(i),
      client: store.clientOf(i),
      category: store.categoryOf(i),
      product: store.productOf(i),
      start: store.startOf(i),
      end: store.endOf(i),
      amount: store.amount(i),
      credit: store.isCredit(i),
      location: store.location(i),
    });

    it('reads every field back from the file, line by line and page by page', () => {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'wmo-store-test-'));
      try {
        const store = fill(directory);
        expect(store.spilledBytes).toBe(7_405_568);
        // the file has no name in its folder while it is open (removed at once on this system)
        expect(readdirSync(directory)).toEqual([]);
        // looked up one by one (field by field from the file): the first and last lines of pages
        // and blocks, the references across the ends of arena pages 0 and 1 and those around them,
        // the line after the wide reference in its block, and lines still in memory
        for (const i of [0, 1, 5, 6, 63, 64, 1_000, 65_535, 65_536, 80_659, 80_660, 80_661, 131_071, 131_072, 161_319, 161_320, 161_321, 196_607, 196_608, 199_999]) expect(actual(store, i)).toEqual(expected(i));
        // 300 lines of page 0 looked up one after another: every field of the first read from the
        // file on its own (at least 11 reads a line: 3,300 for all), until 128 fields of the page,
        // and later 128 references of arena page 0 (two a line: find and reference), have been
        // looked up; then each page is read back whole once and the rest come from memory —
        // about 12 lines' fields and 64 lines' references read one by one, well under 400 reads
        const read = vi.spyOn(SpillFile.prototype, 'read');
        for (let i = 1_000; i < 1_300; i++) expect(actual(store, i)).toEqual(expected(i));
        expect(read.mock.calls.length).toBeLessThan(400);
        read.mockRestore();
        // walked in order with visit (a page at a time), and every key found
        let same = 0;
        for (let i = 0; i < 200_000; i++) {
          store.visit(i);
          const a = actual(store, i);
          const e = expected(i);
          if (a.find === e.find && a.reference === e.reference && a.client === e.client && a.product === e.product && a.end === e.end && a.amount === e.amount && a.location.line === e.location.line && a.location.file === e.location.file) same++;
        }
        expect(same).toBe(200_000);
        // a visited page and a line of another spilled page looked up meanwhile
        store.visit(70_000);
        expect([actual(store, 10), actual(store, 70_001)]).toEqual([expected(10), expected(70_001)]);
        // a duplicate told from a conflict on a line in the file
        const p = perf({ clientKey: 'A', amountCents: 2, reference: reference(2) }); // what fill gave line 2
        const rest = restHashOf(p.declarationId, p.allocationNumber ?? '', p.volume, p.unit);
        expect(store.sameLine(2, 14, 2, 2, 19_002, 19_032, 2, false, rest, undefined)).toBe(true);
        expect(store.sameLine(2, 14, 2, 2, 19_002, 19_032, 3, false, rest, undefined)).toBe(false);
        expect(store.sameLine(2, 14, 2, 2, 19_002, 19_032, 2, false, rest + 1, undefined)).toBe(false);
        // flags stay in memory and change for spilled lines too
        store.addCredit(2, -2);
        store.markOrphan(3);
        expect([store.isCredited(2), store.creditCents(2), store.isOrphan(3), store.isOrphan(2)]).toEqual([true, -2, true, false]);
        store.close();
        expect(readdirSync(directory)).toEqual([]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('stays in memory below spillFrom, and says which folder it cannot write to', () => {
      const providers = new StringTable();
      const files = new StringTable();
      const small = new PerformanceStore(providers, files, { spillFrom: 65_536, spillDirectory: '/nonexistent' });
      for (let i = 0; i < 65_536; i++) small.add(perf({ clientKey: 'A', amountCents: 1, reference: `M${i}` }), { provider: 0, client: 0, category: 1, product: 0, file: 0 }, 19_000, 19_030);
      expect(small.spilledBytes).toBe(0); // 65,536 lines: one full page, no second begun
      let error: unknown;
      try {
        small.add(perf({ clientKey: 'A', amountCents: 1, reference: 'M65536' }), { provider: 0, client: 0, category: 1, product: 0, file: 0 }, 19_000, 19_030);
      } catch (caught) {
        error = caught;
      }
      expect(WmoError.isInstance(error)).toBe(true);
      expect((error as WmoError).message).toBe(
        'The engine could not create its temporary file in /nonexistent (ENOENT); set TMPDIR to a folder with room for about 45 bytes a declaration line.',
      );
    });
  });
});
