import os from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { columnBuffers, whenColumnsTaken, type PerformanceColumns, type ReturnedBuffersMessage } from './columns.js';
import { WmoError, type SourceLocation, type WmoErrorCode } from './errors.js';
import { setProcessV8FlagsAgain } from './v8-flags.js';

/**
 * Worker threads for adapters that read big inputs in parts (the iWmo adapter's declaration
 * files, the csv-export's parts of one big export): jobs go to a few workers, and what they post
 * back is given in job order, exactly as reading the jobs one after the other would give it.
 */

/** What a worker posts for a job: data (any number of times), then done or an error. */
export type WorkerReply<D> =
  | { id: number; data: D }
  | { id: number; done: true; data?: D }
  | { id: number; error: { message: string; code: WmoErrorCode; adapterId?: string | undefined; location?: SourceLocation | undefined } };

/** A job as a worker receives it: the caller's job with its number. */
export type WorkerJobMessage<J> = J & { id: number };

/** For a worker's error handler: the error as a reply (a WmoError keeps its code and place). */
export function workerErrorReply(id: number, error: unknown, adapterId: string): WorkerReply<never> {
  return {
    id,
    error: WmoError.isInstance(error)
      ? { message: error.message, code: error.code, adapterId: error.adapterId, location: error.location }
      : { message: `The ${adapterId} adapter failed: ${error instanceof Error ? error.message : String(error)}`, code: 'internal', adapterId },
  };
}

/** True when this module runs from the TypeScript sources (tests, `pnpm demo`), not from dist/. */
const runningFromSource = import.meta.url.endsWith('.ts');

/**
 * How many worker threads an adapter uses by default: two on a machine with two or more cores,
 * none on one core. Running from the TypeScript sources (`pnpm demo`), none: each thread would
 * load the TypeScript loader first (tests ask for workers explicitly).
 */
export function defaultWorkerCount(): number {
  if (runningFromSource) return 0;
  return os.availableParallelism() > 1 ? 2 : 0;
}

/** Node options a worker needs to load its modules as the parent does (with a value: `--import X`). */
const WORKER_OPTIONS_WITH_VALUE = new Set(['--conditions', '-C', '--import', '--require', '-r', '--loader', '--experimental-loader']);
const WORKER_FLAGS = new Set(['--enable-source-maps', '--no-warnings', '--no-deprecation', '--preserve-symlinks', '--preserve-symlinks-main']);

/**
 * The parent's Node options for a worker: only those that decide how modules load. A worker
 * refuses V8 and process options (`node --max-old-space-size=4096 …` would stop every worker with
 * ERR_WORKER_INVALID_EXEC_ARGV; V8's flags apply to the whole process anyway), and
 * `--input-type`, `-e` or `-p` would make it run the parent's script instead of its own.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    if (WORKER_OPTIONS_WITH_VALUE.has(name)) {
      args.push(arg);
      if (equals === -1 && i + 1 < argv.length) args.push(argv[++i]!); // its value
    } else if (WORKER_FLAGS.has(arg)) args.push(arg);
    else if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') i++; // and its script
  }
  return args;
}

export interface OrderedWorkersOptions<J> {
  /** The worker's module: its `.ts` file when the caller runs from the sources, else the `.js`. */
  url: URL;
  jobs: readonly J[];
  /** Worker threads (at least 1); at most `count` jobs are read ahead of the one being given. */
  count: number;
  adapterId: string;
  /** The job in words, for the error when a worker stops: "reading FILE". */
  describe: (job: J) => string;
  /** V8's young generation of each worker, in MB (a worker whose objects live for one batch). */
  youngGenerationMb?: number;
  /** Objects to transfer with a job (none by default). */
  transfer?: (job: J) => TransferListItem[];
  /**
   * The workers post batches of PerformanceColumns as data, and their message handlers pass
   * `takeReturnedBuffers` what they get: once the engine has taken a batch (`columnsTaken`), its
   * buffer goes back to the worker that made it, for its next batches.
   */
  returnColumnBuffers?: boolean;
}

/** Gives a batch's buffer back to the worker that made it once the engine has taken the batch (a worker that has stopped gets nothing). */
function returnWhenTaken(worker: Worker, data: unknown): void {
  if ((data as { type?: unknown } | null)?.type !== 'columns') return;
  const columns = data as PerformanceColumns;
  whenColumnsTaken(columns, () => {
    const buffers = columnBuffers(columns);
    const message: ReturnedBuffersMessage = { returnedColumnBuffers: buffers };
    try {
      worker.postMessage(message, buffers);
    } catch {
      // the worker has ended: the collector frees the buffers
    }
  });
}

/**
 * The replies of `orderedWorkerReplies` with the threads started at once: the generator runs to
 * its first wait (threads made, first jobs posted) before the caller asks for a reply, and
 * `undefined` comes first. The adapters give an empty batch for it, so that their caller can use
 * the main thread while the threads start and read (`deliver` reads the client register then).
 * The threads stop when the caller stops reading, also before the first reply.
 */
export async function* startedAtOnce<R>(replies: AsyncGenerator<R>): AsyncGenerator<R | undefined> {
  const first = replies.next();
  first.catch(() => undefined); // awaited below, after the caller's turn: not an unhandled rejection meanwhile
  try {
    yield undefined;
    for (let result = await first; !result.done; result = await replies.next()) yield result.value;
  } finally {
    await replies.return(undefined);
  }
}

/** One reply in job order: data of job `job`, or its end. */
export type OrderedReply<D> = { job: number; data: D; done: false } | { job: number; data: D | undefined; done: true };

/**
 * Runs the jobs in worker threads and gives their replies in job order: first every reply of
 * job 0 up to its end, then job 1's, …, whichever worker was faster. A job's error is thrown when
 * its turn comes (after the replies it posted before it). The workers are stopped when the
 * caller stops reading or the jobs are done.
 */
export async function* orderedWorkerReplies<J extends object, D>(options: OrderedWorkersOptions<J>): AsyncGenerator<OrderedReply<D>> {
  const { jobs, count } = options;
  const results = jobs.map(() => ({ replies: [] as OrderedReply<D>[], done: false, error: undefined as Error | undefined }));
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
      const job = jobs[id]!;
      worker.postMessage({ ...job, id }, options.transfer?.(job) ?? []);
    }
  };
  let alive = Math.min(count, jobs.length);
  const workers = Array.from({ length: alive }, () => {
    // A worker from the sources (tests) registers the TypeScript loader first.
    const worker = options.url.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(options.url.href)}); });`, {
          eval: true,
          execArgv: ['--conditions=@wmo-toolkit/source'],
        })
      : new Worker(options.url, {
          ...(options.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } } : {}),
          execArgv: workerExecArgv(),
        });
    // V8 has put back some of the process's flags in making the thread's isolate (its heap is
    // configured before the thread runs any JavaScript): set them again.
    worker.once('online', setProcessV8FlagsAgain);
    const finish = (id: number) => {
      results[id]!.done = true;
      busy.delete(worker);
    };
    worker.on('message', (message: WorkerReply<D>) => {
      const result = results[message.id]!;
      if ('error' in message) {
        const { message: text, ...rest } = message.error;
        result.error = new WmoError(text, rest);
      } else if ('done' in message) result.replies.push({ job: message.id, data: message.data, done: true });
      else {
        if (options.returnColumnBuffers) returnWhenTaken(worker, message.data);
        result.replies.push({ job: message.id, data: message.data, done: false });
      }
      if (!('data' in message) || 'done' in message) {
        finish(message.id);
        idle.push(worker);
        assign();
      }
      notify();
    });
    worker.on('error', (error) => {
      const id = busy.get(worker);
      if (id !== undefined) {
        results[id]!.error = error;
        finish(id);
      }
      notify();
    });
    // A worker that ends without an error event (killed, out of memory) must not leave its job
    // waiting for ever.
    worker.on('exit', (code) => {
      alive--;
      const waiting = idle.indexOf(worker);
      if (waiting >= 0) idle.splice(waiting, 1);
      const id = busy.get(worker);
      if (id !== undefined) {
        results[id]!.error = new WmoError(`The ${options.adapterId} adapter's worker thread stopped (exit code ${code}) while ${options.describe(jobs[id]!)}.`, {
          code: 'internal',
          adapterId: options.adapterId,
        });
        finish(id);
      }
      notify();
    });
    idle.push(worker);
    return worker;
  });
  try {
    for (; current < jobs.length; current++) {
      assign();
      const result = results[current]!;
      for (;;) {
        const reply = result.replies.shift();
        if (reply) {
          yield reply;
          if (reply.done) break;
          continue;
        }
        if (result.error) throw result.error;
        if (alive === 0) {
          throw new WmoError(`The ${options.adapterId} adapter's worker threads all stopped before ${options.describe(jobs[current]!)}.`, { code: 'internal', adapterId: options.adapterId });
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
