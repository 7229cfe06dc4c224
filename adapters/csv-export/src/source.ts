import { stat } from 'node:fs/promises';
import {
  SPECIFICATION_VERSION,
  defaultWorkerCount,
  orderedWorkerReplies,
  startedAtOnce,
  type DelimitedFile,
  fileChunks,
  type TextEncoding,
  WmoError,
  PerformanceColumnsBuilder,
  columnsToItems,
  dayNumber,
  openDelimited,
  performanceAt,
  referenceAt,
  warning,
  type PerformanceColumns,
  type RowView,
  type DeclarationItem,
  type DeclarationReadOptions,
  type DeclarationSource,
} from '@wmo-toolkit/core';
import { ADAPTER_ID } from './id.js';
import { checkMapping, loadMapping, type Mapping, type MappingInput } from './mapping.js';
import { parseAmount, parseDate, plainCents } from './values.js';

export interface CsvExportOptions {
  /** Export files (one or more). */
  paths: readonly string[];
  /** A mapping object, a ready mapping name (`generic`) or a JSON/YAML file. */
  mapping: MappingInput | string;
  /**
   * Worker threads for a big export: `auto` (the default) uses one on a machine with two or more
   * cores for a file of 48 MB or more, a number that many (0: none). The lines, their order and
   * every warning and error are the same either way.
   */
  workers?: number | 'auto';
  /** Bytes of the file per part a worker reads (default 8 MB; smaller in tests). */
  partBytes?: number;
}

/**
 * Below this size the workers save no time on two cores, and they cost 80-95 MB. Measured with
 * deliver after optimisation 32 (docs/performance.md): at 33 MB 1.42-1.52 s in one thread and
 * 1.58-1.61 s with two workers, at 66 MB 2.45-2.48 s and 2.19-2.30 s: even at about 46 MB.
 */
const PARALLEL_MIN_BYTES = 48 << 20;
/**
 * Workers by default: one since optimisation 39. The main thread's engine is busy 70-90 % of a run
 * with two, so three threads shared two cores; deliver at scale 10 (66 MB) took 2.03-2.06 s with
 * one worker, 2.08-2.21 s with two (and 2.13-2.15 s with none), at scale 50 7.87-7.97 against
 * 7.28-7.48 s, for 280-303 MB instead of 334-358 MB.
 */
const AUTO_WORKERS = 1;
const PART_BYTES = 8 << 20;
const fromSource = import.meta.url.endsWith('.ts');

/** One part of an export for a worker thread (export-worker.ts). */
export interface ExportPartJob {
  file: string;
  part: { encoding: TextEncoding; delimiter: string; start: number; end: number; firstLine: number; adapterId: string };
  fieldCount: number;
  at: Record<Field, number>;
  mapping: Mapping;
  countPending: boolean;
}

/** What a worker sends when its part is read: the CreditState of the part (its credited lines as one batch of columns). */
export interface PartEnd {
  creditedLater: [string, number][];
  credited: PerformanceColumns;
  creditsSeen: string[];
}

/**
 * Where to cut a big export into parts for the workers: after a line end near every `partBytes`,
 * with the line number each part starts at (from counting the line ends before it). Undefined —
 * read in one thread — when a cut could fall inside a row: a file with a quote character (a quoted
 * field may hold a line break) or with a bare CR line end (the line count would be wrong).
 */
export async function planParts(file: string, size: number, partBytes: number): Promise<{ start: number; end: number; firstLine: number }[] | undefined> {
  if (size < 2 * partBytes) return undefined;
  const starts: { start: number; firstLine: number }[] = [{ start: 0, firstLine: 1 }];
  let offset = 0;
  let lineEnds = 0;
  let crBefore = false; // the chunk before ended in CR
  let nextCut = partBytes;
  for await (const chunk of fileChunks(file, 1 << 20)) {
    if (chunk.includes(0x22)) return undefined;
    if (crBefore && chunk[0] !== 0x0a) return undefined;
    for (let i = chunk.indexOf(0x0d); i >= 0; i = chunk.indexOf(0x0d, i + 1)) if (i + 1 < chunk.length && chunk[i + 1] !== 0x0a) return undefined;
    crBefore = chunk[chunk.length - 1] === 0x0d;
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
      lineEnds++;
      const start = offset + i + 1;
      if (start >= nextCut && start < size) {
        starts.push({ start, firstLine: lineEnds + 1 });
        nextCut = start + partBytes;
      }
    }
    offset += chunk.length;
  }
  if (crBefore) return undefined;
  return starts.map((s, k) => ({ ...s, end: k + 1 < starts.length ? starts[k + 1]!.start : size }));
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
    read: (readOptions) => readItems(options, readOptions),
    readColumns: (readOptions) => readExports(options, readOptions),
  };
}

/** The lines as items (the contract's `read`): the columns, line by line. */
async function* readItems(options: CsvExportOptions, readOptions: DeclarationReadOptions): AsyncGenerator<DeclarationItem[]> {
  for await (const columns of readExports(options, readOptions)) yield columnsToItems(columns);
}

export type Field = keyof Mapping['columns'];
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

/** What the rows of one file or part leave for the end: the credited debits and the credits seen. */
export interface CreditState {
  /**
   * Lines with status "credited": reversed in full unless the export holds their credit line. By
   * provider|reference, where the line is: `creditedBatches` number × 2^32 + its index there.
   */
  creditedLater: Map<string, number>;
  /** The credited lines, a batch per file or part (some 150 bytes a line with its key, where an object took 1.2 kB). */
  creditedBatches: PerformanceColumns[];
  creditsSeen: Set<string>;
}

const CREDITED_BATCH = 2 ** 32;

/** A CreditState with nothing in it yet. */
export function newCreditState(): CreditState {
  return { creditedLater: new Map(), creditedBatches: [], creditsSeen: new Set() };
}

/**
 * `memo` for a text column of the batches: the value's code in the batch being built (-1 when
 * `compute` gives null), computed once per distinct value and given a code once per batch —
 * without a second look-up in the batch's own table of texts.
 */
function codedMemo(compute: (value: string) => string | null, limit = 1 << 16): (value: string, batch: PerformanceColumnsBuilder) => number {
  const entryOf = memo((value: string) => ({ text: compute(value), code: -1, generation: 0 }), limit);
  return (value, batch) => {
    const entry = entryOf(value);
    if (entry.text === null) return -1;
    if (entry.generation !== batch.generation) {
      entry.code = batch.newText(entry.text);
      entry.generation = batch.generation;
    }
    return entry.code;
  };
}

async function checkedMapping(input: CsvExportOptions['mapping']): Promise<Mapping> {
  const mapping = typeof input === 'string' ? await loadMapping(input) : checkMapping(input, '(mapping object)');
  if (!mapping.columns.municipality && !mapping.defaults.municipality) {
    throw new WmoError('The column mapping needs columns.municipality or defaults.municipality: every line must say its gemeente.', { code: 'usage', adapterId: ADAPTER_ID });
  }
  return mapping;
}

/** The column of each mapped field in the header (-1: not mapped); a missing column is an error naming the file. */
function columnIndexes(file: string, table: DelimitedFile, mapping: Mapping): Record<Field, number> {
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
  return at;
}

async function* readExports(options: CsvExportOptions, readOptions: DeclarationReadOptions): AsyncGenerator<PerformanceColumns> {
  const mapping = await checkedMapping(options.mapping);
  const countPending = readOptions.countPending === true;
  const state = newCreditState();
  const workerOption = options.workers ?? 'auto';
  const partBytes = options.partBytes ?? PART_BYTES;

  for (const file of options.paths) {
    const table = await openDelimited(file, { adapterId: ADAPTER_ID, ...(mapping.delimiter !== 'auto' ? { delimiter: mapping.delimiter } : {}) });
    const at = columnIndexes(file, table, mapping);
    const size = (await stat(file)).size;
    const workers = workerOption !== 'auto' ? workerOption : size >= PARALLEL_MIN_BYTES ? Math.min(AUTO_WORKERS, defaultWorkerCount()) : 0;
    const parts = workers > 0 ? await planParts(file, size, partBytes) : undefined;
    if (!parts) {
      yield* columnsOfViews(file, table.header.length, table.views, at, mapping, countPending, state);
      continue;
    }
    await table.close();
    const jobs: ExportPartJob[] = parts.map((part) => ({
      file,
      part: { ...part, encoding: table.encoding, delimiter: table.delimiter, adapterId: ADAPTER_ID },
      fieldCount: table.header.length,
      at,
      mapping,
      countPending,
    }));
    const replies = orderedWorkerReplies<ExportPartJob, PerformanceColumns | PartEnd>({
      url: new URL(fromSource ? './export-worker.ts' : './export-worker.js', import.meta.url),
      jobs,
      count: workers,
      adapterId: ADAPTER_ID,
      describe: (job) => `reading ${file} from line ${job.part.firstLine}`,
      // 8 MB since optimisation 38 (no chunk of text is a large object any more, and the rows of a
      // chunk no longer allocate): at scale 50 15-30 MB less than 16 MB in the same time, at scale
      // 10 about 2 % slower. (Before, 8 MB made a worker a third slower; none added 40-60 MB.)
      youngGenerationMb: 8,
      returnColumnBuffers: true,
    });
    for await (const reply of startedAtOnce(replies)) {
      if (reply === undefined) yield new PerformanceColumnsBuilder(file).build(); // no lines: the workers have started
      else if (!reply.done) yield reply.data as PerformanceColumns;
      else {
        const end = reply.data as PartEnd;
        const at = state.creditedBatches.length * CREDITED_BATCH;
        state.creditedBatches.push(end.credited);
        for (const [key, i] of end.creditedLater) state.creditedLater.set(key, at + i);
        for (const key of end.creditsSeen) state.creditsSeen.add(key);
      }
    }
  }
  yield* reversals(state);
}

/**
 * The rows of a file (or of a part of it) as columns, one batch per view. `state` collects what
 * the end needs (the credited debits, the credits seen); the row checks are those of the README's
 * column mapping.
 */
export async function* columnsOfViews(
  file: string,
  fieldTotal: number,
  views: AsyncIterable<RowView>,
  at: Record<Field, number>,
  mapping: Mapping,
  countPending: boolean,
  state: CreditState,
): AsyncGenerator<PerformanceColumns> {
  const lower = (list: string[]) => new Set(list.map((v) => v.trim().toLowerCase()));
  const statuses = {
    approved: lower(mapping.status.approved),
    rejected: lower(mapping.status.rejected),
    pending: lower(mapping.status.pending),
    credited: lower(mapping.status.credited),
  };
  const debit = lower(mapping.debitCredit.debit);
  const credit = lower(mapping.debitCredit.credit);
  const { creditedLater, creditsSeen } = state;
  // this file's (or part's) credited lines: the next of the state's batches, closed at its end
  const creditedLines = new PerformanceColumnsBuilder(file);
  const creditedAt = state.creditedBatches.length * CREDITED_BATCH;
  // The row in hand, as positions in the chunk's text; the helpers are made once per file, not
  // per row (this loop runs for every line of a national export). A field costs one slice (a
  // plain amount not even that), and what a repeated value means (date, BSN, gemeente, status …)
  // is looked up in a memo, the value of the row before first: no second parse.
  let view: RowView | undefined;
  let text = '';
  let base = 0;
  let line = 0;
  const batch = new PerformanceColumnsBuilder(file);
  /** Lines of the batch with status credited (debits): their reversal may be needed at the end. */
  let credited: number[] = [];
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
    batch.warn(warning('malformed-row', `${file} line ${line}: ${why}; the row is skipped`, location, amountCents === undefined ? undefined : { amountCents }));
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
  const date = memo((value: string) => {
    const iso = parseDate(value, mapping.dates);
    return iso === undefined ? null : dayNumber(iso); // a day number (negative before 1970) or null
  });
  /** A BSN written otherwise than as nine digits (spaces, dots, Excel's dropped leading zero): its clientKey value, or null. */
  const otherBsn = memo((value: string) => {
    let key = value.replace(/\D/g, '');
    if (key.length === 8) key = `0${key}`; // Excel drops the leading zero
    return NINE_DIGITS.test(key) ? -2 - Number(key) : null;
  });
  /** The clientKey value of the BSN in a column (see PerformanceColumns): nine digits read in place. */
  const bsn = (column: number): number | null => {
    if (column >= 0) {
      const k = base + column;
      const start = view!.start(k);
      if (start >= 0 && view!.end(k) - start === 9) {
        let n = 0;
        let i = start;
        for (; i < start + 9; i++) {
          const digit = text.charCodeAt(i) - 48;
          if (digit < 0 || digit > 9) break;
          n = n * 10 + digit;
        }
        if (i === start + 9) return -2 - n;
      }
    }
    return otherBsn(get(column));
  };
  const municipalityOf = codedMemo((value: string) => (/^\d{1,4}$/.test(value) ? value.padStart(4, '0') : null));
  const categoryOf = codedMemo((value: string) => (value === '' ? null : /^\d$/.test(value) ? `0${value}` : value));
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
  /** The batch so far, as columns; the credited debits among its lines remembered. */
  const finish = (): PerformanceColumns => {
    const columns = batch.build();
    for (const i of credited) {
      creditedLater.set(`${columns.strings[columns.provider[i]!]}|${referenceAt(columns, i)}`, creditedAt + creditedLines.count);
      creditedLines.addPerformance(null, performanceAt(columns, i));
    }
    batch.restart();
    credited = [];
    return columns;
  };
  for await (const rows of views) {
    view = rows;
    text = rows.text;
    for (let r = rows.firstRow; r < rows.count; r++) {
      base = rows.first(r);
      line = rows.line(r);
      const fieldCount = rows.fieldCount(r);
      if (fieldCount !== fieldTotal) {
        invalid(`${fieldCount} fields instead of the ${fieldTotal} of the header`);
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
      if (start === null || end === null) {
        invalid(`the ${start === null ? 'begin' : 'end'} date ${JSON.stringify(get(start === null ? cPeriodStart : cPeriodEnd))} is not a date in ${mapping.dates.join(' or ')}`, amountCents);
        continue;
      }
      if (end < start) {
        invalid('the period ends before it starts', amountCents);
        continue;
      }
      const clientKey = bsn(cClientKey);
      if (clientKey === null) {
        invalid('the BSN is not 9 digits', amountCents);
        continue;
      }
      const municipalityText = get(cMunicipality) || mapping.defaults.municipality || '';
      const municipality = municipalityOf(municipalityText, batch);
      if (municipality < 0) {
        invalid(`the gemeente ${JSON.stringify(municipalityText)} is not a CBS code`, amountCents);
        continue;
      }
      const reference = get(cReference);
      if (!reference) {
        invalid('the reference is empty', amountCents);
        continue;
      }
      const status = cStatus >= 0 ? statusOf(get(cStatus)) : 'approved';
      if (status === 'unknown') {
        invalid(`status ${JSON.stringify(get(cStatus))} is none of approved (${mapping.status.approved.join(', ')}), rejected, pending or credited`, amountCents);
        continue;
      }
      const provider = get(cProvider) || mapping.defaults.provider || 'onbekend';
      const reverses = get(cReverses) || undefined;
      if (dc === 'C' && reverses) creditsSeen.add(`${provider}|${reverses}`);
      if (status === 'credited' && dc === 'D') credited.push(batch.count);
      const allocation = get(cAllocation);
      const product = get(cProduct);
      batch.add(
        status === 'rejected' ? 'rejected' : status === 'pending' && !countPending ? 'pending' : null,
        municipality,
        batch.code(1, provider),
        batch.code(2, get(cDeclaration) || mapping.defaults.declarationId || '-'),
        reference,
        reverses,
        allocation ? batch.code(7, allocation) : -1,
        clientKey,
        categoryOf(get(cCategory), batch),
        product ? batch.code(6, product) : -1,
        start,
        end,
        volumeOf(get(cVolume)),
        batch.code(4, get(cUnit) || mapping.defaults.unit || ''),
        amountCents,
        dc === 'C',
        line,
      );
    }
    if (batch.count > 0 || batch.warningCount > 0) yield finish();
  }
  if (batch.count > 0 || batch.warningCount > 0) yield finish();
  state.creditedBatches.push(creditedLines.build());
}

/** A line marked credited whose credit line is not in the export: reversed here, in full. */
function* reversals(state: CreditState): Generator<PerformanceColumns> {
  const builders = new Map<string, PerformanceColumnsBuilder>();
  for (const [key, at] of state.creditedLater) {
    if (state.creditsSeen.has(key)) continue;
    const p = performanceAt(state.creditedBatches[Math.floor(at / CREDITED_BATCH)]!, at % CREDITED_BATCH);
    let builder = builders.get(p.source.file);
    if (!builder) builders.set(p.source.file, (builder = new PerformanceColumnsBuilder(p.source.file)));
    builder.addPerformance(null, { ...p, reference: `${p.reference}~credit`, reversesReference: p.reference, amountCents: -p.amountCents, debitCredit: 'C' });
  }
  for (const builder of builders.values()) yield builder.build();
}
