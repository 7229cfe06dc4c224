import { isAscii, isUtf8 } from 'node:buffer';
import { ChunkReader, fileChunks } from './chunks.js';

/**
 * Text files from municipal systems come as UTF-8 (with or without BOM) or Windows-1252 (Excel's
 * "CSV (gescheiden door lijstscheidingsteken)"). The encoding is decided on the whole file: one
 * fast pass checks that every byte sequence is valid UTF-8; if not, the file is Windows-1252.
 */
export type TextEncoding = 'utf-8' | 'windows-1252';

/**
 * The length of the part of `bytes` that ends on a whole UTF-8 character: a sequence whose lead
 * byte is among the last three bytes and that needs more bytes than follow it is left for the next
 * chunk. (Anything else that is wrong is for the validator to find.)
 */
export function wholeCharacters(bytes: Uint8Array): number {
  const length = bytes.length;
  let i = length - 1;
  while (i >= 0 && length - i <= 3 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < 0 || length - i > 4) return length;
  const lead = bytes[i]!;
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - i < needs ? i : length;
}

/** True when the bytes begin with the UTF-8 byte order mark EF BB BF. */
function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export async function detectEncoding(file: string): Promise<{ encoding: TextEncoding; bom: boolean }> {
  // Node's native validator (no text is made; measured: 66 MB in 0.1 s against 0.6 s for a
  // fatal TextDecoder); a character cut by a chunk boundary is checked with the next chunk.
  let first = true;
  let bom = false;
  const reader = await ChunkReader.open(file, 1 << 20);
  try {
    let keepFrom: number | undefined;
    for (let bytes = await reader.next(); bytes !== undefined; bytes = await reader.next(keepFrom)) {
      if (first) {
        bom = startsWithBom(bytes);
        first = false;
      }
      keepFrom = wholeCharacters(bytes);
      if (!isUtf8(bytes.subarray(0, keepFrom))) return { encoding: 'windows-1252', bom: false };
    }
    // the file ends inside a character
    if (reader.rest.length > 0) return { encoding: 'windows-1252', bom: false };
  } finally {
    await reader.close();
  }
  return { encoding: 'utf-8', bom };
}

/**
 * Bytes decoded at a time, and so the rows of one view (one batch of columns for the csv-export).
 * 128 KB rather than 1 MB: deliver from CSV at scale 50 had a peak of 418–439 MB instead of
 * 531–534 MB (the two workers each hold less text and fewer buffers waiting for a collection),
 * at scale 10 about 50 MB less, in the same time (docs/performance.md, optimisation 30). And 120
 * rather than 128 KB: a text of 128 KB is one of V8's large objects, which a young-generation
 * collection does not copy but promotes at once, to wait in the old generation for a full
 * collection; a csv-export worker held 11-15 MB of them (optimisation 38).
 */
const TEXT_CHUNK_BYTES = 120 * 1024;

/**
 * The file's text in chunks, decoded, without BOM. A chunk of ASCII only (the usual export) is
 * made into text byte for byte, which is the same text in both encodings and three times faster
 * than the general decoder; other chunks go through TextDecoder. (A character that a chunk
 * boundary cuts makes both chunks non-ASCII, so the decoder holding its first bytes always gets
 * the rest.)
 */
export async function* decodedChunks(file: string, encoding: TextEncoding, range?: { start: number; end: number }): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true }); // the BOM is taken off below, once
  let first = range === undefined || range.start === 0;
  // `range`: the bytes from start up to (not including) end; the file's BOM only at byte 0
  for await (const chunk of fileChunks(file, TEXT_CHUNK_BYTES, range)) {
    let bytes = chunk;
    if (first) {
      first = false;
      if (encoding === 'utf-8' && startsWithBom(bytes)) bytes = bytes.subarray(3);
    }
    const text = isAscii(bytes) ? bytes.toString('latin1') : decoder.decode(plain(bytes), { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The bytes as a plain Uint8Array: Node 20's TextDecoder('windows-1252') decodes a Buffer given
 * without `stream` as Latin-1 (0x80 became U+0080 instead of €); a Uint8Array it decodes right.
 */
function plain(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The separator of a delimited text file, from its header line: `;`, `,` or a tab. */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  for (const ch of headerLine) if (ch === ';' || ch === ',' || ch === '\t') counts[ch]++;
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts[','] >= counts['\t'] && counts[','] > 0) return ',';
  return counts['\t'] > 0 ? '\t' : ';';
}
