const NONE = -1;

/**
 * Per owner (0, 1, 2 …: a client's id) a list of records of `width` Int32 fields, in the order
 * they were added, all in typed arrays: the address periods of a national register without an
 * object or an array per client. `add` gives the record's index; its fields are `fields[index *
 * width + k]`. Lists are walked with `first` and `next` (−1 ends a list).
 */
export class Int32Lists {
  fields: Int32Array<ArrayBuffer>;
  private heads = new Int32Array(1024).fill(NONE);
  private tails = new Int32Array(1024).fill(NONE);
  private links = new Int32Array(1024);
  private count = 0;

  constructor(readonly width: number) {
    this.fields = new Int32Array(1024 * width);
  }

  /** A new record at the end of the owner's list; returns its index (fill its fields). */
  add(owner: number): number {
    const record = this.count++;
    if (record === this.links.length) {
      this.links = grownInt32(this.links);
      this.fields = grownInt32(this.fields);
    }
    while (owner >= this.heads.length) {
      this.heads = grownInt32(this.heads, NONE);
      this.tails = grownInt32(this.tails, NONE);
    }
    this.links[record] = NONE;
    const tail = this.tails[owner]!;
    if (tail === NONE) this.heads[owner] = record;
    else this.links[tail] = record;
    this.tails[owner] = record;
    return record;
  }

  /** The owner's first record, or −1 when it has none. */
  first(owner: number): number {
    return owner < this.heads.length ? this.heads[owner]! : NONE;
  }

  /** The record after this one in its owner's list, or −1. */
  next(record: number): number {
    return this.links[record]!;
  }
}

/** A copy of the array at twice its length, the new half filled with `fill`. */
export function grownInt32(array: Int32Array<ArrayBuffer>, fill = 0): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
