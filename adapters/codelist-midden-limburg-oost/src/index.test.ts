import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { MLO_ENTRIES, middenLimburgOostCodeList } from './index.js';

const seed = readFileSync(new URL('../../../../shared/seeds/001_dccab95106dc7b9f.txt', import.meta.url), 'utf8');
const lines = seed.split('\n');
const start = lines.indexOf('## Bijlage 5: Codelijst producten Wmo Midden-Limburg Oost 2018');
// the table runs from the line after its header to the next empty line (or the end of the file)
const end = lines.findIndex((l, i) => i > start + 3 && l.trim() === '');
const seedRows = lines.slice(start + 3, end < 0 ? lines.length : end).filter((l) => l.trim() !== '');

testAdapterConformance({ kind: 'codelist', valid: () => middenLimburgOostCodeList() });

describe('codelist-midden-limburg-oost against seed 001, Bijlage 5', () => {
  it('has every row of the table plus Roermond 01A06', () => {
    // 7 × 77xx + 08A03 + 08A04 + 7 × 27xx + 7 × 47xx = 23 rows; + 01A06 = 24 entries
    expect(seedRows).toHaveLength(23);
    expect(MLO_ENTRIES).toHaveLength(24);
  });

  it('holds each row as the seed writes it', () => {
    MLO_ENTRIES.slice(0, 23).forEach((entry, i) => {
      expect(seedRows[i]!.split('\t').slice(0, 4)).toEqual([entry.extra!.perceel, entry.code, entry.description, entry.unit]);
    });
  });

  it.each([
    ['2701', '02', 'Individuele begeleiding somatiek'],
    ['4703', '04', 'Kortdurend verblijf verstandelijk gehandicapten'],
    ['7707', '07', 'Begeleiding in groepsverband bij psychiatrische problematiek'],
    ['08A03', '08', 'Vervoer regulier retourrit'],
    ['08A04', '08', 'Vervoer rolstoel retourrit'],
  ])('spot check %s → category %s', (code, category, description) => {
    const entry = MLO_ENTRIES.find((e) => e.code === code)!;
    expect([entry.category, entry.description]).toEqual([category, description]);
    expect(seed).toContain(`\t${code}\t${description}\t`);
  });

  it("has Roermond's 01A06 extra uren HbH as category 01", () => {
    expect(seed).toContain('Dit is een apart product (01A06) voor alleen de extra uren HbH');
    expect(MLO_ENTRIES.find((e) => e.code === '01A06')?.category).toBe('01');
  });
});
