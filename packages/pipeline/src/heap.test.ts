import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { declarationBytes, useDeliveryHeapSettings } from './heap.js';

describe('useDeliveryHeapSettings', () => {
  // big inputs: heaps that grow by half at most, and the young generations held at their start
  const HELD_BACK = ['--heap-growing-percent=50', '--min-semi-space-size=4', '--semi-space-growth-factor=1'];
  // any other: the main thread's young generation grows again as V8 has it
  const GROWS = '--semi-space-growth-factor=2';

  afterEach(() => {
    vi.restoreAllMocks();
  });

  // A process of its own each: the flags a big delivery set are kept (core's setProcessV8Flags).
  const fresh = async () => {
    vi.resetModules();
    return { ...(await import('./heap.js')), ...(await import('@wmo-toolkit/core')) };
  };
  const flagsFor = async (input?: Parameters<typeof useDeliveryHeapSettings>[0], settings?: typeof useDeliveryHeapSettings) => {
    const use = settings ?? (await fresh()).useDeliveryHeapSettings;
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    use(input);
    const flags = set.mock.calls.map(([flag]) => flag);
    set.mockRestore();
    return flags;
  };

  it('turns pretenuring off for iWmo XML, and holds back the heap from 1 GB of it', async () => {
    expect(await flagsFor()).toEqual(['--no-allocation-site-pretenuring', GROWS]); // the default: iWmo
    expect(await flagsFor({ format: 'iwmo', declarationBytes: 398_500_000 })).toEqual(['--no-allocation-site-pretenuring', GROWS]); // scale 10
    // 1 GB = 1,073,741,824 bytes: from there on (scale 50 is 1,992,400,000)
    expect(await flagsFor({ format: 'iwmo', declarationBytes: 1_073_741_823 })).toEqual(['--no-allocation-site-pretenuring', GROWS]);
    expect(await flagsFor({ format: 'iwmo', declarationBytes: 1_073_741_824 })).toEqual(['--no-allocation-site-pretenuring', ...HELD_BACK]);
  });

  it('leaves pretenuring on for an export, and holds back the heap from 160 MB of it', async () => {
    expect(await flagsFor({ format: 'csv-export', declarationBytes: 65_900_000 })).toEqual([GROWS]); // scale 10
    // 160 MB = 167,772,160 bytes (scale 50 is 331,800,000)
    expect(await flagsFor({ format: 'csv-export', declarationBytes: 167_772_159 })).toEqual([GROWS]);
    expect(await flagsFor({ format: 'csv-export', declarationBytes: 167_772_160 })).toEqual(HELD_BACK);
    expect(await flagsFor({ format: 'my-adapter', declarationBytes: 5_000_000_000 })).toEqual([GROWS]); // another adapter: nothing held
  });

  it('keeps the held-back flags for the worker pools, and a smaller delivery after a big one changes nothing', async () => {
    const { useDeliveryHeapSettings: use, processV8Flags } = await fresh();
    expect(processV8Flags()).toEqual([]);
    await flagsFor({ format: 'csv-export', declarationBytes: 167_772_160 }, use);
    expect(processV8Flags()).toEqual(HELD_BACK); // set again in each worker thread
    expect(await flagsFor({ format: 'csv-export', declarationBytes: 65_900_000 }, use)).toEqual([]);
  });
});

describe('declarationBytes', () => {
  it('adds up files and the files in folders, and counts a path it cannot read as 0', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'declaration-bytes-'));
    await mkdir(path.join(dir, 'archive', '2023', '03'), { recursive: true });
    await writeFile(path.join(dir, 'archive', 'a.xml'), 'x'.repeat(100));
    await writeFile(path.join(dir, 'archive', '2023', '03', 'b.xml'), 'x'.repeat(250));
    await writeFile(path.join(dir, 'export.csv'), 'x'.repeat(7));
    // 100 + 250 in the folder, 7 in the file, 0 for the missing one
    expect(await declarationBytes([path.join(dir, 'archive'), path.join(dir, 'export.csv'), path.join(dir, 'missing.csv')])).toBe(357);
  });
});
