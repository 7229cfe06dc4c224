import { describe, expect, it } from 'vitest';
import { DelimitedSplitter, UnclosedQuoteError, type RowView } from './splitter.js';

interface SplitRow {
  line: number;
  fields: string[];
}

/** The rows of a view: each field through its positions (or its string when quoted), checked against `fields(r)`. */
function rowsOf(view: RowView): SplitRow[] {
  const rows: SplitRow[] = [];
  for (let r = view.firstRow; r < view.count; r++) {
    const fields: string[] = [];
    for (let k = view.first(r); k < view.first(r) + view.fieldCount(r); k++) {
      fields.push(view.start(k) >= 0 ? view.text.slice(view.start(k), view.end(k)) : view.field(k));
    }
    expect(view.fields(r)).toEqual(fields);
    rows.push({ line: view.line(r), fields });
  }
  return rows;
}

/** Splits the text fed in the given pieces (to cross every chunk boundary). */
function split(pieces: string[], delimiter = ';'): SplitRow[] {
  const s = new DelimitedSplitter(delimiter);
  return [...pieces.flatMap((p) => rowsOf(s.push(p))), ...rowsOf(s.end())];
}

/** Every way of cutting the text into two chunks gives the same rows as one chunk. */
function everyCut(text: string, delimiter = ';'): SplitRow[] {
  const whole = split([text], delimiter);
  for (let i = 0; i <= text.length; i++) expect(split([text.slice(0, i), text.slice(i)], delimiter)).toEqual(whole);
  // and one character at a time
  expect(split([...text], delimiter)).toEqual(whole);
  return whole;
}

describe('DelimitedSplitter', () => {
  it('cuts plain rows with their line numbers, LF and CR LF, and skips empty lines', () => {
    expect(everyCut('a;b;c\r\n1;2;3\r\n\r\n4;;6\r\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      // line 3 is empty
      { line: 4, fields: ['4', '', '6'] },
    ]);
    expect(everyCut('a,b\n\n\n1,2', ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] }, // no line end after the last row
    ]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks; the next row counts the lines', () => {
    const rows = everyCut('x;y\r\n"a;b";"say ""hi"""\r\n"two\r\nlines";z\r\n3;4\r\n');
    expect(rows).toEqual([
      { line: 1, fields: ['x', 'y'] },
      { line: 2, fields: ['a;b', 'say "hi"'] },
      { line: 3, fields: ['two\r\nlines', 'z'] }, // spans lines 3 and 4
      { line: 5, fields: ['3', '4'] },
    ]);
  });

  it('keeps a quote inside an unquoted field as a character, and an empty quoted field as empty', () => {
    expect(everyCut('12" monitor;"";x\n')).toEqual([{ line: 1, fields: ['12" monitor', '', 'x'] }]);
  });

  it('reads files with bare CR line ends', () => {
    expect(everyCut('a;b\r1;2\r\r3;4\r')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]);
  });

  it('gives a view of many rows (its arrays grow)', () => {
    // 1,000 rows of 20 fields: beyond the 256 rows and 4,096 field bounds a view starts with
    const text = Array.from({ length: 1000 }, (_, r) => Array.from({ length: 20 }, (_, f) => (r === 500 && f === 3 ? '"a;b"' : `${r}.${f}`)).join(';')).join('\r\n');
    const rows = split([text]);
    expect(rows).toHaveLength(1000);
    expect(rows[500]!.fields[3]).toBe('a;b');
    expect(rows[999]).toEqual({ line: 1000, fields: Array.from({ length: 20 }, (_, f) => `999.${f}`) });
    expect(split([text.slice(0, 7777), text.slice(7777)])).toEqual(rows);
  });

  it('gives every chunk in the same view, emptied of the chunk before', () => {
    const s = new DelimitedSplitter(';');
    // a first chunk of 300 rows (past the 256 a view starts with) with a quoted field in row 2
    const many = Array.from({ length: 300 }, (_, r) => (r === 1 ? '1;"x;y"' : `${r};v${r}`)).join('\n') + '\n';
    const first = s.push(many);
    expect(first.count).toBe(300);
    expect(first.field(first.first(1) + 1)).toBe('x;y');
    first.firstRow = 1; // as a reader skipping the header sets it
    // then a chunk of two plain rows: the same object, with only these rows, read from row 0
    const second = s.push('a;b\nc;d\n');
    expect(second).toBe(first);
    expect(second.firstRow).toBe(0);
    expect(rowsOf(second)).toEqual([
      { line: 301, fields: ['a', 'b'] },
      { line: 302, fields: ['c', 'd'] },
    ]);
    // a quoted row again: the field numbers of the first chunk are not taken for quoted ones
    expect(rowsOf(s.push('"e";f\n'))).toEqual([{ line: 303, fields: ['e', 'f'] }]);
    expect(s.end()).toBe(first);
    expect(s.end().count).toBe(0);
  });

  it('reports an unclosed quote with the line where its row starts', () => {
    const s = new DelimitedSplitter(';');
    expect(rowsOf(s.push('a;b\n1;2\n"open;3\nmore\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(() => s.end()).toThrow(UnclosedQuoteError);
    const t = new DelimitedSplitter(';');
    const error = (() => {
      try {
        t.push('a\n"x"y\n');
        t.end();
      } catch (e) {
        return e as UnclosedQuoteError;
      }
      return undefined;
    })();
    expect(error?.line).toBe(2);
    expect(error?.reason).toMatch(/closing quote is followed by "y"/);
  });
});
