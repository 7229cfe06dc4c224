import v8 from 'node:v8';

/** The flags given to `setProcessV8Flags`, in order, each once. */
const kept: string[] = [];

/**
 * Sets V8 flags for the whole process (`v8.setFlagsFromString`: every thread, from now on) and
 * keeps them, so that the toolkit's worker pools (`orderedWorkerReplies`) set them again each time
 * a worker thread has started. V8 puts some flags back when it makes an isolate: a
 * `--semi-space-growth-factor` below 2 becomes 2 again, for the whole process, whenever a thread
 * starts. Flags set directly with `v8.setFlagsFromString` are not set again.
 *
 * Like any V8 setting of the process, this is for the program that runs deliveries (the CLI calls
 * `useDeliveryHeapSettings` of the pipeline), not for a library on its own.
 */
export function setProcessV8Flags(...flags: string[]): void {
  for (const flag of flags) {
    v8.setFlagsFromString(flag);
    if (!kept.includes(flag)) kept.push(flag);
  }
}

/** The flags set with `setProcessV8Flags` so far. */
export function processV8Flags(): readonly string[] {
  return kept;
}

/** Sets the kept flags again (a worker pool, once a worker thread has started: see `setProcessV8Flags`). */
export function setProcessV8FlagsAgain(): void {
  for (const flag of kept) v8.setFlagsFromString(flag);
}
