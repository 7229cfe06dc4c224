import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readArrangements, type ArrangementRecord } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { arrangementsCsv } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures');
const file = path.join(fixtures, 'scenarios/arrangements-2023/pgb-en-anders.csv');

testAdapterConformance({
  kind: 'arrangements',
  valid: () => arrangementsCsv({ file }),
  malformed: () => arrangementsCsv({ file: path.join(fixtures, 'clients/register-wrong-header.csv') }),
  readOptions: { municipality: '0405' },
});

describe('arrangements-csv', () => {
  it('reads PGB and anders arrangements; the dates given are the actual ones', async () => {
    const records: ArrangementRecord[] = [];
    for await (const item of readArrangements(arrangementsCsv({ file }), { municipality: '0405' })) if (item.type === 'arrangement') records.push(item.record);
    expect(records.map((r) => [r.clientKey, r.allocationNumber, r.type, r.financing, r.actualStart, r.actualEnd, r.endReason])).toEqual([
      ['999990019', 'P-1', '02', '2', '2023-04-01', '2023-12-31', null],
      ['999990068', 'P-2', '01', '2', '2023-01-01', null, null],
      ['999990081', null, '12', '6', '2023-09-15', '2023-09-15', '19'],
    ]);
  });

  it('passes over other gemeenten', async () => {
    let count = 0;
    for await (const item of readArrangements(arrangementsCsv({ file }), { municipality: '0441' })) if (item.type === 'arrangement') count++;
    expect(count).toBe(0);
  });
});
