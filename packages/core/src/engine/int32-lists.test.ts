import { describe, expect, it } from 'vitest';
import { Int32Lists } from './int32-lists.js';

const list = (lists: Int32Lists, owner: number) => {
  const records: number[][] = [];
  for (let r = lists.first(owner); r !== -1; r = lists.next(r)) records.push(Array.from(lists.fields.subarray(r * lists.width, (r + 1) * lists.width)));
  return records;
};

describe('Int32Lists', () => {
  it('keeps each owner its records in the order they were added, across the growth of its arrays', () => {
    const lists = new Int32Lists(2);
    // 3,000 records for owners 0, 5,000 and 2 in turn: past the 1,024 records and owners the arrays start with
    const owners = [0, 5000, 2];
    for (let i = 0; i < 3000; i++) {
      const at = lists.add(owners[i % 3]!) * 2;
      lists.fields[at] = i;
      lists.fields[at + 1] = -i;
    }
    expect(list(lists, 5000)).toHaveLength(1000);
    expect(list(lists, 5000).slice(0, 2)).toEqual([[1, -1], [4, -4]]); // i = 1, 4, 7 … (i % 3 = 1)
    expect(list(lists, 2).at(-1)).toEqual([2999, -2999]);
    expect(list(lists, 0).map(([i]) => i).every((i, k) => i === 3 * k)).toBe(true);
    expect(list(lists, 1)).toEqual([]); // an owner below the highest, without records
    expect(list(lists, 4999)).toEqual([]); // the same, in the part of the arrays added by their growth
    expect(list(lists, 9999)).toEqual([]); // an owner beyond the arrays
  });
});
