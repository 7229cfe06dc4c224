import type { DeclarationItem, NotApprovedReason } from './contracts.js';
import { dayNumber, dayNumberOf, isoDate } from './dates.js';
import type { Performance } from './records.js';
import type { Warning } from './warnings.js';
import { nineDigits } from './engine/client-keys.js';

/**
 * Lines of one declaration file in columns, for sources of millions of lines: the engine takes
 * them without a JavaScript object per line, and a worker thread can hand them over as typed
 * arrays (transferred, not copied). Every text field is a code into `strings`, the batch's own
 * distinct texts (a repeated provider, declaration, client or category is kept once); the
 * references are one text with the end of each line's reference in `referenceEnds`.
 *
 * The same lines as items: `columnsToItems`. A source offers columns through the optional
 * `readColumns` of its DeclarationSource; `readDeclarationColumns` checks them at the boundary.
 */
export interface PerformanceColumns {
  type: 'columns';
  /** The file every line of the batch comes from. */
  file: string;
  count: number;
  /** The batch's distinct texts. */
  strings: string[];
  /** 0: a performance (approved, or counted as such); else the not-approved reason (KIND_REASONS). */
  kind: Uint8Array;
  municipality: Int32Array;
  provider: Int32Array;
  declarationId: Int32Array;
  /**
   * A code, or for a key of nine digits (a BSN, as nearly every key is) −2 minus the key as a
   * number: no text per line to hand over (`clientKeyAt` gives the key back).
   */
  clientKey: Int32Array;
  unit: Int32Array;
  /** A code, or -1 when the line has none. */
  category: Int32Array;
  productCode: Int32Array;
  allocationNumber: Int32Array;
  /** Day numbers (see `dayNumber`). */
  periodStart: Int32Array;
  periodEnd: Int32Array;
  volume: Float64Array;
  /** Whole cents, negative for a credit. */
  amountCents: Float64Array;
  /** 1: a credit line (C), 0: a debit (D). */
  credit: Uint8Array;
  /** The 1-based line in `file`. */
  line: Int32Array;
  references: string;
  referenceEnds: Int32Array;
  /** The reference a credit reverses, by line index in the batch (credits only, so few). */
  reverses: Map<number, string>;
  /** The source's warnings, each with the number of lines of the batch before it. */
  warnings: { at: number; warning: Warning }[];
}

/** The not-approved reason of each kind code (index 0 is a performance). */
export const KIND_REASONS: readonly (NotApprovedReason | null)[] = [null, 'rejected', 'pending', 'other-municipality'];

const kindOf = (reason: NotApprovedReason | null) => KIND_REASONS.indexOf(reason);
const FIRST_DAY = dayNumberOf(1, 1, 1)!;
const LAST_DAY = dayNumberOf(9999, 12, 31)!;
const FOUR_DIGITS = /^\d{4}$/;
/** The clientKey value of BSN 999999999, the lowest there is. */
const LOWEST_BSN_KEY = -2 - 999_999_999;

let generations = 0;

/** Builds one PerformanceColumns batch, line by line. */
export class PerformanceColumnsBuilder {
  count = 0;
  /** A number of this builder's own batch (a reader's cache of codes can tell its batch by it). */
  generation = ++generations;
  private capacity: number;
  private codes = new Map<string, number>();
  private strings: string[] = [];
  private readonly last: string[] = ['', '', '', '', '', '', '', ''];
  private readonly lastCode = new Int32Array(8).fill(-1);
  private references: string[] = [];
  private referenceLength = 0;
  private reverses = new Map<number, string>();
  private warnings: { at: number; warning: Warning }[] = [];
  private c: Columns;

  constructor(
    readonly file: string,
    capacity = 4096,
  ) {
    this.capacity = capacity;
    this.c = allocate(capacity);
  }

  /**
   * A new code for a text, without looking it up (a reader that knows it has no code in this batch
   * yet; a text may have two codes, the engine looks both up).
   */
  newText(text: string): number {
    this.strings.push(text);
    return this.strings.length - 1;
  }

  /** The clientKey column's value of a client key: a BSN as −2 − its number, another key as a code. */
  clientKey(key: string): number {
    const n = nineDigits(key);
    return n >= 0 ? -2 - n : this.code(3, key);
  }

  /** The code of a text in this batch; `field` (0–7) remembers the last text per field. */
  code(field: number, text: string): number {
    if (this.last[field] === text && this.lastCode[field]! >= 0) return this.lastCode[field]!;
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.strings.length;
      this.codes.set(text, code);
      this.strings.push(text);
    }
    this.last[field] = text;
    this.lastCode[field] = code;
    return code;
  }

  /**
   * Adds a line, field by field (the hot path of a reader of millions of lines: no object per
   * line). Texts as codes of this batch (`code`, `newText`); `category`, `productCode` and
   * `allocationNumber` -1 when the line has none, `reversesReference` undefined; the period as
   * day numbers.
   */
  add(
    reason: NotApprovedReason | null,
    municipality: number,
    provider: number,
    declarationId: number,
    reference: string,
    reversesReference: string | undefined,
    allocationNumber: number,
    clientKey: number,
    category: number,
    productCode: number,
    periodStart: number,
    periodEnd: number,
    volume: number,
    unit: number,
    amountCents: number,
    credit: boolean,
    line: number,
  ): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    const c = this.c;
    c.kind[i] = reason === null ? 0 : kindOf(reason);
    c.municipality[i] = municipality;
    c.provider[i] = provider;
    c.declarationId[i] = declarationId;
    c.clientKey[i] = clientKey;
    c.unit[i] = unit;
    c.category[i] = category;
    c.productCode[i] = productCode;
    c.allocationNumber[i] = allocationNumber;
    c.periodStart[i] = periodStart;
    c.periodEnd[i] = periodEnd;
    c.volume[i] = volume;
    c.amountCents[i] = amountCents;
    c.credit[i] = credit ? 1 : 0;
    c.line[i] = line;
    this.references.push(reference);
    this.referenceLength += reference.length;
    c.referenceEnds[i] = this.referenceLength;
    if (reversesReference !== undefined) this.reverses.set(i, reversesReference);
  }

  /** Adds a performance object (with a line number in its source). */
  addPerformance(reason: NotApprovedReason | null, p: Performance): void {
    this.add(
      reason,
      this.code(0, p.municipality),
      this.code(1, p.provider),
      this.code(2, p.declarationId),
      p.reference,
      p.reversesReference,
      p.allocationNumber === undefined ? -1 : this.code(7, p.allocationNumber),
      this.clientKey(p.clientKey),
      p.category === null ? -1 : this.code(5, p.category),
      p.productCode === null ? -1 : this.code(6, p.productCode),
      dayNumber(p.periodStart),
      dayNumber(p.periodEnd),
      p.volume,
      this.code(4, p.unit),
      p.amountCents,
      p.debitCredit === 'C',
      p.source.line ?? 0,
    );
  }

  /**
   * Adds a declaration item: a performance or a not-approved one as a line (its source must have
   * a line number), a warning in its place among the lines.
   */
  addItem(item: DeclarationItem): void {
    if (item.type === 'warning') this.warn(item.warning);
    else this.addPerformance(item.type === 'performance' ? null : item.reason, item.performance);
  }

  warn(warning: Warning): void {
    this.warnings.push({ at: this.count, warning });
  }

  get warningCount(): number {
    return this.warnings.length;
  }

  /**
   * The lines so far as a batch, its columns copied into one buffer (one allocation, transferred
   * as one). The builder keeps its own; `restart` begins the next batch in them.
   */
  build(): PerformanceColumns {
    const n = this.count;
    const columns = allocate(n, batchBuffer(n * LINE_BYTES));
    for (const name of COLUMN_NAMES) (columns[name] as Int32Array).set((this.c[name] as Int32Array).subarray(0, n));
    return {
      ...(columns as Columns),
      type: 'columns',
      file: this.file,
      count: n,
      strings: this.strings,
      references: this.references.join(''),
      reverses: this.reverses,
      warnings: this.warnings,
    };
  }

  /**
   * Empties the builder for the next batch of the same file, keeping its columns: a reader of
   * millions of lines allocates them once, where a builder per batch of 128 KB of text allocated
   * 270 KB in 16 arrays (4,096 lines × 66 bytes; docs/performance.md, optimisation 38). The batch gets a new generation.
   */
  restart(): void {
    this.count = 0;
    this.generation = ++generations;
    this.codes = new Map();
    this.strings = [];
    this.last.fill('');
    this.lastCode.fill(-1);
    this.references = [];
    this.referenceLength = 0;
    this.reverses = new Map();
    this.warnings = [];
  }

  private grow(): void {
    const old = this.c;
    this.capacity *= 2;
    const c = allocate(this.capacity);
    for (const name of COLUMN_NAMES) (c[name] as Int32Array).set(old[name] as Int32Array);
    this.c = c;
  }
}

/** The typed-array columns of a batch and their types: what allocates, slices, transfers and checks them. */
const COLUMN_TYPES = {
  kind: Uint8Array,
  municipality: Int32Array,
  provider: Int32Array,
  declarationId: Int32Array,
  clientKey: Int32Array,
  unit: Int32Array,
  category: Int32Array,
  productCode: Int32Array,
  allocationNumber: Int32Array,
  periodStart: Int32Array,
  periodEnd: Int32Array,
  volume: Float64Array,
  amountCents: Float64Array,
  credit: Uint8Array,
  line: Int32Array,
  referenceEnds: Int32Array,
} as const;
type ColumnName = keyof typeof COLUMN_TYPES;
type Columns = Pick<PerformanceColumns, ColumnName>;
const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];

/** The columns in order of element size, so that each starts aligned in one buffer. */
const BY_SIZE = [...COLUMN_NAMES].sort((a, b) => COLUMN_TYPES[b].BYTES_PER_ELEMENT - COLUMN_TYPES[a].BYTES_PER_ELEMENT);
const LINE_BYTES = COLUMN_NAMES.reduce((sum, name) => sum + COLUMN_TYPES[name].BYTES_PER_ELEMENT, 0);

/** Every column with room for n lines, all in one buffer (one allocation; or in `buffer`, of n × LINE_BYTES bytes or more). */
function allocate(n: number, buffer = new ArrayBuffer(n * LINE_BYTES)): Columns {
  const columns = {} as Record<ColumnName, Uint8Array | Int32Array | Float64Array>;
  let offset = 0;
  for (const name of BY_SIZE) {
    columns[name] = new COLUMN_TYPES[name](buffer, offset, n);
    offset += n * COLUMN_TYPES[name].BYTES_PER_ELEMENT;
  }
  return columns as Columns;
}

/**
 * Buffers of batches the engine has taken, given back to the worker thread that builds batches
 * (`returnColumnBuffers`), for its next batches: a worker that allocated a buffer per batch left
 * freeing it to the main thread's next collection, and glibc's arena of each worker held some
 * 30 MB of such buffers at scale 50 (docs/performance.md, optimisation 38).
 */
const returnedBuffers: ArrayBuffer[] = [];
let returnedBytes = 0;
/** What a worker keeps of the buffers given back; the rest the collector frees. */
const RETURNED_MAX_BYTES = 16 << 20;
/** A new batch buffer has room for a multiple of this many lines, so that a buffer given back mostly fits the next batch. */
const BATCH_LINES_STEP = 256;

/** A buffer of at least `bytes` for a batch: one given back if one is big enough, else a new one. */
function batchBuffer(bytes: number): ArrayBuffer {
  if (bytes === 0) return new ArrayBuffer(0); // a batch of warnings only, or the empty one a reader starts with
  for (let i = 0; i < returnedBuffers.length; i++) {
    const buffer = returnedBuffers[i]!;
    if (buffer.byteLength >= bytes) {
      returnedBuffers.splice(i, 1);
      returnedBytes -= buffer.byteLength;
      return buffer;
    }
  }
  const step = BATCH_LINES_STEP * LINE_BYTES;
  return new ArrayBuffer(Math.ceil(bytes / step) * step);
}

/** What the main thread posts to a worker to give batch buffers back (see `takeReturnedBuffers`). */
export interface ReturnedBuffersMessage {
  returnedColumnBuffers: ArrayBuffer[];
}

/**
 * For a worker thread's message handler: true when the message gives batch buffers back (they are
 * kept for the thread's next batches, up to 16 MB), false for any other message.
 */
export function takeReturnedBuffers(message: unknown): boolean {
  const buffers = (message as Partial<ReturnedBuffersMessage> | null)?.returnedColumnBuffers;
  if (!Array.isArray(buffers)) return false;
  for (const buffer of buffers) {
    if (!(buffer instanceof ArrayBuffer) || returnedBytes + buffer.byteLength > RETURNED_MAX_BYTES) continue;
    returnedBuffers.push(buffer);
    returnedBytes += buffer.byteLength;
  }
  return true;
}

const takenHandlers = new WeakMap<PerformanceColumns, () => void>();

/**
 * For a reader that hands on batches made by a worker thread: `taken` runs once the engine has
 * taken the batch (`columnsTaken`), after which the batch's typed arrays may be detached (given
 * back to the worker). A batch nobody registers is left to the collector.
 */
export function whenColumnsTaken(columns: PerformanceColumns, taken: () => void): void {
  takenHandlers.set(columns, taken);
}

/** The engine, once it has read everything it needs of a batch: the batch is not read again. */
export function columnsTaken(columns: PerformanceColumns): void {
  const taken = takenHandlers.get(columns);
  if (taken === undefined) return;
  takenHandlers.delete(columns);
  taken();
}

/** The buffers of a batch's typed arrays (each once), to transfer it to another thread without copying. */
export function columnBuffers(c: PerformanceColumns): ArrayBuffer[] {
  return [...new Set(COLUMN_NAMES.map((name) => c[name].buffer as ArrayBuffer))];
}

/** The client key of line i. */
export function clientKeyAt(c: PerformanceColumns, i: number): string {
  const k = c.clientKey[i]!;
  return k <= -2 ? String(-2 - k).padStart(9, '0') : c.strings[k]!;
}

/** The reference of line i. */
export function referenceAt(c: PerformanceColumns, i: number): string {
  return c.references.slice(i === 0 ? 0 : c.referenceEnds[i - 1]!, c.referenceEnds[i]!);
}

/** Line i as a performance object. */
export function performanceAt(c: PerformanceColumns, i: number): Performance {
  const s = c.strings;
  const p: Performance = {
    municipality: s[c.municipality[i]!]!,
    provider: s[c.provider[i]!]!,
    declarationId: s[c.declarationId[i]!]!,
    reference: referenceAt(c, i),
    clientKey: clientKeyAt(c, i),
    category: c.category[i]! < 0 ? null : s[c.category[i]!]!,
    productCode: c.productCode[i]! < 0 ? null : s[c.productCode[i]!]!,
    periodStart: isoDate(c.periodStart[i]!),
    periodEnd: isoDate(c.periodEnd[i]!),
    volume: c.volume[i]!,
    unit: s[c.unit[i]!]!,
    amountCents: c.amountCents[i]!,
    debitCredit: c.credit[i] === 1 ? 'C' : 'D',
    source: { file: c.file, line: c.line[i]! },
  };
  const reverses = c.reverses.get(i);
  if (reverses !== undefined) p.reversesReference = reverses;
  if (c.allocationNumber[i]! >= 0) p.allocationNumber = s[c.allocationNumber[i]!]!;
  return p;
}

/** The same lines as declaration items, in the same order (warnings where the source gave them). */
export function columnsToItems(c: PerformanceColumns): DeclarationItem[] {
  const items: DeclarationItem[] = [];
  let w = 0;
  for (let i = 0; i <= c.count; i++) {
    while (w < c.warnings.length && c.warnings[w]!.at === i) items.push({ type: 'warning', warning: c.warnings[w++]!.warning });
    if (i === c.count) break;
    const performance = performanceAt(c, i);
    const reason = KIND_REASONS[c.kind[i]!];
    items.push(reason ? { type: 'not-approved', reason, performance } : { type: 'performance', performance });
  }
  return items;
}

/**
 * Why a batch is not well-formed PerformanceColumns (the first thing wrong, with the line), or
 * undefined: every column as long as `count`, every code in `strings`, days and amounts whole
 * numbers, references ending in order. The boundary's check; the engine trusts what passes.
 */
export function columnsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const c = value as PerformanceColumns;
  if (c.type !== 'columns') return 'type is not "columns"';
  if (typeof c.file !== 'string' || c.file === '') return 'file is not a file name';
  if (!Number.isInteger(c.count) || c.count < 0) return 'count is not a number of lines';
  if (!Array.isArray(c.strings) || !c.strings.every((s) => typeof s === 'string')) return 'strings is not a list of texts';
  if (typeof c.references !== 'string') return 'references is not a text';
  if (!(c.reverses instanceof Map) || !Array.isArray(c.warnings)) return 'reverses or warnings missing';
  for (const name of COLUMN_NAMES) {
    const type = COLUMN_TYPES[name];
    const a = c[name] as ArrayLike<number>;
    if (!(a instanceof type) || a.length !== c.count) return `${name} is not a ${type.name} of ${c.count} values`;
  }
  const strings = c.strings.length;
  const where = (i: number) => `line ${c.line[i]}`;
  // whether a municipality text is a 4-digit CBS code, checked once per code (0 unknown, 1 no, 2 yes)
  const cbsCode = new Uint8Array(strings);
  const isCbsCode = (k: number) => (cbsCode[k] || (cbsCode[k] = FOUR_DIGITS.test(c.strings[k]!) ? 2 : 1)) === 2;
  const texts = c.strings;
  const { kind, municipality, provider, declarationId, clientKey, unit, category, productCode, allocationNumber, periodStart, periodEnd, amountCents, credit, volume, line, referenceEnds } = c;
  const kinds = KIND_REASONS.length;
  const referencesLength = c.references.length;
  let referenceEnd = 0;
  for (let i = 0; i < c.count; i++) {
    if (kind[i]! >= kinds) return `${where(i)}: kind ${kind[i]} is unknown`;
    const m = municipality[i]!;
    const p = provider[i]!;
    const d = declarationId[i]!;
    const k = clientKey[i]!;
    const u = unit[i]!;
    if (m < 0 || m >= strings || p < 0 || p >= strings || d < 0 || d >= strings || k < LOWEST_BSN_KEY || k === -1 || k >= strings || u < 0 || u >= strings) {
      return `${where(i)}: a code of municipality, provider, declarationId, clientKey or unit is not in strings`;
    }
    const g = category[i]!;
    const r = productCode[i]!;
    const a = allocationNumber[i]!;
    if (g < -1 || g >= strings || r < -1 || r >= strings || a < -1 || a >= strings) return `${where(i)}: a code of category, productCode or allocationNumber is not in strings`;
    if (texts[p]!.length === 0 || (k >= 0 && texts[k]!.length === 0) || texts[d]!.length === 0) return `${where(i)}: provider, declarationId or clientKey is empty`;
    if (!isCbsCode(m)) return `${where(i)}: municipality is not a 4-digit CBS code`;
    const start = periodStart[i]!;
    const end = periodEnd[i]!;
    if (!(start >= FIRST_DAY && end <= LAST_DAY)) return `${where(i)}: the period is not between the years 1 and 9999`;
    if (end < start) return `${where(i)}: periodEnd is before periodStart`;
    const amount = amountCents[i]!;
    if (!Number.isSafeInteger(amount)) return `${where(i)}: amountCents is not whole cents`;
    const isCredit = credit[i]!;
    if (isCredit > 1 || (isCredit === 1 ? amount > 0 : amount < 0)) return `${where(i)}: the sign of amountCents does not match debit/credit`;
    if (!Number.isFinite(volume[i]!)) return `${where(i)}: volume is not a number`;
    if (line[i]! < 1) return `${where(i)}: line is not a line number`;
    const referenceTo = referenceEnds[i]!;
    if (referenceTo <= referenceEnd || referenceTo > referencesLength) return `${where(i)}: the reference is empty or references ends out of order`;
    referenceEnd = referenceTo;
  }
  if (referenceEnd !== c.references.length) return 'references is longer than its lines';
  for (const [i, text] of c.reverses) if (!Number.isInteger(i) || i < 0 || i >= c.count || typeof text !== 'string' || text === '') return `reverses has an entry for line index ${i} that is not a reference`;
  return undefined;
}
