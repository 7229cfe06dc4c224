import { describe, expect, it } from 'vitest';
import { PerformanceStore, StringTable } from './store.js';
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
    // 20,000 lines over three providers: the key table starts at 4,096 slots and doubles 4 times
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

  it('keeps references outside Latin-1 and very long ones exactly', () => {
    const long = 'x'.repeat(70_000); // longer than the 16-bit length field
    const { store, providers } = storeWith([
      { provider: 'P', reference: 'Ř-1' },
      { provider: 'P', reference: 'R-1' },
      { provider: 'P', reference: long },
      { provider: 'P', reference: 'é' },
    ]);
    const p = providers.id('P');
    expect([store.find(p, 'Ř-1'), store.find(p, 'R-1'), store.find(p, long), store.find(p, 'é'), store.find(p, 'Ř-2')]).toEqual([0, 1, 2, 3, -1]);
    expect([store.reference(0), store.reference(2).length, store.reference(3)]).toEqual(['Ř-1', 70_000, 'é']);
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
