import { createReadStream } from 'node:fs';

/**
 * Text files from municipal systems come as UTF-8 (with or without BOM) or Windows-1252 (Excel's
 * "CSV (gescheiden door lijstscheidingsteken)"). The encoding is decided on the whole file: one
 * fast pass checks that every byte sequence is valid UTF-8; if not, the file is Windows-1252.
 */
export type TextEncoding = 'utf-8' | 'windows-1252';

export async function detectEncoding(file: string): Promise<{ encoding: TextEncoding; bom: boolean }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let bom = false;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      const bytes = chunk as Buffer;
      if (first) {
        bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
        first = false;
      }
      decoder.decode(bytes, { stream: true });
    }
    decoder.decode();
    return { encoding: 'utf-8', bom };
  } catch (error) {
    if (error instanceof TypeError) return { encoding: 'windows-1252', bom: false };
    throw error;
  }
}

/** The file's text in chunks, decoded, without BOM. */
export async function* decodedChunks(file: string, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The separator of a delimited text file, from its header line: `;`, `,` or a tab. */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  for (const ch of headerLine) if (ch === ';' || ch === ',' || ch === '\t') counts[ch]++;
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts[','] >= counts['\t'] && counts[','] > 0) return ',';
  return counts['\t'] > 0 ? '\t' : ';';
}
