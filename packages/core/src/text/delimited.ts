import { WmoError } from '../errors.js';
import { DelimitedSplitter, UnclosedQuoteError, type RowView } from './splitter.js';
import { decodedChunks, detectDelimiter, detectEncoding, type TextEncoding } from './decode.js';

export interface DelimitedRow {
  /** 1-based line number of the row's first line in the file. */
  line: number;
  fields: string[];
}

export interface DelimitedFile {
  file: string;
  encoding: TextEncoding;
  delimiter: string;
  /** Header names as written (trimmed). */
  header: string[];
  /** The rows after the header, one by one. Use one of `rows`, `batches` and `views`. */
  rows: AsyncGenerator<DelimitedRow>;
  /** The same rows in batches, for files of many lines. */
  batches: AsyncGenerator<DelimitedRow[]>;
  /**
   * The same rows as positions in the text, chunk by chunk, for readers of files of millions of
   * lines (see RowView); read the rows from `view.firstRow` (the first view starts with the header).
   */
  views: AsyncGenerator<RowView>;
  /** Closes the file without reading its rows (a reader that reads it otherwise, in parts). */
  close(): Promise<void>;
}

/**
 * Opens a delimited text file as municipal systems write them: UTF-8 with or without BOM or
 * Windows-1252, `;` `,` or tab (from the header line), CR LF or LF, quoted fields with embedded
 * separators and newlines, empty lines skipped. Rows stream with their line numbers; a row with a
 * different number of fields than the header is given as it is, for the caller to report.
 */
export async function openDelimited(file: string, options: { adapterId: string; delimiter?: string }): Promise<DelimitedFile> {
  let encoding: TextEncoding;
  try {
    ({ encoding } = await detectEncoding(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WmoError(`${file} cannot be read (${code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : code ?? String(error)}).`, {
      code: 'input-unreadable',
      adapterId: options.adapterId,
      location: { file },
      cause: error,
    });
  }
  // The header line decides the separator; the text read for it is the start of the rows.
  const chunks = decodedChunks(file, encoding);
  let head = '';
  let ended = false;
  while (!/[\r\n]/.test(head) && head.length <= 65536) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  const headerLine = head.split(/\r\n|\r|\n/)[0] ?? '';
  const delimiter = options.delimiter ?? detectDelimiter(headerLine);
  const splitter = new DelimitedSplitter(delimiter);
  const fail = (error: unknown) => splitError(file, options.adapterId, error);
  // Rows come in views of one chunk of about 128 KB each, so that a file of millions of lines does
  // not pay an await per row; `batches` and `rows` make strings of them for readers of small files.
  let done = false;
  let start: string | undefined = head;
  const nextView = async (): Promise<RowView | undefined> => {
    try {
      while (!done) {
        let view: RowView;
        if (start !== undefined) {
          view = splitter.push(start);
          start = undefined;
        } else {
          const next = ended ? { done: true as const, value: undefined } : await chunks.next();
          view = next.done ? splitter.end() : splitter.push(next.value);
          if (next.done) done = true;
        }
        if (view.count > 0) return view;
      }
      return undefined;
    } catch (error) {
      throw fail(error);
    }
  };
  const firstView = await nextView();
  if (!firstView) {
    throw new WmoError(`${file} is empty: it needs a header line.`, { code: 'input-invalid', adapterId: options.adapterId, location: { file, line: 1 } });
  }
  const header = firstView.fields(0).map((h) => h.trim());
  firstView.firstRow = 1;
  let pending: RowView | undefined = firstView;
  async function* views(): AsyncGenerator<RowView> {
    if (pending && pending.count > 1) yield pending;
    pending = undefined;
    for (let view = await nextView(); view; view = await nextView()) yield view;
  }
  async function* batches(): AsyncGenerator<DelimitedRow[]> {
    for await (const view of views()) {
      const rows: DelimitedRow[] = [];
      for (let r = view.firstRow; r < view.count; r++) rows.push({ line: view.line(r), fields: view.fields(r) });
      yield rows;
    }
  }
  async function* rows(): AsyncGenerator<DelimitedRow> {
    for await (const batch of batches()) yield* batch;
  }
  const close = async () => {
    done = true;
    await chunks.return(undefined);
  };
  return { file, encoding, delimiter, header, rows: rows(), batches: batches(), views: views(), close };
}

/** The splitter's error as the WmoError naming the file and line (other errors as they are). */
function splitError(file: string, adapterId: string, error: unknown): unknown {
  if (error instanceof UnclosedQuoteError) {
    return new WmoError(`${file} line ${error.line}: the file cannot be read as delimited text: ${error.reason}.`, {
      code: 'input-invalid',
      adapterId,
      location: { file, line: error.line },
    });
  }
  return error;
}

/**
 * The rows of a part of a delimited file — the bytes from `start` up to `end`, beginning at a line
 * start, its first line being line `firstLine` of the file — as views (see RowView), for a reader
 * that splits one big file over worker threads. The encoding and separator are the whole file's
 * (from `openDelimited`); a part that starts at byte 0 begins with the header line.
 */
export async function* delimitedPartViews(
  file: string,
  part: { encoding: TextEncoding; delimiter: string; start: number; end: number; firstLine: number; adapterId: string },
): AsyncGenerator<RowView> {
  const splitter = new DelimitedSplitter(part.delimiter, part.firstLine);
  try {
    for await (const chunk of decodedChunks(file, part.encoding, { start: part.start, end: part.end })) {
      const view = splitter.push(chunk);
      if (view.count > 0) yield view;
    }
    const view = splitter.end();
    if (view.count > 0) yield view;
  } catch (error) {
    throw splitError(file, part.adapterId, error);
  }
}
