import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { HANDBOEK_2022_ENTRIES, handboek2022CodeList } from './index.js';

const seed = readFileSync(new URL('../../../../shared/seeds/003_dd7f545dc9c7467c.txt', import.meta.url), 'utf8');
// every product code in a table row of the seed: 5 characters, two digits, a letter, two digits
const seedCodes = [...seed.matchAll(/(?:^|\t)(\d{2}[A-Z]\d{2})(?=\t| \()/gm)].map((m) => m[1]!);

testAdapterConformance({ kind: 'codelist', valid: () => handboek2022CodeList() });

describe('codelist-handboek-2022 against seed 003', () => {
  it('has every product code of the seed', () => {
    // Jeugd: 43Z01–04, 46Z01, 54Z01–03, 45Z01, 40Z01, 42Z01 = 11; Wmo: 15Z01–05, 02Z01, 03Z01, 08Z01, 04A01, 04A03 = 10
    expect(new Set(seedCodes).size).toBe(21);
    expect(HANDBOEK_2022_ENTRIES.map((e) => e.code).sort()).toEqual([...new Set(seedCodes)].sort());
  });

  it('writes each Wmo and Jeugd row as the seed does', () => {
    for (const entry of HANDBOEK_2022_ENTRIES) {
      if (entry.code === '04A01' || entry.code === '04A03') expect(seed).toContain(`${entry.code} (${entry.description})\tStuks output`);
      else expect(seed).toContain(`${entry.description}\t${entry.code}\tStuks output\tTotaal binnen geldigheidsduur beschikking`);
    }
  });

  it.each([
    ['02Z01', '02', true],
    ['03Z01', '03', true],
    ['08Z01', '08', true],
    ['15Z04', '15', true],
    ['04A03', '04', true],
    ['43Z01', '43', false],
    ['54Z01', '54', false],
  ])('spot check %s → category %s, Wmo %s', (code, category, isWmo) => {
    const entry = HANDBOEK_2022_ENTRIES.find((e) => e.code === code)!;
    expect([entry.category, entry.isWmo, entry.unit]).toEqual([category, isWmo, 'Stuks output']);
  });
});
