import {
  SPECIFICATION_VERSION,
  WmoError,
  openDelimited,
  warning,
  type DeclarationItem,
  type DeclarationReadOptions,
  type DeclarationSource,
  type Performance,
} from '@wmo-toolkit/core';
import { ADAPTER_ID } from './id.js';
import { checkMapping, loadMapping, type Mapping, type MappingInput } from './mapping.js';
import { parseAmount, parseDate } from './values.js';

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
    // The row in hand; the helpers are made once per file, not per row (this loop runs for every
    // line of a national export).
    let fields: string[] = [];
    let line = 0;
    let batch: DeclarationItem[] = [];
    const get = (field: Field) => {
      const i = at[field];
      return i >= 0 ? (fields[i] ?? '').trim() : '';
    };
    const invalid = (why: string, amountCents?: number) => {
      const location = { file, line };
      if (mapping.invalidRows === 'error') {
        throw new WmoError(`${file} line ${line}: ${why}.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location });
      }
      batch.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: ${why}; the row is skipped`, location, amountCents === undefined ? undefined : { amountCents }) });
    };
    for await (const rows of table.batches) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      for (const row of rows) {
        fields = row.fields;
        line = row.line;
        if (fields.length !== table.header.length) {
          invalid(`${fields.length} fields instead of the ${table.header.length} of the header`);
          continue;
        }
        const amountText = get('amount');
        const cents = parseAmount(amountText, mapping.amount);
        if (cents === undefined) {
          invalid(`the amount ${JSON.stringify(amountText)} is not an amount in ${mapping.amount.format === 'cents' ? 'cents' : `euros with decimal '${mapping.amount.decimal}'`}`);
          continue;
        }
        let dc: 'D' | 'C';
        if (at.debitCredit >= 0) {
          const value = get('debitCredit').toLowerCase();
          if (credit.has(value)) dc = 'C';
          else if (debit.has(value)) dc = 'D';
          else {
            invalid(`debet/credit ${JSON.stringify(get('debitCredit'))} is none of ${[...mapping.debitCredit.debit, ...mapping.debitCredit.credit].join(', ')}`, cents);
            continue;
          }
        } else dc = cents < 0 ? 'C' : 'D';
        const amountCents = dc === 'C' ? -Math.abs(cents) : Math.abs(cents);
        const start = parseDate(get('periodStart'), mapping.dates);
        const end = parseDate(get('periodEnd'), mapping.dates);
        if (!start || !end) {
          invalid(`the ${!start ? 'begin' : 'end'} date ${JSON.stringify(get(!start ? 'periodStart' : 'periodEnd'))} is not a date in ${mapping.dates.join(' or ')}`, amountCents);
          continue;
        }
        if (end < start) {
          invalid('the period ends before it starts', amountCents);
          continue;
        }
        let clientKey = get('clientKey');
        if (!NINE_DIGITS.test(clientKey)) clientKey = clientKey.replace(/\D/g, '');
        if (clientKey.length === 8) clientKey = `0${clientKey}`; // Excel drops the leading zero
        if (!NINE_DIGITS.test(clientKey)) {
          invalid('the BSN is not 9 digits', amountCents);
          continue;
        }
        const municipalityText = get('municipality') || mapping.defaults.municipality || '';
        const municipality = /^\d{1,4}$/.test(municipalityText) ? municipalityText.padStart(4, '0') : '';
        if (!municipality) {
          invalid(`the gemeente ${JSON.stringify(municipalityText)} is not a CBS code`, amountCents);
          continue;
        }
        const reference = get('reference');
        if (!reference) {
          invalid('the reference is empty', amountCents);
          continue;
        }
        const categoryText = get('category');
        const category = categoryText === '' ? null : /^\d$/.test(categoryText) ? `0${categoryText}` : categoryText;
        const volumeText = get('volume').replace(',', '.');
        const reverses = get('reversesReference');
        const allocation = get('allocationNumber');
        const performance: Performance = {
          municipality,
          provider: get('provider') || mapping.defaults.provider || 'onbekend',
          declarationId: get('declarationId') || mapping.defaults.declarationId || '-',
          reference,
          clientKey,
          category,
          productCode: get('productCode') || null,
          periodStart: start,
          periodEnd: end,
          volume: volumeText && Number.isFinite(Number(volumeText)) ? Number(volumeText) : 0,
          unit: get('unit') || mapping.defaults.unit || '',
          amountCents,
          debitCredit: dc,
          source: { file, line },
        };
        // optional fields set afterwards: a literal with spreads is the slowest part of the row
        if (reverses) performance.reversesReference = reverses;
        if (allocation) performance.allocationNumber = allocation;
        const status = at.status >= 0 ? get('status').toLowerCase() : 'approved-by-export';
        if (dc === 'C' && reverses) creditsSeen.add(`${performance.provider}|${reverses}`);
        if (status === 'approved-by-export' || statuses.approved.has(status)) batch.push({ type: 'performance', performance });
        else if (statuses.rejected.has(status)) batch.push({ type: 'not-approved', reason: 'rejected', performance });
        else if (statuses.pending.has(status)) batch.push(readOptions.countPending ? { type: 'performance', performance } : { type: 'not-approved', reason: 'pending', performance });
        else if (statuses.credited.has(status)) {
          batch.push({ type: 'performance', performance });
          if (dc === 'D') creditedLater.set(`${performance.provider}|${reference}`, performance);
        } else invalid(`status ${JSON.stringify(get('status'))} is none of approved (${mapping.status.approved.join(', ')}), rejected, pending or credited`, amountCents);
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
