import v8 from 'node:v8';

let applied = false;

/**
 * The V8 setting the `wmo` program runs with: no allocation-site pretenuring. V8 allocates objects
 * straight into its old generation when objects from the same place in the code have often
 * survived a young-generation collection. Several of the delivery's short-lived objects look
 * like that: the answer files' element trees in the survey of an iWmo archive, and the client
 * register's rows. They then stayed in the old generation until a full collection. From XML at
 * scale 50 of the benchmark, the main thread's heap grew to 140 MB, of which 35–45 MB were live.
 * Without pretenuring, peak memory was 357–370 MB instead of 391–422 MB, in the same time. From
 * CSV nothing changed.
 *
 * This is a setting of the whole process (every thread), so a library does not make it on its
 * own: the CLI calls this before it does anything else, and `pnpm bench` does the same for the
 * toolkit's measurements. A program that runs deliveries may call it once, early.
 */
export function useDeliveryHeapSettings(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
