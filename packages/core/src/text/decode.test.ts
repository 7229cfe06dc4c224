import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodedChunks, detectEncoding, wholeCharacters } from './decode.js';

const CHUNK = 1 << 20; // the read size of detectEncoding, and 8 of decodedChunks' 128 KB: a boundary of both

async function fileOf(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wmo-decode-'));
  const file = path.join(dir, 'data.csv');
  await writeFile(file, bytes);
  return file;
}

async function textOf(file: string): Promise<string> {
  const { encoding } = await detectEncoding(file);
  let text = '';
  for await (const chunk of decodedChunks(file, encoding)) text += chunk;
  return text;
}

/** ASCII filler of `length` bytes with a line end every 40 bytes. */
const filler = (length: number) => Array.from({ length }, (_, i) => (i % 40 === 39 ? '\n' : 'a')).join('');

describe('wholeCharacters', () => {
  it('holds back a character that the end of the bytes cuts, and nothing else', () => {
    const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
    const cut = (text: string, drop: number) => utf8(text).subarray(0, utf8(text).length - drop);
    expect(wholeCharacters(utf8('abc'))).toBe(3);
    expect(wholeCharacters(utf8('aé'))).toBe(3); // é = C3 A9, complete
    expect(wholeCharacters(cut('aé', 1))).toBe(1); // only C3 left: wait for A9
    expect(wholeCharacters(utf8('a€'))).toBe(4); // € = E2 82 AC
    expect(wholeCharacters(cut('a€', 1))).toBe(1); // E2 82 of three
    expect(wholeCharacters(cut('a€', 2))).toBe(1); // E2 of three
    expect(wholeCharacters(utf8('a😀'))).toBe(5); // F0 9F 98 80
    expect(wholeCharacters(cut('a😀', 1))).toBe(1); // three of four
    expect(wholeCharacters(new Uint8Array([]))).toBe(0);
  });
});

describe('detectEncoding and decodedChunks', () => {
  it('reads UTF-8 whose characters cross the chunk boundary, with and without BOM', async () => {
    // "€" (3 bytes) starts 1 byte before the first boundary, "😀" (4 bytes) 3 bytes before the
    // second: (CHUNK − 1) + 3 + (CHUNK − 5) = 2 × CHUNK − 3 bytes come before it; with a BOM the
    // first filler is 3 bytes shorter, so that the same bytes cross the same boundaries
    for (const bom of [false, true]) {
      const text = `${filler(CHUNK - 1 - (bom ? 3 : 0))}€${filler(CHUNK - 5)}😀;é\n`;
      const body = Buffer.from(text, 'utf8');
      const file = await fileOf(bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
      expect(await detectEncoding(file)).toEqual({ encoding: 'utf-8', bom });
      expect(await textOf(file)).toBe(text);
    }
  });

  it('keeps a U+FEFF that is not at the start of the file', async () => {
    // the second chunk begins with EF BB BF: a character of the text there, not a BOM
    const text = `${filler(CHUNK)}\uFEFFx\n`;
    const file = await fileOf(Buffer.from(text, 'utf8'));
    expect(await textOf(file)).toBe(text);
  });

  it('takes a file that is not valid UTF-8 as Windows-1252', async () => {
    // Excel's export: é = E9, € = 80 in Windows-1252; E9 followed by ";" is no UTF-8 sequence
    const file = await fileOf(Buffer.concat([Buffer.from(filler(CHUNK + 10), 'latin1'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x3b, 0x80, 0x0a])]));
    expect(await detectEncoding(file)).toEqual({ encoding: 'windows-1252', bom: false });
    expect((await textOf(file)).slice(-7)).toBe('Café;€\n');
  });

  it('takes a file that ends inside a UTF-8 character as Windows-1252', async () => {
    // "a" then E2 82: the first two bytes of "€", cut off by the end of the file
    const file = await fileOf(new Uint8Array([0x61, 0xe2, 0x82]));
    expect((await detectEncoding(file)).encoding).toBe('windows-1252');
  });

  it('reads files shorter than a BOM, and an empty file', async () => {
    expect(await textOf(await fileOf(new Uint8Array([0x61])))).toBe('a');
    expect(await textOf(await fileOf(new Uint8Array([0xef, 0xbb, 0xbf])))).toBe('');
    expect(await textOf(await fileOf(new Uint8Array([])))).toBe('');
  });
});
