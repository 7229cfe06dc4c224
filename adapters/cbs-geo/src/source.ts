import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SPECIFICATION_VERSION,
  WmoError,
  openDelimited,
  warning,
  type AddressResolver,
  type Geography,
  type GeographyItem,
  type Wijk,
} from '@wmo-toolkit/core';

export const ADAPTER_ID = 'cbs-geo';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');
/** The bundled CBS wijkindeling 2024 for 0405 Hoorn, 0441 Schagen, 0957 Roermond, 1641 Maasgouw, 1669 Roerdalen, 1711 Echt-Susteren. */
export const BUNDLED_WIJKEN = path.join(DATA, 'wijken-2024.csv');
export const BUNDLED_WIJKEN_YEAR = 2024;
/** The bundled CBS gemeente list (342 gemeenten, indeling 1 January 2025). */
export const BUNDLED_MUNICIPALITIES = path.join(DATA, 'gemeenten-2025.csv');

export interface CbsGeoOptions {
  /** `gemeentecode;gemeentenaam;wijkcode;wijknaam` (interfaces.md); default: the bundled 2024 list. */
  wijkenFile?: string;
  /** Year of the wijkindeling of `wijkenFile`; otherwise from a `jaar` column or a year in the file name. */
  wijkenYear?: number;
  /** `Gemeentecode;Gemeentenaam[;…]`; default: the bundled 2025 list. */
  municipalitiesFile?: string;
  /** CBS "buurt, wijk en gemeente voor postcode-huisnummer": `PC6;Huisnummer;BuurtYYYY;WijkYYYY;GemeenteYYYY`. */
  addressesFile?: string;
}

/**
 * CBS geography: the gemeenten of the most recent division, the wijken of a wijkindeling (with its
 * year), and, as an optional capability, postcode + house number → wijk from the CBS table.
 */
export function cbsGeography(options: CbsGeoOptions = {}): Geography {
  const geography: Geography = {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'geography',
    description: 'CBS gemeenten, wijken and postcode + house number table',
    read: (readOptions) => readGeography(options, readOptions?.municipality),
  };
  if (options.addressesFile) {
    const file = options.addressesFile;
    geography.addressResolver = (municipality) => loadAddresses(file, municipality);
  }
  return geography;
}

function column(header: string[], ...names: string[]): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

async function* readGeography(options: CbsGeoOptions, municipality: string | undefined): AsyncGenerator<GeographyItem[]> {
  const items: GeographyItem[] = [];
  const municipalitiesFile = options.municipalitiesFile ?? BUNDLED_MUNICIPALITIES;
  const gm = await openDelimited(municipalitiesFile, { adapterId: ADAPTER_ID });
  const codeAt = column(gm.header, 'gemeentecode', 'code');
  const nameAt = column(gm.header, 'gemeentenaam', 'naam');
  if (codeAt < 0 || nameAt < 0) {
    throw new WmoError(`${municipalitiesFile} line 1: the header must name Gemeentecode and Gemeentenaam.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file: municipalitiesFile, line: 1 } });
  }
  for await (const { line, fields } of gm.rows) {
    const code = (fields[codeAt] ?? '').trim().replace(/^GM/i, '').padStart(4, '0');
    const name = (fields[nameAt] ?? '').trim();
    if (!/^\d{4}$/.test(code) || !name) {
      items.push({ type: 'warning', warning: warning('malformed-row', `${municipalitiesFile} line ${line}: not a gemeente code and name; the row is skipped`, { file: municipalitiesFile, line }) });
      continue;
    }
    if (municipality === undefined || code === municipality) items.push({ type: 'municipality', municipality: { code, name } });
  }

  const wijkenFile = options.wijkenFile ?? BUNDLED_WIJKEN;
  const wk = await openDelimited(wijkenFile, { adapterId: ADAPTER_ID });
  const at = {
    municipality: column(wk.header, 'gemeentecode', 'gemcode'),
    municipalityName: column(wk.header, 'gemeentenaam', 'gemnaam'),
    code: column(wk.header, 'wijkcode'),
    name: column(wk.header, 'wijknaam'),
    year: column(wk.header, 'jaar', 'wijkindeling'),
  };
  if (at.municipality < 0 || at.code < 0 || at.name < 0) {
    throw new WmoError(`${wijkenFile} line 1: the header must name gemeentecode;gemeentenaam;wijkcode;wijknaam.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file: wijkenFile, line: 1 } });
  }
  const fileYear = /(?:^|\D)(20\d{2})(?:\D|$)/.exec(path.basename(wijkenFile))?.[1];
  const defaultYear = options.wijkenYear ?? (options.wijkenFile === undefined ? BUNDLED_WIJKEN_YEAR : fileYear ? Number(fileYear) : null);
  const seen = new Map<string, number>();
  for await (const { line, fields } of wk.rows) {
    const get = (i: number) => (i >= 0 ? (fields[i] ?? '').trim() : '');
    const code = get(at.code).toUpperCase();
    const gemeente = get(at.municipality).padStart(4, '0');
    if (!/^WK[0-9A-Z]{6}$/.test(code) || code.slice(2, 6) !== gemeente) {
      items.push({ type: 'warning', warning: warning('malformed-row', `${wijkenFile} line ${line}: wijkcode is not a CBS wijk code of gemeente ${gemeente} (WK + gemeente code + 2 characters); the row is skipped`, { file: wijkenFile, line }) });
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      throw new WmoError(`${wijkenFile} line ${line}: wijk ${code} is listed again (first on line ${earlier}); a wijk list has each wijk once.`, { code: 'input-conflict', adapterId: ADAPTER_ID, location: { file: wijkenFile, line } });
    }
    seen.set(code, line);
    if (municipality !== undefined && gemeente !== municipality) continue;
    const yearText = get(at.year);
    const wijk: Wijk = { municipality: gemeente, municipalityName: get(at.municipalityName) || gemeente, code, name: get(at.name), year: yearText ? Number(yearText) : defaultYear };
    items.push({ type: 'wijk', wijk });
  }
  yield items;
}

/** Normalises a house number to the number the CBS table holds: leading digits only (12A → 12). */
export function houseNumberKey(houseNumber: string): string {
  return /^\s*0*(\d+)/.exec(houseNumber)?.[1] ?? '';
}

/**
 * Loads the rows of one gemeente from the CBS postcode + house number table (about 8 million
 * rows nationally). The table has no quoting, so lines are filtered on their last field before
 * they are split: only the gemeente's own rows are ever parsed or kept.
 */
export async function loadAddresses(file: string, municipality: string): Promise<AddressResolver> {
  const map = new Map<string, string>();
  let header: string[] | undefined;
  let lineNumber = 0;
  let rest = '';
  let wijkAt = -1;
  let gemeenteAt = -1;
  const suffix = `;${municipality}`;
  const handle = (line: string) => {
    lineNumber++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!header) {
      header = line.replace(/^\uFEFF/, '').split(';').map((h) => h.trim());
      wijkAt = header.findIndex((h) => /^Wijk\d{4}$/i.test(h));
      gemeenteAt = header.findIndex((h) => /^Gemeente\d{4}$/i.test(h));
      if (header[0]?.toUpperCase() !== 'PC6' || header[1]?.toLowerCase() !== 'huisnummer' || wijkAt < 0 || gemeenteAt !== header.length - 1) {
        throw new WmoError(`${file} line 1: the header must be PC6;Huisnummer;BuurtYYYY;WijkYYYY;GemeenteYYYY (CBS postcode-huisnummer table).`, {
          code: 'input-invalid',
          adapterId: ADAPTER_ID,
          location: { file, line: 1 },
        });
      }
      return;
    }
    if (!line.endsWith(suffix)) return;
    const fields = line.split(';');
    const wijk = fields[wijkAt]!;
    map.set(`${fields[0]!.toUpperCase()}|${houseNumberKey(fields[1]!)}`, `WK${wijk.toUpperCase()}`);
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
      const text = rest + (chunk as string);
      let start = 0;
      let nl = text.indexOf('\n', start);
      while (nl >= 0) {
        handle(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      rest = text.slice(start);
    }
    if (rest) handle(rest);
  } catch (error) {
    if (WmoError.isInstance(error)) throw error;
    throw new WmoError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error)}).`, {
      code: 'input-unreadable',
      adapterId: ADAPTER_ID,
      location: { file },
      cause: error,
    });
  }
  return ({ postcode, houseNumber }) => {
    if (!postcode || !houseNumber) return undefined;
    return map.get(`${postcode.replace(/\s+/g, '').toUpperCase()}|${houseNumberKey(houseNumber)}`);
  };
}

