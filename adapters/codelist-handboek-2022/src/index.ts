import { defineCodeList, type CodeList, type CodeListEntry } from '@wmo-toolkit/core';

/**
 * Handboek productcodes (13 September 2022), seed 003: output-based codes, unit "Stuks output",
 * frequency "Totaal binnen geldigheidsduur beschikking". The Wmo codes carry their iWmo category in
 * their first two digits; the Jeugd codes (iJw categories 40–54) are recognised as not-Wmo.
 * [code, sub-segment as the seed writes it ('' where the seed leaves it empty), segment]
 */
const WMO: readonly [string, string, string][] = [
  ['15Z04', 'Beschermd Wonen (inclusief wooncomponent)', 'Wmo Wonen'],
  ['15Z03', 'Beschut wonen (exclusief wooncomponent) Abonnementstarief CAK', 'Wmo Wonen'],
  ['15Z02', 'Beschut Wonen (inclusief abonnementstarief)', 'Wmo Wonen'],
  ['15Z01', 'Beschermd Thuis Abonnementstarief CAK', 'Wmo Wonen'],
  ['02Z01', 'Ondersteuning', 'Wmo Integrale Ondersteuning'],
  ['15Z05', '', 'Wmo Integrale Ondersteuning'],
  ['03Z01', 'Persoonlijke verzorging', 'Wmo Integrale Ondersteuning'],
  ['08Z01', 'Vervoer', 'Wmo Integrale Ondersteuning'],
  ['04A01', 'excl. Daginulling', 'Wmo Logeren'],
  ['04A03', 'inclusief daginulling', 'Wmo Logeren'],
];
const JEUGD: readonly [string, string, string][] = [
  ['43Z03', 'Wonen gericht op zelfstandigheid', 'Gezins- en Woonvormen'],
  ['43Z04', 'Verblijf Groep', 'Gezins- en Woonvormen'],
  ['43Z02', 'Gezinshuizenzorg', 'Gezins- en Woonvormen'],
  ['43Z01', 'Pleegzorg', 'Gezins- en Woonvormen'],
  ['46Z01', 'Ambulante Spoedzorg', 'Integrale Ambulante Jeugdhulp'],
  ['54Z01', 'Behandeling', 'Integrale Ambulante Jeugdhulp'],
  ['54Z02', 'Medicatie Controle', 'Integrale Ambulante Jeugdhulp'],
  ['54Z03', 'Onderwijs Zorg Arrangement', 'Integrale Ambulante Jeugdhulp'],
  ['45Z01', 'Ondersteuning', 'Integrale Ambulante Jeugdhulp'],
  ['40Z01', 'Persoonlijke Verzorging', 'Integrale Ambulante Jeugdhulp'],
  ['42Z01', 'Vervoer', 'Integrale Ambulante Jeugdhulp'],
];

export const HANDBOEK_2022_ENTRIES: readonly CodeListEntry[] = [
  ...WMO.map(([code, description, segment]) => ({ code, category: code.slice(0, 2), isWmo: true, description, unit: 'Stuks output', extra: { segment } })),
  ...JEUGD.map(([code, description, segment]) => ({ code, category: code.slice(0, 2), isWmo: false, description, unit: 'Stuks output', extra: { segment } })),
];

export function handboek2022CodeList(): CodeList {
  return defineCodeList({ id: 'codelist-handboek-2022', description: 'Handboek productcodes 13 September 2022 (output-based)', entries: HANDBOEK_2022_ENTRIES });
}
