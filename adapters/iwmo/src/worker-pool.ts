import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { WmoError, type DeclarationItem, type DeclarationReadOptions, type WmoErrorCode, type SourceLocation } from '@wmo-toolkit/core';
import type { Answer } from './answers.js';
import type { Surveyed } from './source.js';

/** One declaration file for a worker: the file, its answer (if any) and the read options. */
export interface WorkerJob {
  id: number;
  declaration: Surveyed;
  answer: Answer | undefined;
  options: DeclarationReadOptions;
}

export type WorkerMessage =
  | { id: number; json: string }
  | { id: number; done: true }
  | { id: number; error: { message: string; code: WmoErrorCode; adapterId?: string | undefined; location?: SourceLocation | undefined } };

const fromSource = import.meta.url.endsWith('.ts');

/**
 * How many worker threads read declaration files by default: two on a machine with two or more
 * cores (the main thread's share — the engine — is small), none on one core. Running from the
 * TypeScript sources (tests, `pnpm demo`), none: a worker would need the TypeScript loader.
 */
export function defaultWorkerCount(): number {
  if (fromSource) return 0;
  return os.availableParallelism() > 1 ? 2 : 0;
}

/**
 * The parent's Node options for a worker, without those that only make sense for the main script
 * (`node --input-type=module -e …` would otherwise stop every worker).
 */
function workerExecArgv(): string[] {
  const args: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--input-type')) continue;
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') {
      i++; // and its script
      continue;
    }
    if (arg.startsWith('--eval=') || arg.startsWith('--print=')) continue;
    args.push(arg);
  }
  return args;
}

interface FileResult {
  /** The batches as JSON text, parsed when handed on. */
  batches: string[];
  done: boolean;
  error: Error | undefined;
}

/**
 * Reads declaration files in worker threads and gives their batches in file order, exactly as
 * reading them one after the other would: the output does not depend on which worker was
 * faster. At most `count` files are read ahead of the one being given (`count` + 1 in hand), so
 * memory stays bounded by a few files' items whatever the size of the archive.
 */
export async function* readInWorkers(jobs: Omit<WorkerJob, 'id'>[], count: number, onFileDone: (index: number) => void): AsyncGenerator<DeclarationItem[]> {
  const results: FileResult[] = jobs.map(() => ({ batches: [], done: false, error: undefined }));
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let next = 0;
  let current = 0;
  const idle: Worker[] = [];
  const busy = new Map<Worker, number>();
  const assign = () => {
    while (idle.length > 0 && next < jobs.length && next < current + count + 1) {
      const worker = idle.pop()!;
      const id = next++;
      busy.set(worker, id);
      worker.postMessage({ ...jobs[id]!, id } satisfies WorkerJob);
    }
  };
  const url = new URL(fromSource ? './declaration-worker.ts' : './declaration-worker.js', import.meta.url);
  let alive = Math.min(count, jobs.length);
  const workers = Array.from({ length: alive }, () => {
    // From the sources (tests), the worker registers the TypeScript loader first.
    const worker = fromSource
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, {
          eval: true,
          execArgv: ['--conditions=@wmo-toolkit/source'],
        })
      : // A small young generation: a worker's objects live for one batch; measured at scale 10
        // (two workers): peak RSS 374-386 -> 292 MB for 4 % more time (4 MB: 270 MB, 5 %).
        new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 8 }, execArgv: workerExecArgv() });
    worker.on('message', (message: WorkerMessage) => {
      const result = results[message.id]!;
      if ('json' in message) result.batches.push(message.json);
      else {
        if ('error' in message) {
          const { message: text, ...rest } = message.error;
          result.error = new WmoError(text, rest);
        }
        result.done = true;
        busy.delete(worker);
        idle.push(worker);
        assign();
      }
      notify();
    });
    worker.on('error', (error) => {
      const id = busy.get(worker);
      if (id !== undefined) {
        results[id]!.error = error;
        results[id]!.done = true;
        busy.delete(worker);
      }
      notify();
    });
    // A worker that ends without an error event (killed, out of memory) must not leave its
    // file waiting for ever.
    worker.on('exit', (code) => {
      alive--;
      const waiting = idle.indexOf(worker);
      if (waiting >= 0) idle.splice(waiting, 1);
      notify();
      const id = busy.get(worker);
      if (id === undefined) return;
      results[id]!.error = new WmoError(`The iwmo adapter's worker thread stopped (exit code ${code}) while reading ${jobs[id]!.declaration.file}.`, { code: 'internal', adapterId: 'iwmo' });
      results[id]!.done = true;
      busy.delete(worker);
      notify();
    });
    idle.push(worker);
    return worker;
  });
  try {
    assign();
    for (; current < jobs.length; current++) {
      assign();
      const result = results[current]!;
      for (;;) {
        if (result.batches.length > 0) {
          const batch = JSON.parse(result.batches.shift()!) as DeclarationItem[];
          yield batch;
          continue;
        }
        if (result.error) throw result.error;
        if (result.done) break;
        if (alive === 0) {
          throw new WmoError(`The iwmo adapter's worker threads all stopped before reading ${jobs[current]!.declaration.file}.`, { code: 'internal', adapterId: 'iwmo' });
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
      onFileDone(current);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
