import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientIndex, buildDelivery, createPseudonymizer, readDeclarations } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { templateSource } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const fixture = (name: string) => path.join(fixtures, name);

// 1. The conformance suite every adapter runs: contract, valid records, empty input, malformed
//    input, determinism.
testAdapterConformance({
  kind: 'declarations',
  valid: () => templateSource({ paths: [fixture('example.csv')] }),
  empty: () => templateSource({ paths: [fixture('empty.csv')] }),
  malformed: () => templateSource({ paths: [fixture('broken.csv')] }),
  readOptions: { municipality: '0405' },
});

// 2. Your own rules, with expected numbers worked out by hand.
describe('template source', () => {
  it('gives the lines of the example as performances; a negative amount is a credit', async () => {
    const amounts: number[] = [];
    for await (const item of readDeclarations(templateSource({ paths: [fixture('example.csv')] }), { municipality: '0405' })) {
      if (item.type === 'performance') amounts.push(item.performance.amountCents);
    }
    expect(amounts).toEqual([30000, 12050, -30000]);
  });

  it('flows through the core into the expected cells', async () => {
    const pseudonymize = createPseudonymizer('template-test-secret');
    const clients = new ClientIndex(pseudonymize);
    clients.add({ clientKey: '999990019', birthDate: '1950-01-01', addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: 'WK040510' }] });
    clients.add({ clientKey: '999990020', birthDate: '1990-01-01', addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: 'WK040510' }] });
    const { rows, passed } = await buildDelivery({
      municipality: { code: '0405', name: 'Hoorn' },
      year: 2023,
      period: 'Y',
      wijken: [{ municipality: '0405', municipalityName: 'Hoorn', code: 'WK040510', name: 'Wijk 10 Binnenstad', year: 2024 }],
      clients,
      declarations: readDeclarations(templateSource({ paths: [fixture('example.csv')] }), { municipality: '0405' }),
      pseudonymize,
    });
    const cell = (age: number, category: string) => rows.find((r) => r.wijk && r.ageClass === age && r.category === category)!;
    // line 3 (−€300) has no reference to line 1 but is the same client, product, period and
    // amount: it reverses it, so the client of class 3 does not count.
    expect([cell(3, 'HH_Hulp').clients, cell(3, 'HH_Hulp').euros]).toEqual([0, 0]);
    // €120.50 → €121 (half up) for the client of class 2 in BG
    expect([cell(2, 'BG').clients, cell(2, 'BG').euros]).toEqual([1, 121]);
    expect(passed).toBe(true);
  });
});
