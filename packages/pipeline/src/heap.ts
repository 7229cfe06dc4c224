import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { processV8Flags, setProcessV8Flags } from '@wmo-toolkit/core';

/**
 * Declaration inputs from this size on (about 1.5 million lines in either format) make V8 hold
 * back the growth of its heaps (see `useDeliveryHeapSettings`).
 */
const HOLD_BACK_FROM: Record<string, number> = { iwmo: 1 << 30, 'csv-export': 160 << 20 };

/**
 * V8 settings `wmo deliver` makes for a delivery. They are settings of the whole process (every
 * thread, from the moment they are made), so a library does not make them on its own: the CLI
 * calls this before a delivery, and `pnpm bench` does the same for its measurements. A program
 * that runs deliveries may call it before the first; calling it again changes nothing it has set.
 *
 * - For iWmo XML (`format` 'iwmo', the default): no allocation-site pretenuring. V8 allocates
 *   objects straight into its old generation when objects from the same place in the code have
 *   often survived a young-generation collection. Several of the delivery's short-lived objects
 *   look like that: the answer files' element trees in the survey of an iWmo archive, and the
 *   client register's rows. They then stayed in the old generation until a full collection. From
 *   XML at scale 50 of the benchmark, the main thread's heap grew to 140 MB, of which 35–45 MB
 *   were live. Without pretenuring, peak memory was 357–370 MB instead of 391–422 MB, in the same
 *   time. From a CSV export it saved nothing and cost about 3 % of the time at scale 10.
 * - For big inputs (`declarationBytes` from 1 GB of iWmo XML or 160 MB of export), the heaps are
 *   held back. The peak of such a run is set by how much garbage the threads' heaps hold when it
 *   comes.
 *   - `--heap-growing-percent=50`: a heap grows by at most half after a full collection. At
 *     scale 50 from XML the peak was 312–314 MB instead of 352–364 MB in 1–2 % more time, from
 *     CSV 285–289 MB instead of 285–305 MB (docs/performance.md, optimisation 40).
 *   - `--semi-space-growth-factor=1`: the main thread's young generation stays at the size it has
 *     instead of growing to 16 MB semi-spaces, 32 MB committed of which a few MB were in use. It
 *     has its starting size (1–2 MB) when the program imported
 *     `@wmo-toolkit/pipeline/young-generation` before its other modules, as `wmo` does; loading
 *     the modules is what grows it otherwise. V8 sets the factor back to 2 whenever it makes a
 *     thread's isolate, so it is set with `setProcessV8Flags` (core), which the worker pools set
 *     again once a thread has started (before that the young generation can grow once: at scale
 *     50 it ended at 4 MB semi-spaces). With `--min-semi-space-size=4` the worker threads, whose
 *     young generation is 8 MB (semi-spaces of 4 MB), begin at that size instead of staying at
 *     1 MB. Through the CLI at scale 50, from XML 277–284 MB instead of 294–299 MB, from CSV
 *     234–241 MB instead of 260–269 MB, in the same time (optimisation 42).
 *   At scale 10 `--heap-growing-percent=50` cost 3–6 %, so smaller inputs go without either:
 *   for them the young generation grows again as V8 has it (`letYoungGenerationGrow`).
 */
export function useDeliveryHeapSettings(input: { format?: string; declarationBytes?: number } = {}): void {
  const format = input.format ?? 'iwmo';
  if (format === 'iwmo') v8.setFlagsFromString('--no-allocation-site-pretenuring');
  const from = HOLD_BACK_FROM[format];
  if (from !== undefined && (input.declarationBytes ?? 0) >= from) setProcessV8Flags('--heap-growing-percent=50', '--min-semi-space-size=4', HOLD_YOUNG);
  else if (!processV8Flags().includes(HOLD_YOUNG)) letYoungGenerationGrow(); // (not after a big delivery: it stays held)
}

/** The young generation held at its size (the flag young-generation.ts sets, with nothing imported). */
const HOLD_YOUNG = '--semi-space-growth-factor=1';

/**
 * The main thread's young generation grows again as V8 has it (`--semi-space-growth-factor=2`,
 * V8's own), after `@wmo-toolkit/pipeline/young-generation` held it: for what is not a big
 * delivery (`useDeliveryHeapSettings` calls it for a smaller one).
 */
export function letYoungGenerationGrow(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=2');
}

/**
 * The bytes of the declaration inputs: files, and the files in folders (read recursively), as the
 * adapters read them. A path that cannot be read counts 0: the delivery names it.
 */
export async function declarationBytes(paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const p of paths) {
    try {
      const info = await stat(p);
      if (!info.isDirectory()) {
        bytes += info.size;
        continue;
      }
      for (const entry of await readdir(p, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
      }
    } catch {
      // unreadable: deliver reports it
    }
  }
  return bytes;
}
