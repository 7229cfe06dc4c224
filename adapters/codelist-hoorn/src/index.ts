import { defineCodeList, type CodeList, type CodeListEntry } from '@wmo-toolkit/core';
import { HOORN_ROWS } from './data.js';

/**
 * Gemeente Hoorn (0405): 5-character product codes whose first two digits are the iWmo category
 * (01001 HO 1 → 01, 02826 → 02, 07821 BG Groep → 07, 04A02 → 04, 08A04 → 08, 15xxx → 15
 * Beschermd wonen), each with its CAK code (seed 002, Bijlage 4; domain.md §4).
 */
export const HOORN_ENTRIES: readonly CodeListEntry[] = HOORN_ROWS.map(([code, name, cak, cakDescription]) => ({
  code,
  category: code.slice(0, 2),
  isWmo: true,
  description: name,
  extra: { cakCode: cak, cakDescription },
}));

export function hoornCodeList(): CodeList {
  return defineCodeList({ id: 'codelist-hoorn', description: 'gemeente Hoorn, Bijlage 4 (productcodes met CAK codes)', entries: HOORN_ENTRIES });
}
