import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { HOORN_ENTRIES, hoornCodeList } from './index.js';

const seed = readFileSync(new URL('../../../../shared/seeds/002_630a3bbee8039871.txt', import.meta.url), 'utf8');
const seedRows = seed.split('\n').filter((line) => line.startsWith('Hoorn\t'));

testAdapterConformance({ kind: 'codelist', valid: () => hoornCodeList() });

describe('codelist-hoorn against seed 002, Bijlage 4', () => {
  it('has every row of the table', () => {
    // the table has 99 rows that start with "Hoorn"
    expect(seedRows).toHaveLength(99);
    expect(HOORN_ENTRIES).toHaveLength(99);
  });

  it('holds each row as the seed writes it: code, name, CAK code, CAK description', () => {
    HOORN_ENTRIES.forEach((entry, i) => {
      // some rows have no CAK description: the seed line then ends after the CAK code
      expect(seedRows[i]!.trim()).toBe(['Hoorn', entry.code, entry.description, entry.extra!.cakCode, entry.extra!.cakDescription].join('\t').trim());
    });
  });

  it.each([
    ['01001', '01', 'HO 1', '7'],
    ['02826', '02', 'Matig intensieve ondersteuning SOM', '403'],
    ['04A02', '04', 'Kortdurend verblijf inclusief individuele begeleiding en/of dagbesteding', '448'],
    ['08A04', '08', 'Vervoer - rolstoel (retour)', 'nvt.'],
    ['15511', '15', '1GGZ-C exclusief begeleiding groep', 'nvt.'],
  ])('spot check %s → category %s', (code, category, name, cak) => {
    const entry = HOORN_ENTRIES.find((e) => e.code === code)!;
    expect([entry.category, entry.description, entry.extra!.cakCode]).toEqual([category, name, cak]);
    expect(seed).toContain(`Hoorn\t${code}\t${name}\t${cak}`);
  });

  it('has 07821 BG Groep as Dagbesteding (07)', () => {
    expect(HOORN_ENTRIES.find((e) => e.code === '07821')?.category).toBe('07');
  });
});
