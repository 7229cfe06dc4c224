import type { SourceLocation } from '../errors.js';
import type { Performance } from '../records.js';

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

  get size(): number {
    return this.values.length;
  }
}

const CREDIT = 1;
const CREDITED = 2;
const ORPHAN = 4;
const EMPTY = -1;
const WIDE = 0xffff; // reference length marker: the text is in `wideReferences`

/**
 * The approved performances of one run, column by column in typed arrays: what the netting of
 * credits against their debits and the aggregation need, about 60 bytes a line instead of the
 * 600–700 bytes of a JavaScript object per line (measured: 2.2 GB at scale 50 before). The key
 * (provider, reference) is found through an open-addressing hash table; the reference text is kept
 * in a byte arena so that a hash collision can never merge two performances.
 *
 * Kept per line: provider, reference, client, category, product code, period (day numbers),
 * amount, debit/credit, file and line, and a hash of the fields that only tell a duplicate from a
 * conflict (declaration, allocation, volume, unit). Rare things (the reference a credit reverses,
 * an element path without a line number, a credit sum) are kept in maps beside.
 */
export class PerformanceStore {
  size = 0;
  private capacity = 0;
  provider = new Uint32Array(0);
  private referenceStart = new Uint32Array(0);
  private referenceLength = new Uint16Array(0);
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private readonly wideReferences = new Map<number, string>();
  client = new Uint32Array(0);
  /** string-table id + 1; 0 = null */
  category = new Uint16Array(0);
  product = new Uint32Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  private amount32 = new Int32Array(0);
  private readonly bigAmounts = new Map<number, number>();
  private flags = new Uint8Array(0);
  file = new Uint32Array(0);
  /** 0 = no line number */
  line = new Uint32Array(0);
  rest = new Uint32Array(0);
  readonly reverses = new Map<number, string>();
  private readonly elements = new Map<number, string>();
  private readonly creditSums = new Map<number, number>();
  private table = new Int32Array(1 << 12).fill(EMPTY);

  constructor(
    readonly providers: StringTable,
    readonly files: StringTable,
  ) {}

  /** The line of a performance with this provider id and reference, or -1. */
  find(providerId: number, reference: string): number {
    const mask = this.table.length - 1;
    for (let slot = keyHash(providerId, reference) & mask; ; slot = (slot + 1) & mask) {
      const index = this.table[slot]!;
      if (index === EMPTY) return -1;
      if (this.provider[index] === providerId && this.referenceIs(index, reference)) return index;
    }
  }

  /** Adds a performance that is not in the store yet (see `find`); returns its line index. */
  add(p: Performance, ids: { provider: number; client: number; category: number; product: number; file: number }, start: number, end: number): number {
    if (this.size === this.capacity) this.grow();
    if (this.size * 2 >= this.table.length) this.rehash(this.table.length * 2);
    const index = this.size++;
    this.provider[index] = ids.provider;
    this.writeReference(index, p.reference);
    this.client[index] = ids.client;
    this.category[index] = ids.category;
    this.product[index] = ids.product;
    this.start[index] = start;
    this.end[index] = end;
    if (p.amountCents === (p.amountCents | 0)) this.amount32[index] = p.amountCents;
    else this.bigAmounts.set(index, p.amountCents);
    this.flags[index] = p.debitCredit === 'C' ? CREDIT : 0;
    this.file[index] = ids.file;
    this.line[index] = p.source.line ?? 0;
    if (p.source.line === undefined && p.source.element !== undefined) this.elements.set(index, p.source.element);
    this.rest[index] = restHash(p);
    if (p.reversesReference !== undefined) this.reverses.set(index, p.reversesReference);
    const mask = this.table.length - 1;
    let slot = keyHash(ids.provider, p.reference) & mask;
    while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.table[slot] = index;
    return index;
  }

  reference(index: number): string {
    const length = this.referenceLength[index]!;
    if (length === WIDE) return this.wideReferences.get(index)!;
    const from = this.referenceStart[index]!;
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.arena[from + i]!);
    return text;
  }

  amount(index: number): number {
    return this.bigAmounts.get(index) ?? this.amount32[index]!;
  }

  isCredit(index: number): boolean {
    return (this.flags[index]! & CREDIT) !== 0;
  }

  isCredited(index: number): boolean {
    return (this.flags[index]! & CREDITED) !== 0;
  }

  isOrphan(index: number): boolean {
    return (this.flags[index]! & ORPHAN) !== 0;
  }

  markOrphan(index: number): void {
    this.flags[index]! |= ORPHAN;
  }

  /** Records an approved credit against this debit. */
  addCredit(index: number, cents: number): void {
    this.flags[index]! |= CREDITED;
    this.creditSums.set(index, (this.creditSums.get(index) ?? 0) + cents);
  }

  /** Sum of the approved credits that reverse this debit (negative cents). */
  creditCents(index: number): number {
    return this.creditSums.get(index) ?? 0;
  }

  location(index: number): SourceLocation {
    const file = this.files.values[this.file[index]!]!;
    const line = this.line[index]!;
    if (line > 0) return { file, line };
    const element = this.elements.get(index);
    return element === undefined ? { file } : { file, element };
  }

  /** True when `p` has the same content as the stored line (a duplicate, not a conflict). */
  sameAs(index: number, p: Performance, ids: { client: number; category: number; product: number }, start: number, end: number): boolean {
    return (
      this.reverses.get(index) === p.reversesReference &&
      this.client[index] === ids.client &&
      this.category[index] === ids.category &&
      this.product[index] === ids.product &&
      this.start[index] === start &&
      this.end[index] === end &&
      this.amount(index) === p.amountCents &&
      this.isCredit(index) === (p.debitCredit === 'C') &&
      this.rest[index] === restHash(p)
    );
  }

  private referenceIs(index: number, reference: string): boolean {
    const length = this.referenceLength[index]!;
    if (length === WIDE) return this.wideReferences.get(index) === reference;
    if (length !== reference.length) return false;
    const from = this.referenceStart[index]!;
    for (let i = 0; i < length; i++) if (this.arena[from + i] !== reference.charCodeAt(i)) return false;
    return true;
  }

  private writeReference(index: number, reference: string): void {
    let narrow = reference.length < WIDE;
    for (let i = 0; narrow && i < reference.length; i++) if (reference.charCodeAt(i) > 0xff) narrow = false;
    if (!narrow) {
      this.referenceLength[index] = WIDE;
      this.wideReferences.set(index, reference);
      return;
    }
    if (this.arenaUsed + reference.length > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + reference.length));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    for (let i = 0; i < reference.length; i++) this.arena[this.arenaUsed + i] = reference.charCodeAt(i);
    this.referenceStart[index] = this.arenaUsed;
    this.referenceLength[index] = reference.length;
    this.arenaUsed += reference.length;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.provider = grown(this.provider, (n) => new Uint32Array(n));
    this.referenceStart = grown(this.referenceStart, (n) => new Uint32Array(n));
    this.referenceLength = grown(this.referenceLength, (n) => new Uint16Array(n));
    this.client = grown(this.client, (n) => new Uint32Array(n));
    this.category = grown(this.category, (n) => new Uint16Array(n));
    this.product = grown(this.product, (n) => new Uint32Array(n));
    this.start = grown(this.start, (n) => new Int32Array(n));
    this.end = grown(this.end, (n) => new Int32Array(n));
    this.amount32 = grown(this.amount32, (n) => new Int32Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.file = grown(this.file, (n) => new Uint32Array(n));
    this.line = grown(this.line, (n) => new Uint32Array(n));
    this.rest = grown(this.rest, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let index = 0; index < this.size; index++) {
      const length = this.referenceLength[index]!;
      const hash = length === WIDE ? keyHash(this.provider[index]!, this.wideReferences.get(index)!) : arenaHash(this.provider[index]!, this.arena, this.referenceStart[index]!, length);
      let slot = hash & mask;
      while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.table[slot] = index;
    }
  }
}

// FNV-1a (32 bits), seeded with the provider id for the key table.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const seed = (providerId: number) => FNV_OFFSET ^ Math.imul(providerId + 1, 0x9e3779b1);
const finish = (hash: number) => (hash ^ (hash >>> 15)) >>> 0;

function hashText(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** The key-table hash of (provider, reference). */
function keyHash(providerId: number, reference: string): number {
  return finish(hashText(seed(providerId), reference));
}

/** keyHash of a reference kept in the arena (its bytes are its character codes). */
function arenaHash(providerId: number, arena: Uint8Array, from: number, length: number): number {
  let hash = seed(providerId);
  for (let i = from; i < from + length; i++) hash = Math.imul(hash ^ arena[i]!, FNV_PRIME);
  return finish(hash);
}

/** A hash of the fields that only tell a duplicate from a conflict. */
function restHash(p: Performance): number {
  return hashText(FNV_OFFSET, `${p.declarationId}\u0000${p.allocationNumber ?? ''}\u0000${p.volume}\u0000${p.unit}`) >>> 0;
}
