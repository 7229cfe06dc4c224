import {
  ClientKeys,
  Int32Lists,
  grownInt32,
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

const NONE = -1;
/** No birth date (a day number is never this small), and an address period without an end. */
const NO_DAY = -0x7fffffff;
const OPEN = 0x7fffffff;

/**
 * What the register's earlier rows said of each BSN, for the checks of the later rows: the birth
 * date and its line, and the address periods (days and line) in row order. In typed arrays, the
 * BSN as a number (ClientKeys): about 50 bytes a client with one period, where objects took
 * about 280 (65 MB for the 227,272 clients of scale 50) — this is live while a register is read.
 */
class SeenClients {
  private readonly keys = new ClientKeys();
  private birth = new Int32Array(1024);
  private birthLine = new Int32Array(1024);
  /** Per address period: start day, end day (OPEN: none), line. */
  private readonly addresses = new Int32Lists(3);

  /** The client of a BSN; a new one keeps the birth day (NO_DAY: none) and line of its first row. */
  client(bsn: string, birthDay: number, line: number): { client: number; isNew: boolean } {
    const size = this.keys.size;
    const client = this.keys.id(bsn);
    if (client < size) return { client, isNew: false };
    if (client === this.birth.length) {
      this.birth = grownInt32(this.birth);
      this.birthLine = grownInt32(this.birthLine);
    }
    this.setBirth(client, birthDay, line);
    return { client, isNew: true };
  }

  birthDay(client: number): number {
    return this.birth[client]!;
  }

  birthDayLine(client: number): number {
    return this.birthLine[client]!;
  }

  setBirth(client: number, day: number, line: number): void {
    this.birth[client] = day;
    this.birthLine[client] = line;
  }

  /** The line of the client's first address period that overlaps [start, end], or NONE. */
  overlap(client: number, start: number, end: number): number {
    const fields = this.addresses.fields;
    for (let a = this.addresses.first(client); a !== NONE; a = this.addresses.next(a)) if (fields[3 * a]! <= end && start <= fields[3 * a + 1]!) return fields[3 * a + 2]!;
    return NONE;
  }

  addAddress(client: number, start: number, end: number, line: number): void {
    const at = 3 * this.addresses.add(client);
    const fields = this.addresses.fields;
    fields[at] = start;
    fields[at + 1] = end;
    fields[at + 2] = line;
  }
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
  const seen = new SeenClients();
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
      let birthDay = NO_DAY;
      if (birthText === '') warn('missing-birth-date', line, 'geboortedatum is empty');
      else {
        const day = parseIsoDate(birthText);
        if (day === undefined) warn('invalid-date', line, 'geboortedatum is not a date YYYY-MM-DD');
        else {
          birthDate = birthText;
          birthDay = day;
        }
      }

      const { client, isNew } = seen.client(bsn, birthDay, line);
      if (!isNew && birthDate !== null) {
        const known = seen.birthDay(client);
        if (known === NO_DAY) seen.setBirth(client, birthDay, line);
        else if (known !== birthDay) warn('conflicting-birth-date', line, `geboortedatum differs from line ${seen.birthDayLine(client)} for the same BSN`);
      }

      const address = readAddress(fields, columns, location, (kind, text) => warn(kind, line, text));
      if (address) {
        const start = parseIsoDate(address.start)!;
        const end = address.end === null ? OPEN : parseIsoDate(address.end)!;
        const overlap = seen.overlap(client, start, end);
        if (overlap !== NONE) warn('overlapping-addresses', line, `the address period overlaps the one on line ${overlap} for the same BSN`);
        seen.addAddress(client, start, end, line);
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
