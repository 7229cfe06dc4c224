/**
 * Dense ids 0, 1, 2 … for client keys, in the order they are first seen. A key of nine digits (a
 * BSN, which nearly every key is) is found as a number in an open-addressing table of two Int32
 * values a slot; any other key goes through a Map. Against a `Map<string, number>` this hashes no
 * string and keeps no string per BSN (a BSN's text is made again when it is asked for), which is
 * what the client register and the engine of a national run look up millions of times.
 */
export class ClientKeys {
  /** Pairs (key number, id + 1); id + 1 = 0 is a free slot. */
  private slots = new Int32Array(2 << 12);
  private bits = 12;
  private numbered = 0;
  /** Per id: the key as a number, or -1 when the key is not nine digits (then in `texts`). */
  private numbers = new Int32Array(1024);
  private readonly others = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  size = 0;

  /** The id of a key, given the next id when it is new. */
  id(key: string): number {
    const n = nineDigits(key);
    if (n < 0) {
      let id = this.others.get(key);
      if (id === undefined) {
        id = this.next(-1);
        this.others.set(key, id);
        this.texts.set(id, key);
      }
      return id;
    }
    return this.idOfNumber(n);
  }

  /** The id of the key of nine digits whose number this is (0 … 999,999,999). */
  idOfNumber(n: number): number {
    const mask = (1 << this.bits) - 1;
    const slots = this.slots;
    for (let slot = hash(n, this.bits); ; slot = (slot + 1) & mask) {
      const stored = slots[(slot << 1) + 1]!;
      if (stored === 0) {
        const id = this.next(n);
        slots[slot << 1] = n;
        slots[(slot << 1) + 1] = id + 1;
        if (++this.numbered * 5 > (mask + 1) * 4) this.grow();
        return id;
      }
      if (slots[slot << 1] === n) return stored - 1;
    }
  }

  /** The id of a key, or -1 when it was never given. */
  find(key: string): number {
    const n = nineDigits(key);
    if (n < 0) return this.others.get(key) ?? -1;
    const mask = (1 << this.bits) - 1;
    const slots = this.slots;
    for (let slot = hash(n, this.bits); ; slot = (slot + 1) & mask) {
      const stored = slots[(slot << 1) + 1]!;
      if (stored === 0) return -1;
      if (slots[slot << 1] === n) return stored - 1;
    }
  }

  /** The key of an id. */
  key(id: number): string {
    const n = this.numbers[id]!;
    return n >= 0 ? String(n).padStart(9, '0') : this.texts.get(id)!;
  }

  private next(n: number): number {
    const id = this.size++;
    if (id === this.numbers.length) {
      const numbers = new Int32Array(id * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.numbers[id] = n;
    return id;
  }

  private grow(): void {
    const old = this.slots;
    this.bits++;
    const mask = (1 << this.bits) - 1;
    const slots = new Int32Array(2 << this.bits);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = hash(old[i]!, this.bits);
      while (slots[(slot << 1) + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot << 1] = old[i]!;
      slots[(slot << 1) + 1] = old[i + 1]!;
    }
    this.slots = slots;
  }
}

/** The number of a key of exactly nine digits (a BSN), else -1. */
export function nineDigits(key: string): number {
  if (key.length !== 9) return -1;
  let n = 0;
  for (let i = 0; i < 9; i++) {
    const d = key.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Fibonacci hashing: the top `bits` bits of the key times 2^32 / φ. */
function hash(n: number, bits: number): number {
  return Math.imul(n, 0x9e3779b1) >>> (32 - bits);
}
