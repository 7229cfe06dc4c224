import { describe, expect, it } from 'vitest';
import { createPseudonymizer } from '../bsn.js';
import type { AddressPeriod, Wijk } from '../records.js';
import { ClientIndex } from './client-index.js';
import { periodBounds } from './period.js';
import { placeInWijk, type WijkPlacement } from './wijk-placement.js';

const wijk = (code: string): Wijk => ({ municipality: '0405', municipalityName: 'Hoorn', code, name: `Wijk ${code.slice(-2)}`, year: 2024 });
const wijkByCode = new Map(['WK040510', 'WK040512'].map((code) => [code, wijk(code)]));
const bounds = periodBounds(2023, 'Y'); // 30 June 2023 is the reference day
const address = (start: string, end: string | null, municipality: string, wijkCode: string | null, postcode: string | null = null, houseNumber: string | null = null): AddressPeriod => ({
  start,
  end,
  municipality,
  wijkCode,
  postcode,
  houseNumber,
});

/** The placement from the address list and from the client index, which must agree. */
function placements(addresses: AddressPeriod[]): [WijkPlacement, WijkPlacement] {
  const index = new ClientIndex(createPseudonymizer('test-secret'));
  index.add({ clientKey: '123456782', birthDate: '1980-01-01', addresses });
  return [placeInWijk(addresses, '0405', bounds, wijkByCode), index.placeInWijk(index.find('123456782'), '0405', bounds, wijkByCode)];
}

describe('placeInWijk, from a list and from the client index', () => {
  it.each([
    // both hold 30 June (an overlap in the register): the one that started last
    ['two addresses on 30 June', [address('2020-01-01', null, '0405', 'WK040510'), address('2023-05-01', null, '0405', 'WK040512')], 'WK040512'],
    // none on 30 June: until 19 June is 11 days before, from 11 July 11 days after; equally close: the earlier one
    ['two equally close', [address('2023-01-01', '2023-06-19', '0405', 'WK040510'), address('2023-07-11', null, '0405', 'WK040512')], 'WK040510'],
    // the Schagen address holds 30 June; of Hoorn's, 1 September is 63 days after, 31 March 91 before
    ['the closest in the gemeente', [address('2010-01-01', '2023-03-31', '0405', 'WK040510'), address('2023-04-01', '2023-08-31', '0441', null), address('2023-09-01', null, '0405', 'WK040512')], 'WK040512'],
  ] as const)('%s', (_, addresses, expected) => {
    for (const placement of placements([...addresses])) expect(placement.wijk?.code).toBe(expected);
  });

  it('says why a client has no wijk, with the address that placed it', () => {
    // only outside the gemeente, or only before 2023
    for (const placement of placements([address('2010-01-01', '2022-12-31', '0405', 'WK040510'), address('2023-01-01', null, '0441', null)])) {
      expect(placement).toEqual({ wijk: null, reason: 'no-address' });
    }
    const unknown = address('2020-01-01', null, '0405', 'WK040599');
    for (const placement of placements([unknown])) expect(placement).toEqual({ wijk: null, reason: 'unknown-wijk', address: unknown });
    const unresolved = address('2020-01-01', null, '0405', null, '1621AB', '12');
    for (const placement of placements([unresolved])) expect(placement).toEqual({ wijk: null, reason: 'unresolved-address', address: unresolved });
  });
});
