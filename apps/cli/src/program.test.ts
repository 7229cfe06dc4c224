import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { afterEach, expect, it, vi } from 'vitest';
import { run } from './program.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

it('lets the young generation grow again for a command that is not a delivery', async () => {
  // main.ts held it (@wmo-toolkit/pipeline/young-generation) while the modules loaded
  const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
  const out: string[] = [];
  const code = await run(['validate', path.join(root, 'packages/core/src/__fixtures__/WMO_0405_2023_20240115_01.csv')], {
    stdout: (text) => out.push(text),
    stderr: (text) => out.push(text),
    stderrIsTty: false,
  });
  expect(code).toBe(0);
  expect(out.join('')).toContain('passes every check');
  expect(set.mock.calls.map(([flag]) => flag)).toEqual(['--semi-space-growth-factor=2']);
});
