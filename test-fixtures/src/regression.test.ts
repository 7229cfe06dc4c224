import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deliver, type DeliverRequest } from '@wmo-toolkit/pipeline';

/**
 * Cross-adapter regression: every declaration source that can express a scenario must produce
 * the same QSD301 file from it, byte for byte. The table below names, per scenario, what each
 * source reads — or why it cannot express the scenario. It is typed over every source id, so
 * adding a source forces a decision for every scenario (as kysely states its SQL per dialect).
 */
type SourceId = 'iwmo' | 'csv-export' | 'template';
type Input = { declarations: string; format: Exclude<SourceId, 'template'>; mapping?: string } | { notExpressible: string };

interface Scenario {
  folder: string;
  request: Omit<DeliverRequest, 'declarations' | 'out' | 'declarationsFormat'>;
  expected: string;
  inputs: Record<SourceId, Input>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SCENARIOS: Record<string, Scenario> = {
  'hoorn-2023': {
    folder: 'scenarios/hoorn-2023',
    request: {
      municipality: '0405',
      year: 2023,
      clients: 'clients.csv',
      addresses: '../../cbs/pc6hnr20240801_gwb-sample.csv',
      codelist: 'hoorn',
      deliveryDate: '2024-01-15',
    },
    expected: 'WMO_0405_2023_20240115_01.csv',
    inputs: {
      iwmo: { format: 'iwmo', declarations: 'declarations' },
      'csv-export': { format: 'csv-export', declarations: 'export/declaratieregels-2023.csv', mapping: 'export/mapping.yaml' },
      // The template is an example to copy, loaded with --adapter; its own tests and the release
      // install check deliver with it. It is not built into the pipeline, so it is not run here.
      template: { notExpressible: 'example adapter outside the pipeline (tested in adapters/template and by pnpm release --check-install)' },
    },
  },
};

describe.each(Object.entries(SCENARIOS))('scenario %s', (_name, scenario) => {
  const dir = path.join(root, scenario.folder);
  const expected = readFileSync(path.join(dir, scenario.expected));
  const resolve = (p: string | undefined) => (p === undefined || !p.includes('.') ? p : path.resolve(dir, p));

  it.each(Object.entries(scenario.inputs))('%s gives the expected file', async (_source, input) => {
    if ('notExpressible' in input) return; // reason in the table
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-regression-'));
    const { request } = scenario;
    const result = await deliver({
      ...request,
      ...(request.clients ? { clients: resolve(request.clients)! } : {}),
      ...(request.addresses ? { addresses: resolve(request.addresses)! } : {}),
      declarations: [path.join(dir, input.declarations)],
      declarationsFormat: input.format,
      ...(input.mapping ? { mapping: path.join(dir, input.mapping) } : {}),
      out,
    });
    expect(result.delivery.passed).toBe(true);
    expect(readFileSync(result.files.csv!).equals(expected)).toBe(true);
  });
});

describe('the number of worker threads (--workers)', () => {
  // The Hoorn scenario's 3.x declarations are many files: with workers 2 they are read in two
  // threads (below the 64 MB of `auto`, which reads them in this one), with 0 in this thread.
  // The file must be the hand-checked one either way.
  const scenario = SCENARIOS['hoorn-2023']!;
  const dir = path.join(root, scenario.folder);
  it.each([0, 2])('workers %i gives the expected file', async (workers) => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-workers-'));
    const result = await deliver({
      ...scenario.request,
      clients: path.join(dir, 'clients.csv'),
      addresses: path.resolve(dir, '../../cbs/pc6hnr20240801_gwb-sample.csv'),
      declarations: [path.join(dir, 'declarations')],
      declarationsFormat: 'iwmo',
      workers,
      out,
    });
    expect(result.delivery.passed).toBe(true);
    expect(readFileSync(result.files.csv!).equals(readFileSync(path.join(dir, scenario.expected)))).toBe(true);
  });

  it('refuses a number of workers that is not a whole number from 0 to 16, in one sentence', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-workers-'));
    await expect(
      deliver({ ...scenario.request, clients: path.join(dir, 'clients.csv'), declarations: [path.join(dir, 'declarations')], workers: 99, out }),
    ).rejects.toThrow(/^Option workers is not right: .*16/);
  });
});
