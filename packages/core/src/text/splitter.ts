/**
 * Splits delimited text into rows, chunk by chunk, as municipal systems write it: a one-character
 * separator, `"` quoting with `""` for a quote inside, separators and line breaks inside quoted
 * fields, CR LF, LF or CR line ends, empty lines skipped. A quote inside an unquoted field is an
 * ordinary character (Excel writes `12" monitor` unquoted). Every row carries the 1-based line
 * number its first line has in the file.
 *
 * Written for the hot path of the csv-export adapter: csv-parse read the generic export at
 * 4.3 MB/s here (its per-record info objects and stream events). Most lines have no quote: their
 * separators are found with `indexOf` and the rows given as positions in the chunk (RowView),
 * about 100 MB/s with the decoding (the benchmark's scale-10 export, 66 MB, in 0.65–0.85 s). The
 * rare quoted row goes through a character loop.
 */
export class UnclosedQuoteError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * The rows of one chunk as positions in its text, for readers of files of millions of lines: a
 * field becomes a string only when the reader asks for it (and a reader can parse a number or a
 * date, or find a repeated value, from the characters without one). Row r has the fields
 * `first(r)` up to `first(r + 1)`; field k runs from `start(k)` up to `end(k)` in `text`. The
 * fields of a row with quotes are unquoted strings instead (`start(k)` is -1).
 */
export class RowView {
  text = '';
  /** The number of rows. */
  count = 0;
  /** The first row to read: 1 in the view that starts with the header line, else 0. */
  firstRow = 0;
  private lines = new Int32Array(256);
  private firsts = new Int32Array(257);
  private bounds = new Int32Array(4096);
  private fieldTotal = 0;
  private readonly quotedFields = new Map<number, string>();

  constructor(private readonly delimiter: string) {}

  /** (The splitter's) empties the view for the next chunk, keeping its arrays. */
  reset(): this {
    this.text = '';
    this.count = 0;
    this.firstRow = 0;
    this.fieldTotal = 0;
    this.quotedFields.clear();
    return this;
  }

  /** The 1-based line number of row r in the file. */
  line(row: number): number {
    return this.lines[row]!;
  }

  /** The index of the first field of row r (fields are numbered through the whole chunk). */
  first(row: number): number {
    return this.firsts[row]!;
  }

  fieldCount(row: number): number {
    return this.firsts[row + 1]! - this.firsts[row]!;
  }

  /** Where field k starts in `text`, or -1 when it is an unquoted string (see `quotedField`). */
  start(field: number): number {
    return this.bounds[2 * field]!;
  }

  end(field: number): number {
    return this.bounds[2 * field + 1]!;
  }

  /** The value of field k as a string. */
  field(field: number): string {
    const start = this.bounds[2 * field]!;
    return start >= 0 ? this.text.slice(start, this.bounds[2 * field + 1]!) : this.quotedFields.get(field)!;
  }

  /** The fields of row r as strings. */
  fields(row: number): string[] {
    const first = this.firsts[row]!;
    const last = this.firsts[row + 1]! - 1;
    if (this.bounds[2 * first]! >= 0) return this.text.slice(this.bounds[2 * first]!, this.bounds[2 * last + 1]!).split(this.delimiter);
    const fields: string[] = [];
    for (let k = first; k <= last; k++) fields.push(this.field(k));
    return fields;
  }

  /** (The splitter's) a row without quotes: the characters from `from` up to `to`. */
  plain(from: number, to: number, line: number): void {
    const row = this.beginRow(line);
    const text = this.text;
    let start = from;
    for (let i = text.indexOf(this.delimiter, start); i >= 0 && i < to; i = text.indexOf(this.delimiter, start)) {
      this.addField(start, i);
      start = i + 1;
    }
    this.addField(start, to);
    this.firsts[row + 1] = this.fieldTotal;
  }

  /** (The splitter's) a row with quoted fields, its fields unquoted. */
  quoted(fields: string[], line: number): void {
    const row = this.beginRow(line);
    for (const value of fields) {
      this.quotedFields.set(this.fieldTotal, value);
      this.addField(-1, -1);
    }
    this.firsts[row + 1] = this.fieldTotal;
  }

  private beginRow(line: number): number {
    const row = this.count++;
    if (row + 1 >= this.lines.length) {
      const lines = new Int32Array(this.lines.length * 2);
      lines.set(this.lines);
      this.lines = lines;
      const firsts = new Int32Array(this.firsts.length * 2);
      firsts.set(this.firsts);
      this.firsts = firsts;
    }
    this.lines[row] = line;
    this.firsts[row] = this.fieldTotal;
    return row;
  }

  private addField(start: number, end: number): void {
    const k = 2 * this.fieldTotal++;
    if (k + 2 > this.bounds.length) {
      const bounds = new Int32Array(this.bounds.length * 2);
      bounds.set(this.bounds);
      this.bounds = bounds;
    }
    this.bounds[k] = start;
    this.bounds[k + 1] = end;
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class DelimitedSplitter {
  private carry = '';
  /**
   * One view for every chunk: its arrays grow to the rows of a chunk once, where a view per chunk
   * allocated some 500 KB in doubling steps (deliver at scale 50 from CSV: 1.8 GB over the run,
   * handed to glibc's arenas; docs/performance.md, optimisation 38).
   */
  private readonly view: RowView;
  private line: number;
  private readonly delimiterCode: number;
  /** '\n' for LF and CR LF files; '\r' for files with bare CR line ends (old Mac exports). */
  private newline: '\n' | '\r' | undefined;

  /** `firstLine`: the line number of the first line of the text (a part of a file starts later). */
  constructor(
    private readonly delimiter: string,
    firstLine = 1,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.line = firstLine;
    this.view = new RowView(delimiter);
  }

  /**
   * The complete rows of the text so far, as positions in it (see RowView); an incomplete last
   * row waits for the next chunk. The view is valid until the next `push` or `end`.
   */
  push(chunk: string): RowView {
    const view = this.view.reset();
    this.split(this.carry + chunk, false, view);
    return view;
  }

  /** The rows left at the end of the file (in the same view as `push`). */
  end(): RowView {
    const view = this.view.reset();
    this.split(this.carry, true, view);
    return view;
  }

  private split(text: string, final: boolean, rows: RowView): void {
    rows.text = text;
    const length = text.length;
    if (this.newline === undefined) {
      const lf = text.indexOf('\n');
      const cr = text.indexOf('\r');
      if (cr >= 0 && (lf < 0 || cr < lf - 1)) this.newline = '\r';
      else if (lf >= 0) this.newline = '\n';
      else if (!final) {
        this.carry = text; // no line end yet
        return;
      } else this.newline = '\n';
    }
    const newline = this.newline;
    const newlineCode = newline.charCodeAt(0);
    let pos = 0;
    let nextQuote = text.indexOf('"');
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === newlineCode || c === CR || c === LF) {
        // an empty line (or the LF of a CR LF pair split over two chunks)
        if (c === CR && newlineCode === LF) {
          if (pos + 1 >= length && !final) break;
          if (text.charCodeAt(pos + 1) === LF) pos++;
        }
        if (c === newlineCode || c === CR) this.line++;
        pos++;
        continue;
      }
      let end = text.indexOf(newline, pos);
      if (end < 0) {
        if (!final) break;
        end = length;
      }
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      if (nextQuote < 0 || nextQuote >= end) {
        const stop = newlineCode === LF && end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end;
        rows.plain(pos, stop, this.line);
        this.line++;
        pos = end + 1;
        continue;
      }
      const quoted = this.quotedRow(text, pos, final);
      if (!quoted) break;
      rows.quoted(quoted.fields, this.line);
      this.line += quoted.lines + 1;
      pos = quoted.next;
    }
    this.carry = pos < length ? text.slice(pos) : '';
  }

  /** A row with a quote somewhere: character by character. Undefined when the text ends inside it. */
  private quotedRow(text: string, start: number, final: boolean): { fields: string[]; lines: number; next: number } | undefined {
    const length = text.length;
    const fields: string[] = [];
    let lines = 0;
    let i = start;
    for (;;) {
      // one field starts at i
      if (i < length && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            if (!final) return undefined;
            throw new UnclosedQuoteError(this.line, 'a quoted field is not closed');
          }
          if (q + 1 >= length && !final) return undefined;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf(this.newline!); k >= 0; k = value.indexOf(this.newline!, k + 1)) lines++;
        fields.push(value);
        if (i >= length) {
          if (!final) return undefined;
          return { fields, lines, next: i };
        }
        const c = text.charCodeAt(i);
        if (c === this.delimiterCode) {
          i++;
          continue;
        }
        if (this.isRowEnd(text, i)) return this.rowEnd(text, i, fields, lines, final);
        throw new UnclosedQuoteError(this.line + lines, `a closing quote is followed by ${JSON.stringify(text[i])} instead of the separator or the line end`);
      }
      // an unquoted field: up to the separator or the line end
      let j = i;
      while (j < length && text.charCodeAt(j) !== this.delimiterCode && !this.isRowEnd(text, j)) j++;
      fields.push(text.slice(i, j));
      if (j >= length) {
        if (!final) return undefined;
        return { fields, lines, next: j };
      }
      if (text.charCodeAt(j) === this.delimiterCode) {
        i = j + 1;
        continue;
      }
      return this.rowEnd(text, j, fields, lines, final);
    }
  }

  /** The line end at i: the newline character, or CR of a CR LF pair (or CR at the end of the text). */
  private isRowEnd(text: string, i: number): boolean {
    const c = text.charCodeAt(i);
    if (c === this.newline!.charCodeAt(0)) return true;
    return c === CR && (i + 1 >= text.length || text.charCodeAt(i + 1) === LF);
  }

  private rowEnd(text: string, i: number, fields: string[], lines: number, final: boolean): { fields: string[]; lines: number; next: number } | undefined {
    if (text.charCodeAt(i) === CR && this.newline === '\n') {
      if (i + 1 >= text.length) {
        if (!final) return undefined;
        return { fields, lines, next: i + 1 };
      }
      if (text.charCodeAt(i + 1) === LF) return { fields, lines, next: i + 2 };
    }
    return { fields, lines, next: i + 1 };
  }
}
