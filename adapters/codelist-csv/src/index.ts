import {
  SPECIFICATION_VERSION,
  WmoError,
  isIwmoCategory,
  isJeugdwetCategory,
  openDelimited,
  warning,
  type CodeList,
  type CodeListItem,
} from '@wmo-toolkit/core';

export const ADAPTER_ID = 'codelist-csv';

export interface CodeListCsvOptions {
  file: string;
}

/**
 * A region's own product code list as CSV, so that a region without a package can still deliver:
 * `productcode;categorie;omschrijving` at least, optionally `eenheid` and `wmo` (ja/nee). The
 * category is the iWmo category (01–18) or a Jeugdwet category (40–54, not Wmo); `wmo=nee` marks
 * any code as not Wmo. Same tolerance as every CSV input (encoding, `;` or `,`).
 */
export function codeListCsv(options: CodeListCsvOptions): CodeList {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'codelist',
    description: `product code list ${options.file}`,
    read: () => readList(options.file),
  };
}

async function* readList(file: string): AsyncGenerator<CodeListItem[]> {
  const table = await openDelimited(file, { adapterId: ADAPTER_ID });
  const lower = table.header.map((h) => h.toLowerCase());
  const at = { code: lower.indexOf('productcode'), category: lower.indexOf('categorie'), description: lower.indexOf('omschrijving'), unit: lower.indexOf('eenheid'), wmo: lower.indexOf('wmo') };
  if (at.code < 0 || at.category < 0 || at.description < 0) {
    throw new WmoError(`${file} line 1: the header must name productcode;categorie;omschrijving (eenheid and wmo are optional).`, {
      code: 'input-invalid',
      adapterId: ADAPTER_ID,
      location: { file, line: 1 },
    });
  }
  const items: CodeListItem[] = [];
  const seen = new Map<string, number>();
  for await (const { line, fields } of table.rows) {
    const get = (i: number) => (i >= 0 ? (fields[i] ?? '').trim() : '');
    const code = get(at.code).toUpperCase();
    const rawCategory = get(at.category);
    const category = /^\d$/.test(rawCategory) ? `0${rawCategory}` : rawCategory;
    if (!/^[0-9A-Z]{1,5}$/.test(code)) {
      items.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: productcode is not 1–5 letters or digits; the row is skipped`, { file, line }) });
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      throw new WmoError(`${file} line ${line}: product code ${code} is listed again (first on line ${earlier}).`, { code: 'input-conflict', adapterId: ADAPTER_ID, location: { file, line } });
    }
    seen.set(code, line);
    const wmoFlag = get(at.wmo).toLowerCase();
    const jeugd = isJeugdwetCategory(category);
    if (category !== '' && !isIwmoCategory(category) && !jeugd) {
      items.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: categorie ${JSON.stringify(rawCategory)} is no iWmo (01–18) or Jeugdwet (40–54) category; the code counts as ONBEKEND`, { file, line }) });
    }
    items.push({
      type: 'entry',
      entry: {
        code,
        category: isIwmoCategory(category) || jeugd ? category : null,
        isWmo: !jeugd && !['nee', 'n', 'no', 'false', '0'].includes(wmoFlag),
        description: get(at.description),
        ...(get(at.unit) ? { unit: get(at.unit) } : {}),
      },
    });
  }
  yield items;
}
