import v8 from 'node:v8';
import { afterEach, expect, it, vi } from 'vitest';
import { processV8Flags, setProcessV8Flags } from './v8-flags.js';
import { orderedWorkerReplies } from './workers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

// The only test of this file: the kept flags are module state, and once the spy is gone a worker's
// start would set them on the test process for real.
it('keeps the flags it sets, and sets them again once each worker thread has started', async () => {
  const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
  setProcessV8Flags('--semi-space-growth-factor=1', '--min-semi-space-size=4');
  setProcessV8Flags('--semi-space-growth-factor=1'); // set again, kept once
  expect(set.mock.calls.map(([flag]) => flag)).toEqual(['--semi-space-growth-factor=1', '--min-semi-space-size=4', '--semi-space-growth-factor=1']);
  expect(processV8Flags()).toEqual(['--semi-space-growth-factor=1', '--min-semi-space-size=4']);
  set.mockClear();

  const jobs: object[] = [{}, {}, {}];
  const replies: number[] = [];
  const url = new URL('./__fixtures__/done-worker.ts', import.meta.url);
  for await (const reply of orderedWorkerReplies({ url, jobs, count: 2, adapterId: 'test', describe: () => 'a test job' })) replies.push(reply.job);
  expect(replies).toEqual([0, 1, 2]);
  // two threads started: both kept flags once for each of them, in order
  await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(4));
  expect(set.mock.calls.map(([flag]) => flag)).toEqual(['--semi-space-growth-factor=1', '--min-semi-space-size=4', '--semi-space-growth-factor=1', '--min-semi-space-size=4']);
});
