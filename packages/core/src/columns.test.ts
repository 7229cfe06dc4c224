import { describe, expect, it, vi } from 'vitest';
import { readDeclarationColumns } from './adapter-boundary.js';
import { PerformanceColumnsBuilder, columnBuffers, columnsProblem, columnsTaken, columnsToItems, takeReturnedBuffers, whenColumnsTaken, type PerformanceColumns } from './columns.js';
import { SPECIFICATION_VERSION, type DeclarationItem, type DeclarationSource } from './contracts.js';
import { dayNumber } from './dates.js';
import { restHashOf } from './engine/store.js';
import { WmoError } from './errors.js';
import type { Performance } from './records.js';
import { warning } from './warnings.js';

const line = (n: number, overrides: Partial<Performance> = {}): Performance => ({
  municipality: '0405',
  provider: '12345678',
  declarationId: 'F2023-01',
  reference: `R${n}`,
  clientKey: '123456782',
  category: '02',
  productCode: '02A01',
  periodStart: '2023-03-01',
  periodEnd: '2023-03-31',
  volume: 4,
  unit: '04',
  amountCents: 12345,
  debitCredit: 'D',
  source: { file: 'export.csv', line: n },
  ...overrides,
});

/** A declaration source that gives its lines as columns only. */
function sourceWith(id: string, readColumns: DeclarationSource['readColumns']): DeclarationSource {
  return { specificationVersion: SPECIFICATION_VERSION, id, kind: 'declarations', description: 'test', read: () => [], readColumns };
}

function batch(): PerformanceColumns {
  const b = new PerformanceColumnsBuilder('export.csv', 2); // capacity 2: the third line makes it grow
  b.addPerformance(null, line(2));
  b.warn(warning('malformed-row', 'export.csv line 3: the BSN is not 9 digits; the row is skipped', { file: 'export.csv', line: 3 }));
  b.addPerformance('rejected', line(4, { provider: '87654321', category: null, productCode: null, allocationNumber: 'T1', clientKey: 'K-77' }));
  b.addPerformance(null, line(5, { reference: 'R5', reversesReference: 'R2', amountCents: -12345, debitCredit: 'C', volume: 2.5, clientKey: '012345678' }));
  return b.build();
}

describe('PerformanceColumns', () => {
  it('gives back the lines, warnings and not-approved reasons it was given, in order', () => {
    const c = batch();
    expect(c.count).toBe(3);
    // texts kept once: '0405', '12345678', 'F2023-01', '04', '02', '02A01', '87654321', 'K-77', 'T1';
    // a BSN is no text but −2 minus its number: 123456782 → −123456784, 012345678 → −12345680
    expect(c.strings).toHaveLength(9);
    expect([c.clientKey[0], c.strings[c.clientKey[1]!], c.clientKey[2]]).toEqual([-123_456_784, 'K-77', -12_345_680]);
    expect(c.references).toBe('R2R4R5');
    const items: DeclarationItem[] = columnsToItems(c);
    expect(items.map((i) => (i.type === 'warning' ? 'warning' : i.type === 'not-approved' ? i.reason : 'performance'))).toEqual(['performance', 'warning', 'rejected', 'performance']);
    expect(items[0]).toEqual({ type: 'performance', performance: line(2) });
    expect(items[2]).toEqual({ type: 'not-approved', reason: 'rejected', performance: line(4, { provider: '87654321', category: null, productCode: null, allocationNumber: 'T1', clientKey: 'K-77' }) });
    expect(items[3]).toEqual({ type: 'performance', performance: line(5, { reference: 'R5', reversesReference: 'R2', amountCents: -12345, debitCredit: 'C', volume: 2.5, clientKey: '012345678' }) });
  });

  it('puts a batch in one buffer, and a restarted builder begins the next batch without touching the one before', () => {
    const b = new PerformanceColumnsBuilder('export.csv');
    b.addPerformance(null, line(1));
    b.addPerformance(null, line(2, { provider: '87654321' }));
    const first = b.build();
    // 12 Int32, 2 Float64 and 2 Uint8 columns: 66 bytes a line; 2 lines get room for 256 (the
    // next batch of a reader mostly fits in a buffer given back): 256 × 66 = 16,896 bytes
    expect(columnBuffers(first)).toHaveLength(1);
    expect(columnBuffers(first)[0]!.byteLength).toBe(16_896);
    const generation = b.generation;
    b.restart();
    expect(b.generation).not.toBe(generation);
    expect(b.count).toBe(0);
    b.addPerformance(null, line(3, { amountCents: 500 }));
    const second = b.build();
    expect(columnsToItems(second)).toEqual([{ type: 'performance', performance: line(3, { amountCents: 500 }) }]);
    // its own texts from code 0, in the order addPerformance codes them (the unit last)
    expect(second.strings).toEqual(['0405', '12345678', 'F2023-01', '02', '02A01', '04']);
    expect(columnsToItems(first)).toEqual([
      { type: 'performance', performance: line(1) },
      { type: 'performance', performance: line(2, { provider: '87654321' }) },
    ]);
  });

  it('builds a batch in a buffer given back to the thread when one is big enough', () => {
    const build = (lines: number) => {
      const b = new PerformanceColumnsBuilder('export.csv');
      for (let n = 1; n <= lines; n++) b.addPerformance(null, line(n));
      return b.build();
    };
    expect(takeReturnedBuffers({ id: 1, file: 'export.csv' })).toBe(false); // a job, not buffers
    // as the main thread gives them back: transferred (a new ArrayBuffer object for the same bytes)
    const given = structuredClone(columnBuffers(build(2))[0]!, { transfer: columnBuffers(build(2)) });
    const small = new ArrayBuffer(100); // room for 1 line of 66 bytes, not 3 (198)
    expect(takeReturnedBuffers({ returnedColumnBuffers: [small, given] })).toBe(true);
    const three = build(3);
    expect(columnBuffers(three)[0]).toBe(given);
    expect(columnsToItems(three).map((i) => i.type === 'performance' && i.performance.reference)).toEqual(['R1', 'R2', 'R3']);
    expect(columnBuffers(build(0))[0]!.byteLength).toBe(0); // an empty batch takes none of them
    expect(columnBuffers(build(1))[0]).toBe(small);
    expect(columnBuffers(build(1))[0]).not.toBe(small); // each buffer is used once
  });

  it('runs what a reader registered for a batch once the engine has taken it, once', () => {
    const c = batch();
    const taken = vi.fn();
    whenColumnsTaken(c, taken);
    columnsTaken(c);
    columnsTaken(c);
    expect(taken).toHaveBeenCalledTimes(1);
    columnsTaken(batch()); // a batch nobody registered: nothing to run
    expect(taken).toHaveBeenCalledTimes(1);
  });

  it('is well-formed as built, and each broken column is named with its line', () => {
    expect(columnsProblem(batch())).toBeUndefined();
    const broken = (change: (c: PerformanceColumns) => void) => {
      const c = batch();
      change(c);
      return columnsProblem(c);
    };
    expect(broken((c) => (c.provider[1] = 99))).toMatch(/^line 4: a code of municipality, provider/);
    expect(broken((c) => (c.category[0] = -2))).toMatch(/^line 2: a code of category/);
    expect(broken((c) => (c.strings[c.municipality[0]!] = '405'))).toMatch(/^line 2: municipality is not a 4-digit CBS code/);
    expect(broken((c) => (c.strings[c.clientKey[1]!] = ''))).toMatch(/^line 4: provider, declarationId or clientKey is empty/);
    expect(broken((c) => (c.clientKey[0] = -1))).toMatch(/^line 2: a code of municipality, provider, declarationId, clientKey or unit/);
    expect(broken((c) => (c.clientKey[0] = -2 - 1_000_000_000))).toMatch(/^line 2: a code of municipality, provider, declarationId, clientKey or unit/);
    expect(broken((c) => (c.clientKey[0] = -2 - 999_999_999))).toBeUndefined(); // BSN 999999999
    expect(broken((c) => (c.periodEnd[2] = dayNumber('2023-02-28')))).toMatch(/^line 5: periodEnd is before periodStart/);
    expect(broken((c) => (c.amountCents[0] = 0.5))).toMatch(/^line 2: amountCents is not whole cents/);
    expect(broken((c) => (c.amountCents[2] = 100))).toMatch(/^line 5: the sign of amountCents/);
    expect(broken((c) => (c.line[1] = 0))).toMatch(/line is not a line number/);
    expect(broken((c) => (c.referenceEnds[1] = 2))).toMatch(/^line 4: the reference is empty/);
    expect(broken((c) => (c.references += 'X'))).toBe('references is longer than its lines');
    expect(broken((c) => (c.kind[0] = 9))).toMatch(/^line 2: kind 9 is unknown/);
    expect(broken((c) => (c.volume = new Float64Array(2)))).toBe('volume is not a Float64Array of 3 values');
    expect(broken((c) => c.reverses.set(7, 'R1'))).toMatch(/reverses has an entry for line index 7/);
  });

  it('is refused at the boundary with the adapter and file named', async () => {
    const bad = batch();
    bad.amountCents[0] = 0.5;
    const adapter = sourceWith('test-columns', async function* () {
      yield batch();
      yield bad;
    });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const c of readDeclarationColumns(adapter, { municipality: '0405' })!) seen.push(c.count);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([3]);
    expect(WmoError.isInstance(error) && error.code).toBe('adapter-contract');
    expect((error as Error).message).toBe('The test-columns adapter produced invalid performance columns from export.csv (line 2: amountCents is not whole cents).');
    expect(readDeclarationColumns({ ...adapter, readColumns: undefined }, { municipality: '0405' })).toBeUndefined();
  });
});

describe('the boundary with a declaration source', () => {
  // A source that counts the batches it gave and says when its reading was ended.
  const source = () => {
    const state = { given: 0, ended: false };
    const adapter = sourceWith('test-stop', async function* () {
      try {
        for (;;) {
          state.given++;
          yield batch();
        }
      } finally {
        state.ended = true;
      }
    });
    return { adapter, state };
  };

  it('ends the source when its reader stops early, by a break or by an error', async () => {
    const stopped = source();
    for await (const c of readDeclarationColumns(stopped.adapter, { municipality: '0405' })!) if (c.count === 3) break;
    expect(stopped.state).toEqual({ given: 1, ended: true });
    const failed = source();
    const error = await (async () => {
      for await (const _ of readDeclarationColumns(failed.adapter, { municipality: '0405' })!) throw new Error('the engine stops');
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe('the engine stops');
    expect(failed.state).toEqual({ given: 1, ended: true });
  });
});

describe('restHashOf', () => {
  // FNV-1a over the joined text, written out here as the reference
  const fnv = (text: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  it.each([
    ['F2023-01', 'T1', 4, '04'],
    ['F2023-01', '', 0, ''],
    ['D', 'T', 2.5, 'uur'],
    ['D', 'T', 999, '01'],
    ['D', 'T', 1000, '01'],
    ['D', 'T', -3, '01'],
  ] as const)('is the hash of "%s NUL %s NUL %s NUL %s"', (declarationId, allocation, volume, unit) => {
    expect(restHashOf(declarationId, allocation, volume, unit)).toBe(fnv(`${declarationId}\u0000${allocation}\u0000${volume}\u0000${unit}`));
  });
});
