// Every engine test of aggregate.test.ts once more, with the declarations handed to the engine as
// PerformanceColumns (the csv-export's path) instead of items: the same hand-worked expectations
// must hold for both.
import { useColumns } from './testing.js';

useColumns();
await import('./aggregate.test.js');

const { describe, expect, it } = await import('vitest');
const { columnBuffers, whenColumnsTaken } = await import('../columns.js');
const { cell, client, perf, run } = await import('./testing.js');
const W10 = 'WK040510'; // a wijk of Hoorn (testing.ts)

describe('batches of columns', () => {
  it('are read no more once the engine says it has taken them (a worker gets its buffer back then)', async () => {
    const clients = ['A', 'B', 'C'].map((key) => client(key, '1980-01-01', ['2010-01-01', null, '0405', W10]));
    // a.xml: debits of A (X1, 10000), B (Y1, 5000) and C (C1, 2500); b.xml: a credit naming X1, a
    // credit of B without a reference (matching Y1 by signature) and C1 again: two batches
    const a = (over: Parameters<typeof perf>[0], n: number) => perf({ ...over, source: { file: 'a.xml', element: `Prestatie[${n}]` } });
    const b = (over: Parameters<typeof perf>[0], n: number) => perf({ ...over, source: { file: 'b.xml', element: `Prestatie[${n}]` } });
    const lines = [
      a({ clientKey: 'A', amountCents: 10000, reference: 'X1' }, 1),
      a({ clientKey: 'B', amountCents: 5000, reference: 'Y1' }, 2),
      a({ clientKey: 'C', amountCents: 2500, reference: 'C1' }, 3),
      b({ clientKey: 'A', amountCents: -10000, reference: 'X2', reversesReference: 'X1' }, 1),
      b({ clientKey: 'B', amountCents: -5000, reference: 'Y2' }, 2),
      b({ clientKey: 'C', amountCents: 2500, reference: 'C1' }, 3),
    ];
    let taken = 0;
    // as a worker's batch: once taken, its buffer is transferred away (its typed arrays are then empty)
    const detached = await run(lines, clients, {
      onColumns: (batch) =>
        whenColumnsTaken(batch, () => {
          taken++;
          structuredClone(columnBuffers(batch), { transfer: columnBuffers(batch) });
          expect(batch.count > 0 && batch.amountCents.length).toBe(0);
        }),
    });
    expect(taken).toBe(2);
    // A: 10000 − 10000 = 0 and B: 5000 − 5000 = 0, reversed in full; C1 counted once: C alone, €25
    expect(cell(detached.rows, W10, 2, 'BG')).toEqual([1, 25]);
    expect(detached.report.selection.duplicates).toEqual({ count: 1, amountCents: 2500 });
    expect(detached.report.selection.approvedCredits).toEqual({ count: 2, amountCents: -15000 });
    const kept = await run(lines, clients);
    expect(detached.csv).toBe(kept.csv);
    expect(detached.report).toEqual(kept.report);
  });
});
