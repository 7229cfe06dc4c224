import { defineCodeList, type CodeList, type CodeListEntry } from '@wmo-toolkit/core';
import { MLO_ROWS } from './data.js';

/**
 * Midden-Limburg Oost (Roermond, Echt-Susteren, Maasgouw, Roerdalen), Bijlage 5 of the
 * Werkafsprakenboek (2018 list): 4-digit legacy codes whose first digit is the iWmo category
 * (27xx individuele begeleiding → 02, 47xx kortdurend verblijf → 04, 77xx begeleiding groep → 07),
 * 08A03/08A04 vervoer → 08; plus Roermond's 01A06 extra uren HbH → 01 (seed 001; domain.md §4).
 */
function categoryOf(code: string): string {
  if (/^\d{4}$/.test(code)) return code[0] === '2' ? '02' : code[0] === '4' ? '04' : code[0] === '7' ? '07' : '';
  return code.slice(0, 2);
}

export const MLO_ENTRIES: readonly CodeListEntry[] = [
  ...MLO_ROWS.map(([perceel, code, description, unit]) => ({ code, category: categoryOf(code), isWmo: true, description, unit, extra: { perceel } })),
  // seed 001, §5 (Roermond): "Dit is een apart product (01A06) voor alleen de extra uren HbH."
  { code: '01A06', category: '01', isWmo: true, description: 'Extra uren hulp bij het huishouden (Roermond)', extra: { perceel: 'Huishoudelijke hulp' } },
];

export function middenLimburgOostCodeList(): CodeList {
  return defineCodeList({ id: 'codelist-midden-limburg-oost', description: 'Midden-Limburg Oost, Bijlage 5 (2018) + Roermond 01A06', entries: MLO_ENTRIES });
}
