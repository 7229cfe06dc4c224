import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { WmoError } from '../errors.js';
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
  rows: AsyncGenerator<DelimitedRow>;
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
  // The header line decides the separator.
  let head = '';
  for await (const chunk of decodedChunks(file, encoding)) {
    head += chunk;
    if (head.includes('\n') || head.length > 65536) break;
  }
  const headerLine = head.split(/\r?\n/)[0] ?? '';
  const delimiter = options.delimiter ?? detectDelimiter(headerLine);
  const parser = Readable.from(decodedChunks(file, encoding)).pipe(
    parse({ delimiter, relax_column_count: true, skip_empty_lines: true, info: true, trim: false, relax_quotes: true }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  let first: IteratorResult<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw parseError(file, options.adapterId, error);
  }
  if (first.done) {
    throw new WmoError(`${file} is empty: it needs a header line.`, { code: 'input-invalid', adapterId: options.adapterId, location: { file, line: 1 } });
  }
  const header = first.value.record.map((h) => h.trim());
  async function* rows(): AsyncGenerator<DelimitedRow> {
    let previousEnd = first.value.info.lines;
    let previousEmpty = first.value.info.empty_lines;
    while (true) {
      let next: IteratorResult<{ record: string[]; info: { lines: number; empty_lines: number } }>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw parseError(file, options.adapterId, error);
      }
      if (next.done) return;
      const { record, info } = next.value;
      // info.lines is the line the record ends on (a quoted field may hold newlines); it starts
      // after the previous record's end, past the empty lines skipped in between.
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      yield { line, fields: record };
    }
  }
  return { file, encoding, delimiter, header, rows: rows() };
}

function parseError(file: string, adapterId: string, error: unknown): WmoError {
  const e = error as { message?: string; lines?: number; code?: string };
  const line = e.lines;
  const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed' : (e.message ?? String(error)).replace(/^Invalid .*?: /, '');
  return new WmoError(`${file}${line ? ` line ${line}` : ''}: the file cannot be read as delimited text: ${reason}.`, {
    code: 'input-invalid',
    adapterId,
    location: line ? { file, line } : { file },
    cause: error,
  });
}
