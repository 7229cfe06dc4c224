// A worker thread of the iWmo adapter (worker-pool.ts): reads one declaration file at a time and
// posts its lines back in batches, as columns (typed arrays transferred, not copied) or as items.
import { parentPort } from 'node:worker_threads';
import { columnBuffers, takeReturnedBuffers, workerErrorReply, type ReturnedBuffersMessage, type WorkerJobMessage } from '@wmo-toolkit/core';
import { declarationColumns, readDeclaration } from './source.js';
import type { WorkerJob, WorkerMessage } from './worker-pool.js';

const port = parentPort!;
port.on('message', async (message: WorkerJobMessage<WorkerJob> | ReturnedBuffersMessage) => {
  if (takeReturnedBuffers(message)) return; // batch buffers back from the main thread, for the next batches
  const job = message as WorkerJobMessage<WorkerJob>;
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const answers = new Map(job.answer ? [[job.answer.key, job.answer]] : []);
    if (job.columns) {
      for await (const columns of declarationColumns(job.declaration, answers, job.options)) post({ id: job.id, data: columns }, columnBuffers(columns));
    } else {
      // As JSON text: one string crosses the thread boundary as a copy of its bytes, where a
      // structured clone of thousands of small objects cost the receiving (main) thread 24 % of
      // its time, JSON.parse 19 % (scale 10, docs/performance.md).
      for await (const batch of readDeclaration(job.declaration, answers, job.options)) post({ id: job.id, data: JSON.stringify(batch) });
    }
    post({ id: job.id, done: true });
  } catch (error) {
    post(workerErrorReply(job.id, error, 'iwmo'));
  }
});
