import { describe, expect, it } from 'vitest';
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
});
