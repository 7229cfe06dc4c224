import type { AddressResolver } from '../contracts.js';
import { dayNumber } from '../dates.js';
import type { AddressPeriod, Wijk } from '../records.js';
import type { PeriodBounds } from './period.js';

export type WijkPlacement =
  | { wijk: Wijk; address: AddressPeriod }
  | { wijk: null; reason: 'no-address'; address?: undefined }
  | { wijk: null; reason: 'unknown-wijk' | 'unresolved-address'; address: AddressPeriod };

/**
 * The wijk of a client (domain.md §3): the address in the gemeente on 30 June of the reporting
 * year; without one, the address in the gemeente whose period overlaps the reporting year and lies
 * closest to 30 June in days; without any, no wijk (gemeente total rows only).
 *
 * Choices where domain.md is silent, written down in docs/decisions.md:
 * - two addresses in the gemeente on 30 June (an overlap in the register): the one that started
 *   last, since a register overlap usually means the end date of the old address was not filled;
 * - two addresses equally close to 30 June: the earlier one (where the client lived before 30 June);
 * - an address whose wijk cannot be determined (postcode not in the table, wijk code not in the
 *   most recent wijkindeling) places the client in no wijk; no other address is tried, because the
 *   client did live at that address.
 */
export function placeInWijk(
  addresses: readonly AddressPeriod[],
  municipality: string,
  bounds: PeriodBounds,
  wijkByCode: ReadonlyMap<string, Wijk>,
  resolve?: AddressResolver,
): WijkPlacement {
  let best: AddressPeriod | undefined;
  let bestDistance = Infinity;
  let bestStart = -Infinity;
  for (const address of addresses) {
    if (address.municipality !== municipality) continue;
    const start = dayNumber(address.start);
    const distance = distanceToReferenceDay(start, address.end === null ? Infinity : dayNumber(address.end), bounds);
    if (isCloser(distance, start, bestDistance, bestStart)) {
      best = address;
      bestDistance = distance;
      bestStart = start;
    }
  }
  return best ? wijkOf(best, wijkByCode, resolve) : { wijk: null, reason: 'no-address' };
}

/**
 * How far an address period (first and last day; `Infinity`: open) lies from 30 June in days: 0
 * when it holds that day; `Infinity` when it does not overlap the reporting year.
 */
export function distanceToReferenceDay(start: number, end: number, bounds: PeriodBounds): number {
  if (end < bounds.yearStart || start > bounds.yearEnd) return Infinity;
  if (start <= bounds.referenceDay && bounds.referenceDay <= end) return 0;
  return end < bounds.referenceDay ? bounds.referenceDay - end : start - bounds.referenceDay;
}

/** Whether an address at `distance` that starts on `start` places the client before the best so far (the choices above). */
export function isCloser(distance: number, start: number, bestDistance: number, bestStart: number): boolean {
  if (distance === Infinity) return false;
  return distance < bestDistance || (distance === bestDistance && distance === 0 && start > bestStart) || (distance === bestDistance && distance > 0 && start < bestStart);
}

/** The wijk of the address that places a client (its wijk code, else the resolver's). */
export function wijkOf(address: AddressPeriod, wijkByCode: ReadonlyMap<string, Wijk>, resolve?: AddressResolver): WijkPlacement {
  let code = address.wijkCode ?? undefined;
  if (!code && resolve && address.postcode && address.houseNumber) code = resolve({ postcode: address.postcode, houseNumber: address.houseNumber });
  if (!code) return { wijk: null, reason: 'unresolved-address', address };
  const wijk = wijkByCode.get(code);
  if (!wijk) return { wijk: null, reason: 'unknown-wijk', address };
  return { wijk, address };
}
