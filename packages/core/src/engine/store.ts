import type { SourceLocation } from '../errors.js';
import type { Performance } from '../records.js';
import { grownInt32 } from './int32-lists.js';
import { SpillFile } from './spill.js';

/** Distinct strings (providers, categories, product codes, files, clients) by a small integer id. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(text, id);
      this.values.push(text);
    }
    return id;
  }

  /** The id of a text already in the table, or -1 (nothing added). */
  find(text: string): number {
    return this.ids.get(text) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }
}

const CREDIT = 1;
const CREDITED = 2;
const ORPHAN = 4;
const EMPTY = -1;
/**
 * A 16-bit column's marker for a value that does not fit, kept in the store's `wide` map beside:
 * a provider or product id or a period length of 65,535 or more, a first day before 1970 or
 * after 2149.
 */
const WIDE = 0xffff;

/** Lines per page: 65,536 lines of 28 bytes (27 in the page's buffer, 1 of flags), 1.8 MB. */
const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
/** Reference bytes per arena page (1 MB); a reference may run on into the next page. */
const ARENA_BITS = 20;
const ARENA_SIZE = 1 << ARENA_BITS;
const ARENA_MASK = ARENA_SIZE - 1;
/** The reference-length column's marker for a reference kept in `wideReferences` (255 characters or more, or outside Latin-1). */
const WIDE_REFERENCE = 0xff;
/** Lines per block: each block keeps where its first reference starts, the others follow on. */
const BLOCK_BITS = 6;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/**
 * The columns of 65,536 lines in one buffer (27 bytes a line), so that a full page goes to the
 * spill file in one write and comes back in one read. The 32-bit columns come first, then the
 * 16-bit ones, then the reference lengths: each starts at a multiple of its width.
 */
class Page {
  readonly bytes: Uint8Array;
  readonly client: Uint32Array;
  readonly amount32: Int32Array;
  /** 0 = no line number */
  readonly line: Uint32Array;
  readonly rest: Uint32Array;
  /** Provider and product ids, the period's first day and length in 16 bits; WIDE: in the store's `wide` map. */
  readonly provider: Uint16Array;
  /** string-table id + 1; 0 = null */
  readonly category: Uint16Array;
  readonly product: Uint16Array;
  /** The first day as a day number (1970-01-01 = 0: up to 2149 in 16 bits). */
  readonly start: Uint16Array;
  /** end − start (days) */
  readonly length: Uint16Array;
  /** WIDE_REFERENCE: in `wideReferences`, no bytes in the arena. */
  readonly referenceLength: Uint8Array;

  constructor() {
    const buffer = new ArrayBuffer(PAGE_BYTES);
    this.bytes = new Uint8Array(buffer);
    this.client = new Uint32Array(buffer, CLIENT, PAGE_SIZE);
    this.amount32 = new Int32Array(buffer, AMOUNT, PAGE_SIZE);
    this.line = new Uint32Array(buffer, LINE, PAGE_SIZE);
    this.rest = new Uint32Array(buffer, REST, PAGE_SIZE);
    this.provider = new Uint16Array(buffer, PROVIDER, PAGE_SIZE);
    this.category = new Uint16Array(buffer, CATEGORY, PAGE_SIZE);
    this.product = new Uint16Array(buffer, PRODUCT, PAGE_SIZE);
    this.start = new Uint16Array(buffer, START, PAGE_SIZE);
    this.length = new Uint16Array(buffer, LENGTH, PAGE_SIZE);
    this.referenceLength = new Uint8Array(buffer, REFERENCE_LENGTH, PAGE_SIZE);
  }
}

/** Where each column of a page starts in its buffer (and in the spill file, from the page's position). */
const CLIENT = 0;
const AMOUNT = 4 * PAGE_SIZE;
const LINE = 8 * PAGE_SIZE;
const REST = 12 * PAGE_SIZE;
const PROVIDER = 16 * PAGE_SIZE;
const CATEGORY = 18 * PAGE_SIZE;
const PRODUCT = 20 * PAGE_SIZE;
const START = 22 * PAGE_SIZE;
const LENGTH = 24 * PAGE_SIZE;
const REFERENCE_LENGTH = 26 * PAGE_SIZE;
const PAGE_BYTES = 27 * PAGE_SIZE;

/**
 * Lines a run keeps in memory before its pages go to a spill file: 2 pages (131,072 lines, about
 * 5.5 MB with their references; a gemeente of about 10,000 Wmo clients a year stays in memory).
 * A run past it keeps only its key table and 1 byte of flags a line, and reads its pages back one
 * by one. It was 16 pages (45 MB) until optimisation 41 (docs/performance.md): the pages came from
 * the main thread's malloc arena, and once they went to the file the arena kept their memory,
 * freed but not given back (from XML at scale 50, 57 MB of arena with 18–20 MB in use, peak
 * 311–318 MB; with 2 pages 289–301 MB, and from CSV 260–270 instead of 285–287 MB, in the same
 * time; at scale 10, which now spills too, 10–15 MB less in the same time).
 */
export const SPILL_FROM = 2 * PAGE_SIZE;

/**
 * Fields of a spilled page looked up one by one before the page is read back whole: a field costs
 * one small read of the file (about 1–2 µs), a page of lines one of 1.8 MB (about 0.2–0.4 ms).
 */
const LOOK_UPS_PER_LOAD = 128;

/**
 * One spilled page read back whole into a buffer of its own: for a walk in order (`load`, at
 * once), or for look-ups (`lookUp`, once the page has had LOOK_UPS_PER_LOAD fields looked up one
 * by one since it was last read back).
 */
class ReadBack<T> {
  private item: T | undefined;
  private page = -1;
  private readonly lookUps: number[] = [];

  constructor(private readonly make: () => T) {}

  /** Page `p` if it is the one read back, else undefined. */
  at(p: number): T | undefined {
    return p === this.page ? this.item : undefined;
  }

  /** Page `p`, read back with `read` unless it is the one read back already. */
  load(p: number, read: (into: T) => void): T {
    if (p !== this.page) {
      this.item ??= this.make();
      read(this.item);
      this.page = p;
    }
    return this.item!;
  }

  /** Page `p` if it is the one read back, or now read back at its LOOK_UPS_PER_LOAD-th look-up; else undefined (the caller reads one field). */
  lookUp(p: number, read: (into: T) => void): T | undefined {
    if (p === this.page) return this.item;
    const lookUps = (this.lookUps[p] ?? 0) + 1;
    if (lookUps < LOOK_UPS_PER_LOAD) {
      this.lookUps[p] = lookUps;
      return undefined;
    }
    this.lookUps[p] = 0;
    return this.load(p, read);
  }
}

export interface StoreOptions {
  /** Lines kept in memory before the full pages go to a temporary file (SPILL_FROM; Infinity: never). */
  spillFrom?: number;
  /** Folder of that file (the system's temporary folder). */
  spillDirectory?: string;
}

/**
 * The approved performances of one run, column by column in typed arrays: what the netting of
 * credits against their debits and the aggregation need, about 28 bytes a line (beside the
 * reference's bytes, and 10 to 15 in the key table) instead of the 600–700 bytes of a JavaScript
 * object per line (measured: 2.2 GB at scale 50 before). The key (provider, reference) is found
 * through an open-addressing hash table; the reference text is kept in a byte arena so that a hash
 * collision can never merge two performances.
 *
 * The columns and the arena grow by fixed pages (65,536 lines; 1 MB of reference bytes) rather than
 * by doubling one array: no copy of everything read so far, no old and new array side by side, at
 * most one page unused (measured at scale 50: see docs/performance.md).
 *
 * Past `spillFrom` lines (SPILL_FROM) every full page of lines and of reference bytes goes to a
 * temporary file (SpillFile) and only the key table, the flags (1 byte a line) and where each block
 * of references starts stay in memory: about 11 bytes a line instead of 51. A line on disk is read
 * back field by field where it is looked up (a duplicate, the debit a credit names: rare; a page
 * whole once it has had many look-ups, see ReadBack), and a page at a time where the engine walks
 * the lines in order (`visit`).
 *
 * Kept per line: provider, reference, client, category, product code, period (day numbers),
 * amount, debit/credit, line, and a hash of the fields that only tell a duplicate from a conflict
 * (declaration, allocation, volume, unit); the file once per run of lines from the same file.
 * Rare things (the reference a credit reverses, an element path without a line number, a credit
 * sum) are kept in maps beside.
 */
export class PerformanceStore {
  size = 0;
  /** The pages of lines in memory; undefined: in the spill file, at `pageAt`. */
  private readonly pages: (Page | undefined)[] = [];
  private readonly pageAt: number[] = [];
  /** Debit/credit, credited and orphan, per page (always in memory: the only column that changes). */
  private readonly flags: Uint8Array[] = [];
  /**
   * Per page, where in the arena (one run of bytes over its pages) the first reference of each
   * block of 64 lines starts; the others follow it, so a line's start is its block's plus the
   * lengths before.
   */
  private readonly referenceBlocks: Uint32Array[] = [];
  /** The page of lines last read back whole for a walk in order (`visit`). */
  private readonly walked = new ReadBack(() => new Page());
  /**
   * The spilled page of lines, and of reference bytes, last read back whole for look-ups, and how
   * many fields each spilled page had looked up one by one since: past LOOK_UPS_PER_LOAD, a page
   * is read back whole (a file given twice: its duplicates look up the lines of the first copy in
   * order; credits mostly name debits read shortly before them).
   */
  private readonly looked = new ReadBack(() => new Page());
  private readonly lookedArena = new ReadBack(() => new Uint8Array(ARENA_SIZE));
  /** A spilled page's buffer, for the next page. */
  private spare: Page | undefined;
  private readonly arena: (Uint8Array | undefined)[] = [];
  private readonly arenaAt: number[] = [];
  private spareArena: Uint8Array | undefined;
  /** Reference bytes written (over all arena pages). */
  private arenaUsed = 0;
  private readonly spillFrom: number;
  private readonly spillDirectory: string | undefined;
  private spill: SpillFile | undefined;
  /** Pages of lines and of the arena written to the spill file so far (always the first ones). */
  private spilledPages = 0;
  private spilledArena = 0;
  /** A line's field or reference bytes read back from the spill file. */
  private readonly scratch = new Uint8Array(new ArrayBuffer(256));
  private readonly scratch16 = new Uint16Array(this.scratch.buffer, 0, 1);
  private readonly scratch32 = new Uint32Array(this.scratch.buffer, 0, 1);
  private readonly scratchI32 = new Int32Array(this.scratch.buffer, 0, 1);
  private readonly wideReferences = new Map<number, string>();
  /** Runs of lines from one file: the first line's index and the file id, pair after pair. */
  private fileRuns = new Int32Array(64);
  private fileRunCount = 0;
  private readonly bigAmounts = new Map<number, number>();
  /** The values of the 16-bit columns that do not fit, by column and line. */
  private readonly wide = { provider: new Map<number, number>(), product: new Map<number, number>(), start: new Map<number, number>(), length: new Map<number, number>() };
  readonly reverses = new Map<number, string>();
  private readonly elements = new Map<number, string>();
  private readonly creditSums = new Map<number, number>();
  /**
   * The key table: open addressing with linear probing, two numbers a slot — the line's index
   * (EMPTY: free) and its key hash, which a probe compares before it looks at the line (in the
   * same cache line as the index; the line's own page is a second cache miss).
   */
  private table = emptyTable(1 << 12);

  constructor(
    readonly providers: StringTable,
    readonly files: StringTable,
    options: StoreOptions = {},
  ) {
    this.spillFrom = Math.max(PAGE_SIZE, options.spillFrom ?? SPILL_FROM);
    this.spillDirectory = options.spillDirectory;
  }

  /** Bytes in the spill file (0: the run stayed in memory). */
  get spilledBytes(): number {
    return this.spill?.bytes ?? 0;
  }

  /** Closes and removes the spill file, if there is one; the store cannot be read after. */
  close(): void {
    this.spill?.close();
  }

  /** The line of a performance with this provider id and reference, or -1. */
  find(providerId: number, reference: string): number {
    return this.findIn(providerId, reference, 0, reference.length, keyHash(providerId, reference, 0, reference.length));
  }

  /**
   * `find` for the reference `text.slice(from, to)`, without making that string; `hash` is its
   * `referenceHash` (computed once by the caller for find and add).
   */
  findIn(providerId: number, text: string, from: number, to: number, hash: number): number {
    const table = this.table;
    const slots = table.length >>> 1;
    const key = hash | 0;
    for (let slot = slotOf(hash, slots); ; slot = slot + 1 === slots ? 0 : slot + 1) {
      const index = table[slot << 1]!;
      if (index === EMPTY) return -1;
      if (table[(slot << 1) + 1] === key && this.providerOf(index) === providerId && this.referenceIs(index, text, from, to)) return index;
    }
  }

  /** Adds a performance that is not in the store yet (see `find`; `hash`: its `referenceHash`, if known); returns its line index. */
  add(p: Performance, ids: { provider: number; client: number; category: number; product: number; file: number }, start: number, end: number, hash = keyHash(ids.provider, p.reference, 0, p.reference.length)): number {
    const index = this.addLine(ids.provider, p.reference, 0, p.reference.length, hash, ids.client, ids.category, ids.product, start, end, p.amountCents, p.debitCredit === 'C', ids.file, p.source.line ?? 0, restHash(p), p.reversesReference);
    if (p.source.line === undefined && p.source.element !== undefined) this.elements.set(index, p.source.element);
    return index;
  }

  /**
   * `add` field by field, the reference being `text.slice(from, to)` (the engine's path for
   * PerformanceColumns: no object and no reference string per line). `line` 0: none.
   */
  addLine(
    provider: number,
    text: string,
    from: number,
    to: number,
    hash: number,
    client: number,
    category: number,
    product: number,
    start: number,
    end: number,
    amountCents: number,
    credit: boolean,
    file: number,
    line: number,
    rest: number,
    reverses: string | undefined,
  ): number {
    if ((this.size & PAGE_MASK) === 0) this.newPage();
    if (this.size >= (this.table.length >>> 1) * MAX_LOAD) this.rehash(Math.ceil((this.table.length >>> 1) * GROWTH));
    const index = this.size++;
    const page = this.pages[index >>> PAGE_BITS]!;
    const at = index & PAGE_MASK;
    this.put16(page.provider, at, provider, this.wide.provider, index);
    this.writeReference(index, page, at, text, from, to);
    page.client[at] = client;
    page.category[at] = category;
    this.put16(page.product, at, product, this.wide.product, index);
    this.put16(page.start, at, start, this.wide.start, index);
    this.put16(page.length, at, end - start, this.wide.length, index);
    if (amountCents === (amountCents | 0)) page.amount32[at] = amountCents;
    else this.bigAmounts.set(index, amountCents);
    this.flags[index >>> PAGE_BITS]![at] = credit ? CREDIT : 0;
    if (this.fileRunCount === 0 || this.fileRuns[2 * this.fileRunCount - 1] !== file) this.addFileRun(index, file);
    page.line[at] = line;
    page.rest[at] = rest;
    if (reverses !== undefined) this.reverses.set(index, reverses);
    insert(this.table, index, hash);
    return index;
  }

  /**
   * Makes line `index`'s page quick to read: a spilled page is read back whole (replacing the one
   * read before). For a walk over the lines in order; a line looked up anywhere else is read
   * field by field (or from the page ReadBack keeps).
   */
  visit(index: number): void {
    const p = index >>> PAGE_BITS;
    if (this.pages[p] === undefined && this.walked.at(p) === undefined) this.walked.load(p, (page) => this.readPage(p, page));
  }

  providerOf(index: number): number {
    const page = this.columnsOf(index);
    const provider = page ? page.provider[index & PAGE_MASK]! : this.readField(index, PROVIDER, this.scratch16);
    return provider === WIDE ? this.wide.provider.get(index)! : provider;
  }

  clientOf(index: number): number {
    const page = this.columnsOf(index);
    return page ? page.client[index & PAGE_MASK]! : this.readField(index, CLIENT, this.scratch32);
  }

  /** Code-table id + 1 of the category; 0 when the line has none. */
  categoryOf(index: number): number {
    const page = this.columnsOf(index);
    return page ? page.category[index & PAGE_MASK]! : this.readField(index, CATEGORY, this.scratch16);
  }

  /** Code-table id + 1 of the product code; 0 when the line has none. */
  productOf(index: number): number {
    const page = this.columnsOf(index);
    const product = page ? page.product[index & PAGE_MASK]! : this.readField(index, PRODUCT, this.scratch16);
    return product === WIDE ? this.wide.product.get(index)! : product;
  }

  /** First day of the period (day number). */
  startOf(index: number): number {
    const page = this.columnsOf(index);
    const start = page ? page.start[index & PAGE_MASK]! : this.readField(index, START, this.scratch16);
    return start === WIDE ? this.wide.start.get(index)! : start;
  }

  /** Last day of the period (day number). */
  endOf(index: number): number {
    const page = this.columnsOf(index);
    const length = page ? page.length[index & PAGE_MASK]! : this.readField(index, LENGTH, this.scratch16);
    return this.startOf(index) + (length === WIDE ? this.wide.length.get(index)! : length);
  }

  reference(index: number): string {
    const length = this.referenceLengthOf(index);
    if (length === WIDE_REFERENCE) return this.wideReferences.get(index)!;
    const bytes = this.referenceBytes(index, length);
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }

  private referenceLengthOf(index: number): number {
    const page = this.columnsOf(index);
    return page ? page.referenceLength[index & PAGE_MASK]! : this.readField(index, REFERENCE_LENGTH, this.scratch);
  }

  /** Where line `index`'s reference starts in the arena: its block's start plus the lengths before it in the block. */
  private referenceStart(index: number): number {
    const at = index & PAGE_MASK;
    const first = at & ~BLOCK_MASK;
    let start = this.referenceBlocks[index >>> PAGE_BITS]![at >>> BLOCK_BITS]!;
    const page = this.columnsOf(index);
    let lengths: Uint8Array;
    let offset = 0;
    if (page) lengths = page.referenceLength;
    else {
      // the lengths before it in its block, read back at once
      lengths = this.scratch;
      offset = first;
      if (at > first) this.spill!.read(this.scratch, 0, at - first, this.pageAt[index >>> PAGE_BITS]! + REFERENCE_LENGTH + first);
    }
    for (let j = first; j < at; j++) if (lengths[j - offset] !== WIDE_REFERENCE) start += lengths[j - offset]!;
    return start;
  }

  /**
   * The `length` reference bytes of line `index` (under 255), in memory or read back: a view of
   * the arena page when they lie in one page in memory, else copied into the scratch buffer.
   */
  private referenceBytes(index: number, length: number): Uint8Array {
    const start = this.referenceStart(index);
    const first = start >>> ARENA_BITS;
    const offset = start & ARENA_MASK;
    const page = this.arena[first];
    if (page !== undefined && offset + length <= ARENA_SIZE) return page.subarray(offset, offset + length);
    for (let done = 0; done < length; ) {
      const at = start + done;
      const arenaPage = at >>> ARENA_BITS;
      const inPage = at & ARENA_MASK;
      const count = Math.min(length - done, ARENA_SIZE - inPage);
      const bytes = this.arena[arenaPage] ?? this.lookedArenaFor(arenaPage);
      if (bytes !== undefined) this.scratch.set(bytes.subarray(inPage, inPage + count), done);
      else this.spill!.read(this.scratch, done, count, this.arenaAt[arenaPage]! + inPage);
      done += count;
    }
    return this.scratch;
  }

  amount(index: number): number {
    const big = this.bigAmounts.size === 0 ? undefined : this.bigAmounts.get(index);
    if (big !== undefined) return big;
    const page = this.columnsOf(index);
    return page ? page.amount32[index & PAGE_MASK]! : this.readField(index, AMOUNT, this.scratchI32);
  }

  isCredit(index: number): boolean {
    return this.hasFlag(index, CREDIT);
  }

  isCredited(index: number): boolean {
    return this.hasFlag(index, CREDITED);
  }

  isOrphan(index: number): boolean {
    return this.hasFlag(index, ORPHAN);
  }

  private hasFlag(index: number, flag: number): boolean {
    return (this.flags[index >>> PAGE_BITS]![index & PAGE_MASK]! & flag) !== 0;
  }

  private setFlag(index: number, flag: number): void {
    this.flags[index >>> PAGE_BITS]![index & PAGE_MASK]! |= flag;
  }

  markOrphan(index: number): void {
    this.setFlag(index, ORPHAN);
  }

  /** Records an approved credit against this debit. */
  addCredit(index: number, cents: number): void {
    this.setFlag(index, CREDITED);
    this.creditSums.set(index, (this.creditSums.get(index) ?? 0) + cents);
  }

  /** Sum of the approved credits that reverse this debit (negative cents). */
  creditCents(index: number): number {
    return this.creditSums.get(index) ?? 0;
  }

  location(index: number): SourceLocation {
    const file = this.files.values[this.fileOf(index)]!;
    const page = this.columnsOf(index);
    const line = page ? page.line[index & PAGE_MASK]! : this.readField(index, LINE, this.scratch32);
    if (line > 0) return { file, line };
    const element = this.elements.get(index);
    return element === undefined ? { file } : { file, element };
  }

  /** True when `p` has the same content as the stored line (a duplicate, not a conflict). */
  sameAs(index: number, p: Performance, ids: { client: number; category: number; product: number }, start: number, end: number): boolean {
    return this.sameLine(index, ids.client, ids.category, ids.product, start, end, p.amountCents, p.debitCredit === 'C', restHash(p), p.reversesReference);
  }

  /** `sameAs` field by field. */
  sameLine(index: number, client: number, category: number, product: number, start: number, end: number, amountCents: number, credit: boolean, rest: number, reverses: string | undefined): boolean {
    const page = this.columnsOf(index);
    return (
      this.reverses.get(index) === reverses &&
      this.clientOf(index) === client &&
      this.categoryOf(index) === category &&
      this.productOf(index) === product &&
      this.startOf(index) === start &&
      this.endOf(index) === end &&
      this.amount(index) === amountCents &&
      this.isCredit(index) === credit &&
      (page ? page.rest[index & PAGE_MASK]! : this.readField(index, REST, this.scratch32)) === rest
    );
  }

  /** Line `index`'s columns when they are in memory (its page, or the page last read back), else undefined. */
  private columnsOf(index: number): Page | undefined {
    const p = index >>> PAGE_BITS;
    return this.pages[p] ?? this.walked.at(p) ?? this.lookedFor(p);
  }

  /** Spilled page `p` once it is read back whole for look-ups (see `looked`), else undefined: one field is read. */
  private lookedFor(p: number): Page | undefined {
    return this.looked.lookUp(p, (page) => this.readPage(p, page));
  }

  /** `lookedFor` for a spilled page of reference bytes. */
  private lookedArenaFor(a: number): Uint8Array | undefined {
    return this.lookedArena.lookUp(a, (bytes) => this.spill!.read(bytes, 0, ARENA_SIZE, this.arenaAt[a]!));
  }

  /**
   * One field of a spilled line, read from the file: the column starting at byte `column` of its
   * page, in the width and kind of `view` (one of the scratch buffer's views).
   */
  private readField(index: number, column: number, view: Uint8Array | Uint16Array | Uint32Array | Int32Array): number {
    const width = view.BYTES_PER_ELEMENT;
    this.spill!.read(this.scratch, 0, width, this.pageAt[index >>> PAGE_BITS]! + column + (index & PAGE_MASK) * width);
    return view[0]!;
  }

  /** Reads spilled page `p` back whole into `page`. */
  private readPage(p: number, page: Page): void {
    this.spill!.read(page.bytes, 0, PAGE_BYTES, this.pageAt[p]!);
  }

  /** A page for the lines from `size` on; once past `spillFrom`, the full pages before it go to the spill file. */
  private newPage(): void {
    if (this.size >= this.spillFrom) {
      this.spill ??= new SpillFile(this.spillDirectory);
      for (; this.spilledPages < this.pages.length; this.spilledPages++) {
        const page = this.pages[this.spilledPages]!;
        this.pageAt[this.spilledPages] = this.spill.append(page.bytes);
        this.pages[this.spilledPages] = undefined;
        this.spare = page;
      }
      this.spillArena(this.arenaUsed >>> ARENA_BITS);
    }
    const page = this.spare ?? new Page();
    this.spare = undefined;
    this.pages.push(page);
    this.flags.push(new Uint8Array(PAGE_SIZE));
    this.referenceBlocks.push(new Uint32Array(PAGE_SIZE >>> BLOCK_BITS));
  }

  /** Arena pages before `end` to the spill file (they are full), once spilling has begun. */
  private spillArena(end: number): void {
    if (this.spill === undefined) return;
    for (; this.spilledArena < end; this.spilledArena++) {
      const bytes = this.arena[this.spilledArena]!;
      this.arenaAt[this.spilledArena] = this.spill.append(bytes);
      this.arena[this.spilledArena] = undefined;
      this.spareArena = bytes;
    }
  }

  /** A value into a 16-bit column, or WIDE there and the value in `map` (rare: see WIDE). */
  private put16(column: Uint16Array, at: number, value: number, map: Map<number, number>, index: number): void {
    if (value >= 0 && value < WIDE) column[at] = value;
    else {
      column[at] = WIDE;
      map.set(index, value);
    }
  }

  private referenceIs(index: number, text: string, from: number, to: number): boolean {
    const length = this.referenceLengthOf(index);
    if (length === WIDE_REFERENCE) return this.wideReferences.get(index) === text.slice(from, to);
    if (length !== to - from) return false;
    const bytes = this.referenceBytes(index, length);
    for (let i = 0; i < length; i++) if (bytes[i] !== text.charCodeAt(from + i)) return false;
    return true;
  }

  private writeReference(index: number, page: Page, at: number, text: string, from: number, to: number): void {
    if ((at & BLOCK_MASK) === 0) this.referenceBlocks[index >>> PAGE_BITS]![at >>> BLOCK_BITS] = this.arenaUsed;
    const length = to - from;
    let narrow = length < WIDE_REFERENCE;
    for (let i = from; narrow && i < to; i++) if (text.charCodeAt(i) > 0xff) narrow = false;
    if (!narrow) {
      page.referenceLength[at] = WIDE_REFERENCE;
      this.wideReferences.set(index, text.slice(from, to));
      return;
    }
    // the arena's positions are 32 bits (a block's start in a Uint32Array): under 4 GB, about 300
    // million lines of 14 characters
    if (this.arenaUsed + length >= 2 ** 32) throw new RangeError('more than 4 GB of performance references in one run');
    let used = this.arenaUsed;
    for (let i = from; i < to; i++, used++) {
      if (used >>> ARENA_BITS === this.arena.length) {
        this.arena.push(this.spareArena ?? new Uint8Array(ARENA_SIZE));
        this.spareArena = undefined;
        this.spillArena(this.arena.length - 1);
      }
      this.arena[used >>> ARENA_BITS]![used & ARENA_MASK] = text.charCodeAt(i);
    }
    page.referenceLength[at] = length;
    this.arenaUsed = used;
  }

  private addFileRun(index: number, file: number): void {
    if (2 * this.fileRunCount === this.fileRuns.length) this.fileRuns = grownInt32(this.fileRuns);
    this.fileRuns[2 * this.fileRunCount] = index;
    this.fileRuns[2 * this.fileRunCount + 1] = file;
    this.fileRunCount++;
  }

  /** The file id of line `index`: the run it falls in, found by halving. */
  private fileOf(index: number): number {
    let low = 0;
    let high = this.fileRunCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.fileRuns[2 * middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return this.fileRuns[2 * low + 1]!;
  }

  /** A table of `slots` slots, filled from the old one (its hashes: no reference is read again). */
  private rehash(slots: number): void {
    const old = this.table;
    const table = emptyTable(slots);
    for (let slot = 0; slot < old.length; slot += 2) if (old[slot] !== EMPTY) insert(table, old[slot]!, old[slot + 1]!);
    this.table = table;
  }
}

/**
 * The key table's largest share of used slots before it grows. With the hash in the slot a
 * longer probe mostly stays in one cache line; 0.8 keeps the 3.05 M lines of the benchmark's scale
 * 50 in 4 M slots (31 MB) where 0.5 needed 8 M.
 */
const MAX_LOAD = 0.8;
/**
 * How much the key table grows when full: 1.5 rather than 2 (so any number of slots, not a power
 * of two; a slot found by multiplying instead of masking). At national scale (15.3 M lines) the
 * table ends at 20.4 M slots (156 MB) where doubling gave 33.6 M (256 MB), and a growth holds the
 * old and the new table at once: 2.5 times the old one instead of 3.
 */
const GROWTH = 1.5;

/**
 * The slot of a key hash (unsigned 32 bits) in a table of `slots` slots: the hash's share of
 * 2^32 times the slots (Lemire's multiply-shift range reduction, in a double: below 2^53 … close
 * enough, and the same for the same hash and size, which is all a slot needs).
 */
function slotOf(hash: number, slots: number): number {
  return Math.floor(((hash >>> 0) * slots) / 4294967296);
}

/** A key table of `slots` free slots (two numbers each). */
function emptyTable(slots: number): Int32Array {
  return new Int32Array(slots * 2).fill(EMPTY);
}

/** Puts line `index` with key hash `hash` in the first free slot from the hash's own. */
function insert(table: Int32Array, index: number, hash: number): void {
  const slots = table.length >>> 1;
  let slot = slotOf(hash, slots);
  while (table[slot << 1] !== EMPTY) slot = slot + 1 === slots ? 0 : slot + 1;
  table[slot << 1] = index;
  table[(slot << 1) + 1] = hash;
}

// FNV-1a (32 bits), seeded with the provider id for the key table.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const seed = (providerId: number) => FNV_OFFSET ^ Math.imul(providerId + 1, 0x9e3779b1);
const finish = (hash: number) => (hash ^ (hash >>> 15)) >>> 0;

function hashText(hash: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** The key-table hash of (provider, reference `text.slice(from, to)`), for `findIn` and `addLine`. */
export function referenceHash(providerId: number, text: string, from: number, to: number): number {
  return keyHash(providerId, text, from, to);
}

function keyHash(providerId: number, text: string, from: number, to: number): number {
  return finish(hashText(seed(providerId), text, from, to));
}

/** A hash of the fields that only tell a duplicate from a conflict. */
function restHash(p: Performance): number {
  return restHashOf(p.declarationId, p.allocationNumber ?? '', p.volume, p.unit);
}

/**
 * `restHash` field by field: the FNV-1a hash of `declarationId NUL allocationNumber NUL volume NUL
 * unit`, character by character, as one text would give it.
 */
export function restHashOf(declarationId: string, allocationNumber: string, volume: number, unit: string): number {
  return restHashAfter(restHashHead(declarationId), allocationNumber, volume, unit);
}

/** The first part of `restHashOf`: the declaration and its NUL (the same for every line of a declaration). */
export function restHashHead(declarationId: string): number {
  return Math.imul(hashText(FNV_OFFSET, declarationId), FNV_PRIME); // the NUL: hash ^ 0 is hash
}

/** The rest of `restHashOf`, from `restHashHead`. */
export function restHashAfter(head: number, allocationNumber: string, volume: number, unit: string): number {
  let hash = hashText(head, allocationNumber);
  hash = Math.imul(hash, FNV_PRIME);
  hash = hashText(hash, volume >= 0 && volume < 1000 && volume === Math.trunc(volume) ? SMALL_WHOLE[volume]! : String(volume));
  hash = Math.imul(hash, FNV_PRIME);
  return hashText(hash, unit) >>> 0;
}

const SMALL_WHOLE = Array.from({ length: 1000 }, (_, i) => String(i));
