import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readGeography, type Wijk } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { cbsGeography } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures');
const pc6 = path.join(fixtures, 'cbs/pc6hnr20240801_gwb-sample.csv');

testAdapterConformance({
  kind: 'geography',
  valid: () => cbsGeography(),
  malformed: () => cbsGeography({ wijkenFile: path.join(fixtures, 'clients/register-wrong-header.csv') }),
});

async function wijkenOf(municipality: string): Promise<Wijk[]> {
  const wijken: Wijk[] = [];
  for await (const item of readGeography(cbsGeography(), { municipality })) if (item.type === 'wijk') wijken.push(item.wijk);
  return wijken;
}

describe('bundled CBS geography', () => {
  it('has the 2024 wijken of Hoorn with their year', async () => {
    const wijken = await wijkenOf('0405');
    // shared/reference/cbs: Hoorn has 14 wijken in the wijkindeling 2024
    expect(wijken).toHaveLength(14);
    expect(wijken[0]).toEqual({ municipality: '0405', municipalityName: 'Hoorn', code: 'WK040510', name: 'Wijk 10 Binnenstad', year: 2024 });
  });

  it('has the gemeente list: Hoorn is 0405, Schagen 0441', async () => {
    const names = new Map<string, string>();
    for await (const item of readGeography(cbsGeography())) if (item.type === 'municipality') names.set(item.municipality.code, item.municipality.name);
    expect(names.size).toBe(342);
    expect(names.get('0405')).toBe('Hoorn');
    expect(names.get('0441')).toBe('Schagen');
    expect(names.get('0957')).toBe('Roermond');
    expect(names.get('1900')).toBe('Súdwest-Fryslân');
  });
});

describe('postcode + house number table', () => {
  it('keeps only the rows of the gemeente from the national table', async () => {
    const resolve = await cbsGeography({ addressesFile: pc6 }).addressResolver!('0405');
    expect(resolve({ postcode: '1621AB', houseNumber: '14' })).toBe('WK040510');
    expect(resolve({ postcode: '6041AB', houseNumber: '7' })).toBeUndefined();
    expect(resolve({ postcode: '1011AB', houseNumber: '99' })).toBeUndefined();
  });

  it('normalises the house number to its digits', async () => {
    const resolve = await cbsGeography({ addressesFile: pc6 }).addressResolver!('0405');
    expect(resolve({ postcode: '1624 ef', houseNumber: '8a' })).toBe('WK040513');
  });
});
