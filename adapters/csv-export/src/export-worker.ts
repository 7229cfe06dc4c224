// A worker thread of the csv-export adapter: reads one part of a big export (source.ts,
// planParts) and posts its lines back as columns, the typed arrays transferred, not copied.
import { parentPort } from 'node:worker_threads';
import { columnBuffers, delimitedPartViews, takeReturnedBuffers, workerErrorReply, type PerformanceColumns, type ReturnedBuffersMessage, type RowView, type WorkerJobMessage, type WorkerReply } from '@wmo-toolkit/core';
import { ADAPTER_ID } from './id.js';
import { columnsOfViews, newCreditState, type ExportPartJob, type PartEnd } from './source.js';

const port = parentPort!;
port.on('message', async (message: WorkerJobMessage<ExportPartJob> | ReturnedBuffersMessage) => {
  if (takeReturnedBuffers(message)) return; // batch buffers back from the main thread, for the next batches
  const job = message as WorkerJobMessage<ExportPartJob>;
  const post = (message: WorkerReply<PerformanceColumns | PartEnd>, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const state = newCreditState();
    for await (const columns of columnsOfViews(job.file, job.fieldCount, partRows(job), job.at, job.mapping, job.countPending, state)) {
      post({ id: job.id, data: columns }, columnBuffers(columns));
    }
    const credited = state.creditedBatches[0]!; // the part's credited lines (columnsOfViews adds one batch)
    post({ id: job.id, done: true, data: { creditedLater: [...state.creditedLater], credited, creditsSeen: [...state.creditsSeen] } }, columnBuffers(credited));
  } catch (error) {
    post(workerErrorReply(job.id, error, ADAPTER_ID));
  }
});

/** The rows of the part; the part at the start of the file begins with the header line, which is skipped. */
async function* partRows(job: ExportPartJob): AsyncGenerator<RowView> {
  let header = job.part.start === 0;
  for await (const view of delimitedPartViews(job.file, job.part)) {
    if (header) {
      view.firstRow = 1;
      header = false;
    }
    yield view;
  }
}
