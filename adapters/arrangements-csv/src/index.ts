import {
  ARRANGEMENT_TYPES,
  FINANCING_FORMS,
  SPECIFICATION_VERSION,
  WmoError,
  openDelimited,
  parseIsoDate,
  warning,
  type ArrangementItem,
  type ArrangementSource,
  type ArrangementType,
  type FinancingForm,
} from '@wmo-toolkit/core';

export const ADAPTER_ID = 'arrangements-csv';

/** Required columns; `beoogde_begindatum` and `beoogde_einddatum` (intended dates) are optional. */
export const COLUMNS = ['bsn', 'gemeentecode', 'toewijzingnummer', 'type', 'financieringsvorm', 'begindatum', 'einddatum', 'reden_einde'] as const;

/**
 * Arrangements the iWmo messages do not carry — PGB (2) and "anders" (6), or any arrangement a
 * case system holds — as a CSV: `bsn;gemeentecode;toewijzingnummer;type;financieringsvorm;
 * begindatum;einddatum;reden_einde`. Dates YYYY-MM-DD (einddatum empty while it runs on).
 */
export function arrangementsCsv(options: { file: string }): ArrangementSource {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'arrangements',
    description: 'arrangement records from a CSV',
    read: (readOptions) => read(options.file, readOptions.municipality),
  };
}

async function* read(file: string, municipality: string): AsyncGenerator<ArrangementItem[]> {
  const table = await openDelimited(file, { adapterId: ADAPTER_ID });
  const lower = table.header.map((h) => h.toLowerCase());
  const missing = COLUMNS.filter((c) => !lower.includes(c));
  if (missing.length > 0) {
    throw new WmoError(`${file} line 1: the header lacks ${missing.join(', ')}; it must name ${COLUMNS.join(';')}.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file, line: 1 } });
  }
  const items: ArrangementItem[] = [];
  for await (const { line, fields } of table.rows) {
    const get = (name: string) => (lower.indexOf(name) >= 0 ? (fields[lower.indexOf(name)] ?? '').trim() : '');
    const skip = (why: string) => items.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: ${why}; the row is skipped`, { file, line }) });
    const gemeente = get('gemeentecode').padStart(4, '0');
    if (gemeente !== municipality) continue;
    const type = get('type').padStart(2, '0');
    const financing = get('financieringsvorm');
    const [actualStart, actualEnd, intendedStart, intendedEnd] = ['begindatum', 'einddatum', 'beoogde_begindatum', 'beoogde_einddatum'].map((c) => get(c) || null) as [string | null, string | null, string | null, string | null];
    const dates = [actualStart, actualEnd, intendedStart, intendedEnd];
    if (!/^\d{9}$/.test(get('bsn'))) skip('the BSN is not 9 digits');
    else if (!(ARRANGEMENT_TYPES as readonly string[]).includes(type)) skip(`type ${JSON.stringify(get('type'))} is not an arrangement type (01–18, 88)`);
    else if (!(FINANCING_FORMS as readonly string[]).includes(financing)) skip(`financieringsvorm ${JSON.stringify(financing)} is not 2 (PGB), 4 (ZIN) or 6 (anders)`);
    else if (dates.some((d) => d !== null && parseIsoDate(d) === undefined)) skip('a date is not YYYY-MM-DD');
    else if (!actualStart && !intendedStart) skip('there is no begindatum');
    else {
      items.push({
        type: 'arrangement',
        record: {
          municipality: gemeente,
          clientKey: get('bsn'),
          allocationNumber: get('toewijzingnummer') || null,
          type: type as ArrangementType,
          financing: financing as FinancingForm,
          intendedStart: intendedStart ?? actualStart,
          intendedEnd: intendedEnd ?? actualEnd,
          actualStart,
          actualEnd,
          endReason: get('reden_einde') || null,
          source: { file, line },
        },
      });
    }
  }
  yield items;
}
