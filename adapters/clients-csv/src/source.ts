import {
  SPECIFICATION_VERSION,
  WmoError,
  isValidBsn,
  openDelimited,
  parseIsoDate,
  warning,
  type AddressPeriod,
  type ClientItem,
  type ClientRegister,
  type SourceLocation,
} from '@wmo-toolkit/core';

export const ADAPTER_ID = 'clients-csv';

/** The columns of interfaces.md; other columns (names, remarks…) are ignored. */
export const COLUMNS = ['bsn', 'geboortedatum', 'adres_begindatum', 'adres_einddatum', 'gemeentecode', 'wijkcode', 'postcode', 'huisnummer'] as const;

export interface ClientsCsvOptions {
  file: string;
}

/**
 * The client register as CSV (interfaces.md, "clients.csv"): one row per address period of a
 * client. Tolerates UTF-8 with or without BOM and Windows-1252, `;` or `,`, CR LF or LF, empty
 * lines. Every doubtful row is a warning naming its line — never the BSN, name or birth date.
 */
export function clientsCsv(options: ClientsCsvOptions): ClientRegister {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'clients',
    description: 'client register (BRP extract) as CSV',
    read: () => readRegister(options.file),
  };
}

interface Seen {
  birthDate: string | null;
  birthLine: number;
  addresses: { start: number; end: number; line: number }[];
}

async function* readRegister(file: string): AsyncGenerator<ClientItem[]> {
  const table = await openDelimited(file, { adapterId: ADAPTER_ID });
  const index = new Map<string, number>();
  table.header.forEach((name, i) => index.set(name.toLowerCase(), i));
  const missing = COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new WmoError(`${file} line 1: the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it must name ${COLUMNS.join(';')}.`, {
      code: 'input-invalid',
      adapterId: ADAPTER_ID,
      location: { file, line: 1 },
    });
  }
  // the column of each name, found once (this runs for every row of a national register)
  const columns: Columns = {
    bsn: index.get('bsn')!,
    birthDate: index.get('geboortedatum')!,
    start: index.get('adres_begindatum')!,
    end: index.get('adres_einddatum')!,
    municipality: index.get('gemeentecode')!,
    wijkCode: index.get('wijkcode')!,
    postcode: index.get('postcode')!,
    houseNumber: index.get('huisnummer')!,
  };
  const seen = new Map<string, Seen>();
  let batch: ClientItem[] = [];
  const warn = (kind: string, line: number, text: string) => batch.push({ type: 'warning', warning: warning(kind, `${file} line ${line}: ${text}`, { file, line }) });

  for await (const rows of table.batches) {
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    for (const { line, fields } of rows) {
      if (fields.length !== table.header.length) {
        warn('malformed-row', line, `${fields.length} fields instead of the ${table.header.length} of the header; the row is skipped`);
        continue;
      }
      const bsn = (fields[columns.bsn] ?? '').trim();
      if (!/^\d{9}$/.test(bsn)) {
        warn('invalid-bsn', line, 'the BSN is not 9 digits; the row is skipped');
        continue;
      }
      if (!isValidBsn(bsn)) warn('invalid-bsn', line, 'the BSN fails the 11-proef; check it against the BRP');
      const location: SourceLocation = { file, line };

      const birthText = (fields[columns.birthDate] ?? '').trim();
      let birthDate: string | null = null;
      if (birthText === '') warn('missing-birth-date', line, 'geboortedatum is empty');
      else if (parseIsoDate(birthText) === undefined) warn('invalid-date', line, 'geboortedatum is not a date YYYY-MM-DD');
      else birthDate = birthText;

      let known = seen.get(bsn);
      if (!known) {
        known = { birthDate, birthLine: line, addresses: [] };
        seen.set(bsn, known);
      } else if (birthDate !== null && known.birthDate !== null && birthDate !== known.birthDate) {
        warn('conflicting-birth-date', line, `geboortedatum differs from line ${known.birthLine} for the same BSN`);
      } else if (known.birthDate === null && birthDate !== null) {
        known.birthDate = birthDate;
        known.birthLine = line;
      }

      const address = readAddress(fields, columns, location, (kind, text) => warn(kind, line, text));
      if (address) {
        const start = parseIsoDate(address.start)!;
        const end = address.end === null ? Infinity : parseIsoDate(address.end)!;
        const overlap = known.addresses.find((a) => a.start <= end && start <= a.end);
        if (overlap) warn('overlapping-addresses', line, `the address period overlaps the one on line ${overlap.line} for the same BSN`);
        known.addresses.push({ start, end, line });
      }
      batch.push({ type: 'client', client: { clientKey: bsn, birthDate, addresses: address ? [address] : [], source: location } });
    }
  }
  if (batch.length > 0) yield batch;
}

interface Columns {
  bsn: number;
  birthDate: number;
  start: number;
  end: number;
  municipality: number;
  wijkCode: number;
  postcode: number;
  houseNumber: number;
}

function readAddress(fields: string[], columns: Columns, source: SourceLocation, warn: (kind: string, text: string) => void): AddressPeriod | undefined {
  const col = (column: number) => (fields[column] ?? '').trim();
  const start = col(columns.start);
  const end = col(columns.end);
  const municipality = col(columns.municipality);
  const wijkCode = col(columns.wijkCode).toUpperCase();
  const postcode = col(columns.postcode).replace(/\s+/g, '').toUpperCase();
  const houseNumber = col(columns.houseNumber);
  if (start === '' && end === '' && municipality === '' && wijkCode === '' && postcode === '') return undefined;
  if (parseIsoDate(start) === undefined) {
    warn('invalid-date', 'adres_begindatum is not a date YYYY-MM-DD; the address is skipped');
    return undefined;
  }
  if (end !== '' && parseIsoDate(end) === undefined) {
    warn('invalid-date', 'adres_einddatum is not a date YYYY-MM-DD; the address is skipped');
    return undefined;
  }
  if (end !== '' && end < start) {
    warn('address-end-before-start', 'adres_einddatum lies before adres_begindatum; the address is skipped');
    return undefined;
  }
  const code = /^\d{1,4}$/.test(municipality) ? municipality.padStart(4, '0') : undefined;
  if (!code) {
    warn('invalid-municipality', 'gemeentecode is not a CBS gemeente code of 4 digits; the address is skipped');
    return undefined;
  }
  if (wijkCode !== '' && !/^WK[0-9A-Z]{6}$/.test(wijkCode)) {
    warn('unknown-wijk', 'wijkcode is not a CBS wijk code (WK + 6 characters); the address is kept without wijk');
    return { start, end: end || null, municipality: code, wijkCode: null, postcode: postcode || null, houseNumber: houseNumber || null, source };
  }
  if (wijkCode === '' && (postcode === '' || houseNumber === '') && code !== '') {
    warn('unresolved-address', 'neither wijkcode nor postcode + huisnummer is filled; the client cannot be placed in a wijk from this address');
  }
  return { start, end: end || null, municipality: code, wijkCode: wijkCode || null, postcode: postcode || null, houseNumber: houseNumber || null, source };
}
