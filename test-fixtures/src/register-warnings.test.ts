import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { deliver } from '@wmo-toolkit/pipeline';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('counts a client with two birth dates once per row and once per client, under two kinds', async () => {
  // register-bad.csv gives BSN 999990019 the birth date 1950-03-12 on line 2 and 1951-03-12 on
  // line 5: one differing row (the clients-csv adapter's 'conflicting-birth-date') and one client
  // left out (the core's 'client-conflicting-birth-dates'). Under one kind the report said 2.
  const out = await mkdtemp(path.join(tmpdir(), 'wmo-register-warnings-'));
  try {
    const result = await deliver({
      municipality: '0405',
      year: 2023,
      clients: path.join(root, 'clients/register-bad.csv'),
      codelist: 'hoorn',
      deliveryDate: '2024-01-15',
      declarations: [path.join(root, 'scenarios/hoorn-2023/declarations')],
      declarationsFormat: 'iwmo',
      out,
    });
    const groups = new Map(result.delivery.report.warnings.map((g) => [g.kind, g]));
    expect(groups.get('conflicting-birth-date')?.count).toBe(1);
    expect(groups.get('conflicting-birth-date')?.examples[0]?.location).toEqual({ file: path.join(root, 'clients/register-bad.csv'), line: 5 });
    expect(groups.get('client-conflicting-birth-dates')?.count).toBe(1);
    // the client is left out of the file for that reason (it has performances in the scenario)
    expect(result.delivery.report.clients.leftOut.filter((c) => c.reason === 'conflicting birth dates')).toHaveLength(1);
    expect(JSON.stringify(result.delivery.report)).not.toMatch(/999990019|1950-03-12|1951-03-12/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
