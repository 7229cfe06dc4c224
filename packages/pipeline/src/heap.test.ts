import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { declarationBytes, useDeliveryHeapSettings } from './heap.js';

describe('useDeliveryHeapSettings', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const flagsFor = (input?: Parameters<typeof useDeliveryHeapSettings>[0]) => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    useDeliveryHeapSettings(input);
    const flags = set.mock.calls.map(([flag]) => flag);
    set.mockRestore();
    return flags;
  };

  it('turns pretenuring off for iWmo XML, and holds back the heap from 1 GB of it', () => {
    expect(flagsFor()).toEqual(['--no-allocation-site-pretenuring']); // the default: iWmo
    expect(flagsFor({ format: 'iwmo', declarationBytes: 398_500_000 })).toEqual(['--no-allocation-site-pretenuring']); // scale 10
    // 1 GB = 1,073,741,824 bytes: from there on (scale 50 is 1,992,400,000)
    expect(flagsFor({ format: 'iwmo', declarationBytes: 1_073_741_823 })).toEqual(['--no-allocation-site-pretenuring']);
    expect(flagsFor({ format: 'iwmo', declarationBytes: 1_073_741_824 })).toEqual(['--no-allocation-site-pretenuring', '--heap-growing-percent=50']);
  });

  it('leaves pretenuring on for an export, and holds back the heap from 160 MB of it', () => {
    expect(flagsFor({ format: 'csv-export', declarationBytes: 65_900_000 })).toEqual([]); // scale 10
    // 160 MB = 167,772,160 bytes (scale 50 is 331,800,000)
    expect(flagsFor({ format: 'csv-export', declarationBytes: 167_772_159 })).toEqual([]);
    expect(flagsFor({ format: 'csv-export', declarationBytes: 167_772_160 })).toEqual(['--heap-growing-percent=50']);
    expect(flagsFor({ format: 'my-adapter', declarationBytes: 5_000_000_000 })).toEqual([]); // another adapter: nothing
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
