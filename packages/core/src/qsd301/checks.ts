import { parse } from 'csv-parse/sync';
import { GZS_CATEGORIES, GZS_ROW_ORDER, type GzsRowCategory } from '../categories.js';
import { DIALECTS, EXAMPLE_DIALECT, type Qsd301Dialect } from './dialect.js';
import { FIELD_MAX_LENGTH } from './row.js';

/**
 * Reads a QSD301 file — ours or anyone's — and finds every violation of domain.md §3 and seed 000
 * §4.4/§5.1: encoding, line endings, separator, header, field formats and lengths, code lists,
 * completeness of the grid, and the sums. Every finding carries the 1-based line number.
 */
export type CheckId =
  | 'ascii'
  | 'line-ending'
  | 'separator'
  | 'header'
  | 'field-count'
  | 'field-format'
  | 'field-length'
  | 'code-list'
  | 'consistency'
  | 'duplicate-row'
  | 'completeness'
  | 'category-sum'
  | 'client-count'
  | 'total-clients';

export interface Qsd301Finding {
  check: CheckId;
  line?: number;
  message: string;
}

export interface CheckOptions {
  /** Wijk codes the file must cover (all wijken of the gemeente); unknown codes are findings too. */
  expectedWijkCodes?: readonly string[];
  /** Force a dialect instead of recognising it by the header. */
  dialect?: Qsd301Dialect;
}

export interface Qsd301CheckOutcome {
  dialect: Qsd301Dialect;
  rows: number;
  findings: Qsd301Finding[];
}

export const CHECK_DESCRIPTIONS: Record<CheckId, string> = {
  ascii: 'the file is ASCII',
  'line-ending': 'every line ends in CR LF',
  separator: 'fields are separated by ;',
  header: 'the header line names the nine columns',
  'field-count': 'every line has nine fields',
  'field-format': 'every field has the format of seed 000 table 4.1',
  'field-length': 'no field is longer than seed 000 table 4.1 allows',
  'code-list': 'age classes and categories come from their code lists',
  consistency: 'one year, gemeente and name per file; wijk codes belong to the gemeente',
  'duplicate-row': 'no row occurs twice',
  completeness: 'every wijk and the gemeente total have 3 age classes × 7 categories',
  'category-sum': 'per wijk × age class the category amounts add up to Wmo_tot',
  'client-count': 'per wijk × age class no category has more clients than Wmo_tot, and Wmo_tot no more than the categories together',
  'total-clients': 'the gemeente total rows hold at least as many clients as the wijk rows together',
};

interface ParsedRow {
  line: number;
  wijkCode: string | null;
  wijkName: string;
  ageClass: number;
  category: GzsRowCategory;
  clients: number;
  euros: number;
}

const WIJK_CODE = /^WK[0-9A-Za-z]{6}$/;
const CLIENTS = /^(0|[1-9][0-9]*)$/;
const EUROS = /^(0|-?[1-9][0-9]*)$/;

export function checkQsd301(input: string | Uint8Array, options: CheckOptions = {}): Qsd301CheckOutcome {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  const findings: Qsd301Finding[] = [];
  const add = (check: CheckId, message: string, line?: number) => findings.push(line === undefined ? { check, message } : { check, line, message });

  // Raw byte checks: encoding and line endings, line by line.
  let line = 1;
  let lineStart = 0;
  let nonAsciiReported = -1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      if (i === 0 || bytes[i - 1] !== 0x0d) add('line-ending', `line ${line} ends in LF without CR`, line);
      line++;
      lineStart = i + 1;
    } else if (b === 0x0d && bytes[i + 1] !== 0x0a) {
      add('line-ending', `line ${line} has a CR that is not followed by LF`, line);
    } else if ((b >= 0x80 || (b < 0x20 && b !== 0x0d && b !== 0x09)) && nonAsciiReported !== line) {
      add('ascii', `line ${line} has a byte that is not printable ASCII (0x${b.toString(16).padStart(2, '0')}) at column ${i - lineStart + 1}`, line);
      nonAsciiReported = line;
    }
  }
  if (bytes.length > 0 && lineStart < bytes.length) add('line-ending', `line ${line}, the last line, does not end in CR LF`, line);
  if (bytes.length === 0) {
    add('header', 'the file is empty: it needs a header line and the data rows', 1);
    return { dialect: options.dialect ?? EXAMPLE_DIALECT, rows: 0, findings };
  }

  const text = bytes.toString('latin1');
  const records = parse(text, {
    delimiter: ';',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];

  // Empty trailing records (a file ending in an empty line) are findings, not rows.
  const header = records[0]?.record ?? [];
  let dialect = options.dialect;
  if (!dialect) {
    dialect = Object.values(DIALECTS).find((d) => sameFields(d.header, header)) ?? EXAMPLE_DIALECT;
  }
  if (header.length === 1 && /[,\t|]/.test(header[0] ?? '')) {
    const found = /,/.test(header[0]!) ? ',' : /\t/.test(header[0]!) ? 'tab' : '|';
    add('separator', `line 1: fields are separated by '${found}' instead of ';'`, 1);
  } else if (!sameFields(dialect.header, header)) {
    add('header', `line 1: the header must be ${dialect.header.join(';')}`, 1);
  }

  const categoryByName = new Map<string, GzsRowCategory>();
  for (const cat of GZS_ROW_ORDER) categoryByName.set(dialect.categoryNames[cat], cat);

  const rows: ParsedRow[] = [];
  let year: string | undefined;
  let gemcode: string | undefined;
  let gemnaam: string | undefined;
  const wijkNames = new Map<string, string>();
  const seen = new Map<string, number>();

  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const ln = info.lines;
    if (record.length === 1 && record[0] === '') {
      add('field-count', `line ${ln} is empty`, ln);
      continue;
    }
    if (record.length !== 9) {
      if (record.length === 1 && /[,\t]/.test(record[0]!)) add('separator', `line ${ln}: fields are separated by '${record[0]!.includes(',') ? ',' : 'tab'}' instead of ';'`, ln);
      else add('field-count', `line ${ln} has ${record.length} fields instead of 9`, ln);
      continue;
    }
    const [jaar, code, naam, wijkcode, wijknaam, lft, prodcat, aantal, uitgaven] = record as [string, string, string, string, string, string, string, string, string];
    let ok = true;
    const fmt = (check: CheckId, message: string) => {
      add(check, `line ${ln}: ${message}`, ln);
      // A value that is too long is still read for the sums and the grid; a malformed one is not.
      if (check !== 'field-length') ok = false;
    };
    if (!/^\d{4}$/.test(jaar)) fmt('field-format', `Jaar ${JSON.stringify(jaar)} is not a 4-digit year`);
    if (!/^\d{4}$/.test(code)) fmt('field-format', `Gemcode ${JSON.stringify(code)} is not a 4-digit CBS gemeente code`);
    if (naam.length === 0) fmt('field-format', 'Gemnaam is empty');
    if (naam.length > FIELD_MAX_LENGTH.Gemnaam) fmt('field-length', `Gemnaam is ${naam.length} characters, at most ${FIELD_MAX_LENGTH.Gemnaam} are allowed`);
    const isTotal = wijkcode === dialect.totalWijkCode;
    if (!isTotal && !WIJK_CODE.test(wijkcode)) fmt('field-format', `Wijkcode ${JSON.stringify(wijkcode)} is neither a CBS wijk code (WK + 6 characters) nor ${dialect.totalWijkCode}`);
    if (wijkcode.length > FIELD_MAX_LENGTH.Wijkcode) fmt('field-length', `Wijkcode is longer than ${FIELD_MAX_LENGTH.Wijkcode} characters`);
    if (isTotal !== (wijknaam === dialect.totalWijkName)) {
      fmt('field-format', isTotal ? `Wijknaam must be ${dialect.totalWijkName} where Wijkcode is ${dialect.totalWijkCode}` : `Wijknaam ${dialect.totalWijkName} needs Wijkcode ${dialect.totalWijkCode}`);
    }
    if (wijknaam.length === 0) fmt('field-format', 'Wijknaam is empty');
    if (wijknaam.length > FIELD_MAX_LENGTH.Wijknaam) fmt('field-length', `Wijknaam is ${wijknaam.length} characters, at most ${FIELD_MAX_LENGTH.Wijknaam} are allowed`);
    if (!/^[123]$/.test(lft)) fmt('code-list', `Lftijdskl ${JSON.stringify(lft)} is not 1, 2 or 3`);
    const category = categoryByName.get(prodcat);
    if (!category) fmt('code-list', `Prodcat_GZS ${JSON.stringify(prodcat)} is not one of ${GZS_ROW_ORDER.map((c) => dialect.categoryNames[c]).join(', ')}`);
    if (!CLIENTS.test(aantal)) fmt('field-format', `Aantal_clienten ${JSON.stringify(aantal)} is not a whole number without leading zeros or separators`);
    else if (aantal.length > FIELD_MAX_LENGTH.Aantal_clienten) fmt('field-length', `Aantal_clienten has more than ${FIELD_MAX_LENGTH.Aantal_clienten} digits`);
    if (!EUROS.test(uitgaven)) fmt('field-format', `${dialect.header[8]} ${JSON.stringify(uitgaven)} is not whole euros without euro sign, separators or leading zeros`);
    else if (uitgaven.length > FIELD_MAX_LENGTH.Uitgaven) fmt('field-length', `${dialect.header[8]} has more than ${FIELD_MAX_LENGTH.Uitgaven} characters`);

    // One year, gemeente and name per file; a wijk code belongs to the gemeente (WK + gggg + ww).
    if (year === undefined) {
      year = jaar;
      gemcode = code;
      gemnaam = naam;
    } else {
      if (jaar !== year) add('consistency', `line ${ln}: Jaar ${jaar} differs from ${year} on the first row`, ln);
      if (code !== gemcode) add('consistency', `line ${ln}: Gemcode ${code} differs from ${gemcode} on the first row`, ln);
      else if (naam !== gemnaam) add('consistency', `line ${ln}: Gemnaam ${JSON.stringify(naam)} differs from ${JSON.stringify(gemnaam)} on the first row`, ln);
    }
    if (!isTotal && WIJK_CODE.test(wijkcode)) {
      if (wijkcode.slice(2, 6) !== code) add('consistency', `line ${ln}: wijk ${wijkcode} does not belong to gemeente ${code}`, ln);
      const knownName = wijkNames.get(wijkcode);
      if (knownName === undefined) wijkNames.set(wijkcode, wijknaam);
      else if (knownName !== wijknaam) add('consistency', `line ${ln}: wijk ${wijkcode} is called ${JSON.stringify(wijknaam)} here and ${JSON.stringify(knownName)} before`, ln);
    }
    if (!ok || !category) continue;

    const key = `${isTotal ? '' : wijkcode}|${lft}|${category}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      add('duplicate-row', `line ${ln} repeats wijk ${isTotal ? dialect.totalWijkCode : wijkcode}, age class ${lft}, ${prodcat} of line ${earlier}`, ln);
      continue;
    }
    seen.set(key, ln);
    rows.push({ line: ln, wijkCode: isTotal ? null : wijkcode, wijkName: wijknaam, ageClass: Number(lft), category, clients: Number(aantal), euros: Number(uitgaven) });
  }

  checkGrid(rows, dialect, options, add);
  return { dialect, rows: records.length - 1, findings };
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function checkGrid(rows: ParsedRow[], dialect: Qsd301Dialect, options: CheckOptions, add: (check: CheckId, message: string, line?: number) => void): void {
  // group: wijk ('' = total) → age → category → row
  const groups = new Map<string, Map<number, Map<GzsRowCategory, ParsedRow>>>();
  for (const row of rows) {
    const wijk = row.wijkCode ?? '';
    let ages = groups.get(wijk);
    if (!ages) groups.set(wijk, (ages = new Map()));
    let cats = ages.get(row.ageClass);
    if (!cats) ages.set(row.ageClass, (cats = new Map()));
    cats.set(row.category, row);
  }
  if (rows.length === 0) {
    add('completeness', 'the file has no data rows');
    return;
  }
  if (!groups.has('')) add('completeness', `the gemeente total rows (Wijkcode ${dialect.totalWijkCode}) are missing`);
  if (options.expectedWijkCodes) {
    const expected = new Set(options.expectedWijkCodes);
    for (const code of expected) if (!groups.has(code)) add('completeness', `wijk ${code} of the gemeente is missing from the file`);
    for (const [code, ages] of groups) {
      if (code !== '' && !expected.has(code)) {
        const first = Math.min(...[...ages.values()].flatMap((c) => [...c.values()].map((r) => r.line)));
        add('completeness', `line ${first}: wijk ${code} is not a wijk of the gemeente in the wijk list`, first);
      }
    }
  }
  for (const [wijk, ages] of groups) {
    const label = wijk === '' ? 'the gemeente total' : `wijk ${wijk}`;
    for (const age of [1, 2, 3]) {
      const cats = ages.get(age);
      const missing = GZS_ROW_ORDER.filter((c) => !cats?.has(c));
      if (missing.length > 0) {
        add('completeness', `${label}, age class ${age} lacks ${missing.map((c) => dialect.categoryNames[c]).join(', ')}`);
      }
      if (!cats) continue;
      const tot = cats.get('Wmo_tot');
      if (!tot) continue;
      let euros = 0;
      let clients = 0;
      // A missing category row counts as zero here; completeness reports it on its own.
      for (const cat of GZS_CATEGORIES) {
        const row = cats.get(cat);
        if (!row) continue;
        euros += row.euros;
        clients += row.clients;
        if (row.clients > tot.clients) {
          add('client-count', `line ${row.line}: ${dialect.categoryNames[cat]} has ${row.clients} clients, more than the ${tot.clients} of Wmo_tot on line ${tot.line}`, row.line);
        }
      }
      if (euros !== tot.euros) {
        add('category-sum', `line ${tot.line}: the categories of ${label}, age class ${age} add up to ${euros} euro, not to the ${tot.euros} of Wmo_tot`, tot.line);
      }
      if (tot.clients > clients) {
        add('client-count', `line ${tot.line}: Wmo_tot of ${label}, age class ${age} has ${tot.clients} clients, more than the ${clients} of its categories together`, tot.line);
      }
    }
  }
  const totals = groups.get('');
  if (!totals) return;
  for (const age of [1, 2, 3]) {
    for (const cat of GZS_ROW_ORDER) {
      const total = totals.get(age)?.get(cat);
      if (!total) continue;
      let sum = 0;
      for (const [wijk, ages] of groups) if (wijk !== '') sum += ages.get(age)?.get(cat)?.clients ?? 0;
      if (total.clients < sum) {
        add('total-clients', `line ${total.line}: the gemeente total of age class ${age}, ${dialect.categoryNames[cat]} has ${total.clients} clients, fewer than the ${sum} of the wijken together`, total.line);
      }
    }
  }
}
