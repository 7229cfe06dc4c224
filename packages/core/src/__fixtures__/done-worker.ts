// A worker for the worker pool's tests: ends every job at once, without data.
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (job: { id: number }) => parentPort!.postMessage({ id: job.id, done: true }));
