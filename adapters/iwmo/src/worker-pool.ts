import { PerformanceColumnsBuilder, orderedWorkerReplies, startedAtOnce, type DeclarationItem, type DeclarationReadOptions, type PerformanceColumns, type WorkerReply } from '@wmo-toolkit/core';
import type { Answer } from './answers.js';
import type { Surveyed } from './source.js';

/** One declaration file for a worker: the file, its answer (if any) and the read options. */
export interface WorkerJob {
  declaration: Surveyed;
  answer: Answer | undefined;
  options: DeclarationReadOptions;
  /** Post the lines as columns (typed arrays, transferred) instead of items as JSON text. */
  columns: boolean;
}

/** A worker posts each batch as JSON text of items, or as columns (see declaration-worker.ts). */
export type WorkerMessage = WorkerReply<string | PerformanceColumns>;

const fromSource = import.meta.url.endsWith('.ts');

/**
 * Reads declaration files in worker threads and gives their batches in file order, exactly as
 * reading them one after the other would: the output does not depend on which worker was
 * faster. At most `count` files are read ahead of the one being given (`count` + 1 in hand), so
 * memory stays bounded by a few files' lines whatever the size of the archive. The jobs say
 * whether the batches are items or columns (all the same).
 */
export async function* readInWorkers(jobs: WorkerJob[], count: number, onFileDone: (index: number) => void): AsyncGenerator<DeclarationItem[] | PerformanceColumns> {
  const replies = orderedWorkerReplies<WorkerJob, string | PerformanceColumns>({
    url: new URL(fromSource ? './declaration-worker.ts' : './declaration-worker.js', import.meta.url),
    jobs,
    count,
    adapterId: 'iwmo',
    describe: (job) => `reading ${job.declaration.file}`,
    // A small young generation: a worker's objects live for one batch; measured at scale 10
    // (two workers): peak RSS 374-386 -> 292 MB for 4 % more time (4 MB: 270 MB, 5 %).
    youngGenerationMb: 8,
    returnColumnBuffers: true,
  });
  for await (const reply of startedAtOnce(replies)) {
    if (reply === undefined) yield jobs[0]!.columns ? new PerformanceColumnsBuilder(jobs[0]!.declaration.file).build() : []; // no lines: the workers have started
    else if (reply.done) onFileDone(reply.job);
    else yield typeof reply.data === 'string' ? (JSON.parse(reply.data) as DeclarationItem[]) : reply.data;
  }
}
