import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientIndex, createPseudonymizer, periodBounds, placeInWijk, readClients, readGeography, type Wijk } from '@wmo-toolkit/core';
import { clientsCsv } from '@wmo-toolkit/clients-csv';
import { cbsGeography } from '@wmo-toolkit/cbs-geo';

// The client register and the CBS geography together: clients of Hoorn (0405) and Roermond (0957)
// by wijkcode and by postcode + house number, placed on 30 June 2023 (domain.md §3).
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pc6 = path.join(fixtures, 'cbs/pc6hnr20240801_gwb-sample.csv');

async function wijkenOf(municipality: string): Promise<Wijk[]> {
  const wijken: Wijk[] = [];
  for await (const item of readGeography(cbsGeography(), { municipality })) if (item.type === 'wijk') wijken.push(item.wijk);
  return wijken;
}

describe('clients of Hoorn and Roermond placed in real 2024 wijken on 30 June 2023', () => {
  const place = async (municipality: string) => {
    const geography = cbsGeography({ addressesFile: pc6 });
    const resolve = await geography.addressResolver!(municipality);
    const wijken = await wijkenOf(municipality);
    const index = new ClientIndex(createPseudonymizer('k'));
    for await (const item of readClients(clientsCsv({ file: path.join(fixtures, 'clients/hoorn-roermond.csv') }))) if (item.type === 'client') index.add(item.client);
    const bounds = periodBounds(2023, 'Y');
    const byCode = new Map(wijken.map((w) => [w.code, w]));
    return (bsn: string) => {
      const placement = placeInWijk(index.get(bsn)!.addresses, municipality, bounds, byCode, resolve);
      return placement.wijk ? placement.wijk.code : placement.reason;
    };
  };

  it('Hoorn', async () => {
    const wijkOf = await place('0405');
    // by wijkcode, the whole year in wijk 12
    expect(wijkOf('999990019')).toBe('WK040512');
    // moved on 15 June from 1621AB 12 (wijk 10) to 1625CD 3 (wijk 31): on 30 June in wijk 31
    expect(wijkOf('999990020')).toBe('WK040531');
    // moved out to Schagen on 1 April: no Hoorn address on 30 June; the Hoorn address closest to
    // 30 June that overlaps 2023 ended 31 March (91 days before): 1624EF 8a → number 8 → wijk 13
    expect(wijkOf('999990032')).toBe('WK040513');
    // a Roermond client has no Hoorn address
    expect(wijkOf('999990044')).toBe('no-address');
  });

  it('Roermond', async () => {
    const wijkOf = await place('0957');
    // by postcode + house number: 6041AB 7 → 095703 Wijk 03 Maasniel
    expect(wijkOf('999990044')).toBe('WK095703');
    // by wijkcode: WK095708 Wijk 08 Swalmen
    expect(wijkOf('999990056')).toBe('WK095708');
  });

});
