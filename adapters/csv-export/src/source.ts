import {
  SPECIFICATION_VERSION,
  WmoError,
  openDelimited,
  warning,
  type RowView,
  type DeclarationItem,
  type DeclarationReadOptions,
  type DeclarationSource,
  type Performance,
} from '@wmo-toolkit/core';
import { ADAPTER_ID } from './id.js';
import { checkMapping, loadMapping, type Mapping, type MappingInput } from './mapping.js';
import { parseAmount, parseDate, plainCents } from './values.js';

export interface CsvExportOptions {
  /** Export files (one or more). */
  paths: readonly string[];
  /** A mapping object, a ready mapping name (`generic`) or a JSON/YAML file. */
  mapping: MappingInput | string;
}

/**
 * Declaration lines exported from a case system, as a declaration source. Every row is one
 * performance; its status column (if mapped) says approved / rejected / pending / credited.
 * Rows with an unusable value are skipped with a warning naming the line (or stop the run, with
 * `invalidRows: 'error'`).
 */
export function csvExportSource(options: CsvExportOptions): DeclarationSource {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'declarations',
    description: 'case-system CSV export of declaration lines',
    read: (readOptions) => readExports(options, readOptions),
  };
}

type Field = keyof Mapping['columns'];
const NINE_DIGITS = /^\d{9}$/;

/** A function of a column's value, computed once per distinct value (at most `limit` kept; never undefined). */
function memo<T extends NonNullable<unknown> | null>(compute: (value: string) => T, limit = 1 << 16): (value: string) => T {
  const known = new Map<string, T>();
  // the value of the row before, checked first: consecutive rows mostly share it
  let lastValue: string | undefined;
  let lastResult = null as T;
  return (value) => {
    if (value === lastValue) return lastResult;
    let result = known.get(value);
    if (result === undefined) {
      result = compute(value);
      if (known.size >= limit) known.clear();
      // V8 makes a slice of 13 characters or more a view into its chunk of the file; a kept key
      // gets characters of its own, so that it does not hold that megabyte in memory
      known.set(value.length < 13 ? value : (value + ' ').slice(0, -1), result);
    }
    lastValue = value;
    lastResult = result;
    return result;
  };
}

async function* readExports(options: CsvExportOptions, readOptions: DeclarationReadOptions): AsyncGenerator<DeclarationItem[]> {
  const mapping = typeof options.mapping === 'string' ? await loadMapping(options.mapping) : checkMapping(options.mapping, '(mapping object)');
  if (!mapping.columns.municipality && !mapping.defaults.municipality) {
    throw new WmoError('The column mapping needs columns.municipality or defaults.municipality: every line must say its gemeente.', { code: 'usage', adapterId: ADAPTER_ID });
  }
  const lower = (list: string[]) => new Set(list.map((v) => v.trim().toLowerCase()));
  const statuses = {
    approved: lower(mapping.status.approved),
    rejected: lower(mapping.status.rejected),
    pending: lower(mapping.status.pending),
    credited: lower(mapping.status.credited),
  };
  const debit = lower(mapping.debitCredit.debit);
  const credit = lower(mapping.debitCredit.credit);
  // Lines with status "credited": reversed in full unless the export holds its credit line.
  const creditedLater = new Map<string, Performance>();
  const creditsSeen = new Set<string>();

  for (const file of options.paths) {
    const table = await openDelimited(file, { adapterId: ADAPTER_ID, ...(mapping.delimiter !== 'auto' ? { delimiter: mapping.delimiter } : {}) });
    const index = new Map(table.header.map((h, i) => [h.toLowerCase(), i]));
    const at = {} as Record<Field, number>;
    for (const [field, column] of Object.entries(mapping.columns) as [Field, string | undefined][]) {
      if (column === undefined) {
        at[field] = -1;
        continue;
      }
      const i = index.get(column.toLowerCase());
      if (i === undefined) {
        throw new WmoError(`${file} line 1: the column ${JSON.stringify(column)} of the mapping (columns.${field}) is not in the header; the header has ${table.header.join(table.delimiter)}.`, {
          code: 'input-invalid',
          adapterId: ADAPTER_ID,
          location: { file, line: 1 },
        });
      }
      at[field] = i;
    }
    // The row in hand, as positions in the chunk's text; the helpers are made once per file, not
    // per row (this loop runs for every line of a national export). A field costs one slice (a
    // plain amount not even that), and what a repeated value means (date, BSN, gemeente, status …)
    // is looked up in a memo, the value of the row before first: no second parse.
    let view: RowView | undefined;
    let text = '';
    let base = 0;
    let line = 0;
    let batch: DeclarationItem[] = [];
    /** The trimmed value of the field in a column (-1: not in the mapping, '' then). */
    const get = (column: number): string => {
      if (column < 0) return '';
      const k = base + column;
      const start = view!.start(k);
      if (start < 0) return view!.field(k).trim(); // a quoted field
      const end = view!.end(k);
      if (start === end) return '';
      const first = text.charCodeAt(start);
      const last = text.charCodeAt(end - 1);
      if (first <= 32 || last <= 32 || first >= 0x80 || last >= 0x80) return text.slice(start, end).trim();
      return text.slice(start, end);
    };
    // the column of each field, as constants for the row loop
    const cAmount = at.amount;
    const cDebitCredit = at.debitCredit;
    const cPeriodStart = at.periodStart;
    const cPeriodEnd = at.periodEnd;
    const cClientKey = at.clientKey;
    const cMunicipality = at.municipality;
    const cReference = at.reference;
    const cReverses = at.reversesReference;
    const cAllocation = at.allocationNumber;
    const cProvider = at.provider;
    const cDeclaration = at.declarationId;
    const cCategory = at.category;
    const cProduct = at.productCode;
    const cVolume = at.volume;
    const cUnit = at.unit;
    const cStatus = at.status;
    const invalid = (why: string, amountCents?: number) => {
      const location = { file, line };
      if (mapping.invalidRows === 'error') {
        throw new WmoError(`${file} line ${line}: ${why}.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location });
      }
      batch.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: ${why}; the row is skipped`, location, amountCents === undefined ? undefined : { amountCents }) });
    };
    /** The amount in cents; the common plain form (digits, at most two decimals) from the characters. */
    const plainAmount = mapping.amount.format === 'euros' ? mapping.amount.decimal.charCodeAt(0) : -1;
    const amount = (): number | undefined => {
      if (plainAmount >= 0 && cAmount >= 0) {
        const k = base + cAmount;
        const cents = plainCents(text, view!.start(k), view!.end(k), plainAmount);
        if (cents >= 0) return cents;
      }
      return parseAmount(get(cAmount), mapping.amount);
    };
    const date = memo((value: string) => parseDate(value, mapping.dates) ?? null);
    const bsn = memo((value: string) => {
      let key = value;
      if (!NINE_DIGITS.test(key)) key = key.replace(/\D/g, '');
      if (key.length === 8) key = `0${key}`; // Excel drops the leading zero
      return NINE_DIGITS.test(key) ? key : null;
    }, 1 << 17);
    const municipalityOf = memo((value: string) => (/^\d{1,4}$/.test(value) ? value.padStart(4, '0') : null));
    const categoryOf = memo((value: string) => (value === '' ? null : /^\d$/.test(value) ? `0${value}` : value));
    const volumeOf = memo((value: string) => {
      const volume = value.replace(',', '.');
      return volume && Number.isFinite(Number(volume)) ? Number(volume) : 0;
    });
    const debitCreditOf = memo((value: string): 'C' | 'D' | null => {
      const lowered = value.toLowerCase();
      return credit.has(lowered) ? 'C' : debit.has(lowered) ? 'D' : null;
    });
    type StatusKind = 'approved' | 'rejected' | 'pending' | 'credited' | 'unknown';
    const statusOf = memo((value: string): StatusKind => {
      const lowered = value.toLowerCase();
      if (statuses.approved.has(lowered)) return 'approved';
      if (statuses.rejected.has(lowered)) return 'rejected';
      if (statuses.pending.has(lowered)) return 'pending';
      if (statuses.credited.has(lowered)) return 'credited';
      return 'unknown';
    });
    for await (const rows of table.views) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      view = rows;
      text = rows.text;
      for (let r = rows.firstRow; r < rows.count; r++) {
        base = rows.first(r);
        line = rows.line(r);
        const fieldCount = rows.fieldCount(r);
        if (fieldCount !== table.header.length) {
          invalid(`${fieldCount} fields instead of the ${table.header.length} of the header`);
          continue;
        }
        const cents = amount();
        if (cents === undefined) {
          invalid(`the amount ${JSON.stringify(get(cAmount))} is not an amount in ${mapping.amount.format === 'cents' ? 'cents' : `euros with decimal '${mapping.amount.decimal}'`}`);
          continue;
        }
        let dc: 'D' | 'C';
        if (cDebitCredit >= 0) {
          const value = debitCreditOf(get(cDebitCredit));
          if (value === null) {
            invalid(`debet/credit ${JSON.stringify(get(cDebitCredit))} is none of ${[...mapping.debitCredit.debit, ...mapping.debitCredit.credit].join(', ')}`, cents);
            continue;
          }
          dc = value;
        } else dc = cents < 0 ? 'C' : 'D';
        const amountCents = dc === 'C' ? -Math.abs(cents) : Math.abs(cents);
        const start = date(get(cPeriodStart));
        const end = date(get(cPeriodEnd));
        if (!start || !end) {
          invalid(`the ${!start ? 'begin' : 'end'} date ${JSON.stringify(get(!start ? cPeriodStart : cPeriodEnd))} is not a date in ${mapping.dates.join(' or ')}`, amountCents);
          continue;
        }
        if (end < start) {
          invalid('the period ends before it starts', amountCents);
          continue;
        }
        const clientKey = bsn(get(cClientKey));
        if (clientKey === null) {
          invalid('the BSN is not 9 digits', amountCents);
          continue;
        }
        const municipalityText = get(cMunicipality) || mapping.defaults.municipality || '';
        const municipality = municipalityOf(municipalityText);
        if (municipality === null) {
          invalid(`the gemeente ${JSON.stringify(municipalityText)} is not a CBS code`, amountCents);
          continue;
        }
        const reference = get(cReference);
        if (!reference) {
          invalid('the reference is empty', amountCents);
          continue;
        }
        const reverses = get(cReverses);
        const allocation = get(cAllocation);
        const performance: Performance = {
          municipality,
          provider: get(cProvider) || mapping.defaults.provider || 'onbekend',
          declarationId: get(cDeclaration) || mapping.defaults.declarationId || '-',
          reference,
          clientKey,
          category: categoryOf(get(cCategory)),
          productCode: get(cProduct) || null,
          periodStart: start,
          periodEnd: end,
          volume: volumeOf(get(cVolume)),
          unit: get(cUnit) || mapping.defaults.unit || '',
          amountCents,
          debitCredit: dc,
          source: { file, line },
        };
        // optional fields set afterwards: a literal with spreads is the slowest part of the row
        if (reverses) performance.reversesReference = reverses;
        if (allocation) performance.allocationNumber = allocation;
        const status = cStatus >= 0 ? statusOf(get(cStatus)) : 'approved';
        if (dc === 'C' && reverses) creditsSeen.add(`${performance.provider}|${reverses}`);
        if (status === 'approved') batch.push({ type: 'performance', performance });
        else if (status === 'rejected') batch.push({ type: 'not-approved', reason: 'rejected', performance });
        else if (status === 'pending') batch.push(readOptions.countPending ? { type: 'performance', performance } : { type: 'not-approved', reason: 'pending', performance });
        else if (status === 'credited') {
          batch.push({ type: 'performance', performance });
          if (dc === 'D') creditedLater.set(`${performance.provider}|${reference}`, performance);
        } else invalid(`status ${JSON.stringify(get(cStatus))} is none of approved (${mapping.status.approved.join(', ')}), rejected, pending or credited`, amountCents);
      }
    }
    if (batch.length > 0) yield batch;
  }
  // A line marked credited whose credit line is not in the export: reversed here, in full.
  const reversals: DeclarationItem[] = [];
  for (const [key, p] of creditedLater) {
    if (creditsSeen.has(key)) continue;
    reversals.push({
      type: 'performance',
      performance: { ...p, reference: `${p.reference}~credit`, reversesReference: p.reference, amountCents: -p.amountCents, debitCredit: 'C' },
    });
  }
  if (reversals.length > 0) yield reversals;
}
