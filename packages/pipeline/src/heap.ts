import v8 from 'node:v8';

/**
 * The V8 setting `wmo deliver` makes for iWmo XML input: no allocation-site pretenuring. V8
 * allocates objects straight into its old generation when objects from the same place in the
 * code have often survived a young-generation collection. Several of the delivery's short-lived
 * objects look like that: the answer files' element trees in the survey of an iWmo archive, and
 * the client register's rows. They then stayed in the old generation until a full collection.
 * From XML at scale 50 of the benchmark, the main thread's heap grew to 140 MB, of which 35–45 MB
 * were live. Without pretenuring, peak memory was 357–370 MB instead of 391–422 MB, in the same
 * time. From a CSV export it saved nothing and cost about 3 % of the time at scale 10, so the CLI
 * makes it for iWmo input only.
 *
 * This is a setting of the whole process (every thread, from the moment it is made), so a
 * library does not make it on its own: the CLI calls this before an iWmo delivery, and `pnpm
 * bench` does the same for its iWmo measurements. A program that runs deliveries from iWmo XML
 * may call it before the first; calling it again changes nothing.
 */
export function useDeliveryHeapSettings(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
