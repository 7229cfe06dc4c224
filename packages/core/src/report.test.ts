import { describe, expect, it } from 'vitest';
import { WarningCollector } from './report.js';
import { warning, type Warning } from './warnings.js';

const w = (kind: string, n: number, amountCents?: number): Warning =>
  warning(kind, `warning ${n}`, { file: 'f.csv', line: n }, amountCents === undefined ? undefined : { amountCents });

describe('WarningCollector.merge', () => {
  it('gives the groups that adding the warnings one by one gives', () => {
    // seven of kind a (two from the first collector, five from the second), one of kind b
    const first = [w('a', 1, 100), w('b', 2), w('a', 3, 250)];
    const second = [w('a', 4), w('a', 5, 1), w('a', 6), w('a', 7), w('a', 8)];
    const left = new WarningCollector();
    for (const x of first) left.add(x);
    const right = new WarningCollector();
    for (const x of second) right.add(x);
    const merged = new WarningCollector();
    merged.merge(left);
    merged.merge(right);
    const oneByOne = new WarningCollector();
    for (const x of [...first, ...second]) oneByOne.add(x);
    expect(merged.toArray()).toEqual(oneByOne.toArray());
    // by hand: a counted 2 + 5 = 7 times, 100 + 250 + 1 = 351 cents, the first five examples (lines 1, 3, 4, 5, 6)
    expect(merged.toArray()).toEqual([
      { kind: 'a', count: 7, amountCents: 351, examples: [1, 3, 4, 5, 6].map((line) => ({ message: `warning ${line}`, location: { file: 'f.csv', line } })) },
      { kind: 'b', count: 1, amountCents: 0, examples: [{ message: 'warning 2', location: { file: 'f.csv', line: 2 } }] },
    ]);
    expect(merged.count).toBe(8);
  });
});
