// A worker thread of the iWmo adapter (worker-pool.ts): reads one declaration file at a time and
// posts its items back in batches.
import { parentPort } from 'node:worker_threads';
import { workerErrorReply, type WorkerJobMessage } from '@wmo-toolkit/core';
import { readDeclaration } from './source.js';
import type { WorkerJob, WorkerMessage } from './worker-pool.js';

const port = parentPort!;
port.on('message', async (job: WorkerJobMessage<WorkerJob>) => {
  const post = (message: WorkerMessage) => port.postMessage(message);
  try {
    const answers = new Map(job.answer ? [[job.answer.key, job.answer]] : []);
    // As JSON text: one string crosses the thread boundary as a copy of its bytes, where a
    // structured clone of thousands of small objects cost the receiving (main) thread 24 % of its
    // time, JSON.parse 19 % (scale 10, docs/performance.md).
    for await (const batch of readDeclaration(job.declaration, answers, job.options)) post({ id: job.id, data: JSON.stringify(batch) });
    post({ id: job.id, done: true });
  } catch (error) {
    post(workerErrorReply(job.id, error, 'iwmo'));
  }
});
