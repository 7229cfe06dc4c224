import { existsSync } from 'node:fs';
import { WmoError, type CodeList } from '@wmo-toolkit/core';
import { hoornCodeList } from '@wmo-toolkit/codelist-hoorn';
import { middenLimburgOostCodeList } from '@wmo-toolkit/codelist-midden-limburg-oost';
import { handboek2022CodeList } from '@wmo-toolkit/codelist-handboek-2022';
import { codeListCsv } from '@wmo-toolkit/codelist-csv';

/** The code lists by the names the CLI and the web app accept (`--codelist hoorn`). */
export const CODE_LISTS: Record<string, { make: () => CodeList; description: string }> = {
  hoorn: { make: hoornCodeList, description: 'gemeente Hoorn (Bijlage 4, with CAK codes)' },
  'midden-limburg-oost': { make: middenLimburgOostCodeList, description: 'Midden-Limburg Oost (Bijlage 5, 2018) + Roermond 01A06' },
  'handboek-2022': { make: handboek2022CodeList, description: 'Handboek productcodes 13 September 2022 (output-based)' },
};

/** A code list by name, or a CSV file (`productcode;categorie;omschrijving`). */
export function codeListByNameOrFile(value: string): CodeList {
  const named = CODE_LISTS[value.toLowerCase()];
  if (named) return named.make();
  if (existsSync(value)) return codeListCsv({ file: value });
  throw new WmoError(`--codelist ${value} is neither a known code list (${Object.keys(CODE_LISTS).join(', ')}) nor an existing CSV file.`, { code: 'usage' });
}
