import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkReader, fileChunks } from './chunks.js';

async function fileWith(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'chunks-')), 'f.txt');
  await writeFile(file, text, 'latin1');
  return file;
}

describe('ChunkReader', () => {
  it('reads every chunk into the same buffer', async () => {
    // "abcdefghij" in chunks of 4 bytes: abcd, efgh, ij (10 = 4 + 4 + 2)
    const file = await fileWith('abcdefghij');
    const texts: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of fileChunks(file, 4)) {
      texts.push(chunk.toString('latin1'));
      buffers.add(chunk.buffer);
    }
    expect(texts).toEqual(['abcd', 'efgh', 'ij']);
    expect(buffers.size).toBe(1);
  });

  it('keeps the end of a chunk in front of the next one', async () => {
    const reader = await ChunkReader.open(await fileWith('abcdefghij'), 4);
    try {
      expect((await reader.next())!.toString('latin1')).toBe('abcd');
      // keep from index 2 ("cd"), then 4 − 2 = 2 new bytes: "cdef"
      expect((await reader.next(2))!.toString('latin1')).toBe('cdef');
      // keep from 3 ("f"), 3 new: "fghi"
      expect((await reader.next(3))!.toString('latin1')).toBe('fghi');
      // keep nothing: the last byte "j"
      expect((await reader.next())!.toString('latin1')).toBe('j');
      // keep "j": nothing more to read; the kept byte is the rest
      expect(await reader.next(0)).toBeUndefined();
      expect(reader.rest.toString('latin1')).toBe('j');
    } finally {
      await reader.close();
    }
  });

  it('doubles its buffer when the kept bytes fill it', async () => {
    const reader = await ChunkReader.open(await fileWith('abcdefghij'), 4);
    try {
      expect((await reader.next())!.toString('latin1')).toBe('abcd');
      // all 4 bytes kept: a buffer of 8, with 4 new bytes
      expect((await reader.next(0))!.toString('latin1')).toBe('abcdefgh');
      expect((await reader.next(8))!.toString('latin1')).toBe('ij');
      expect(await reader.next()).toBeUndefined();
      expect(reader.rest.length).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('reads only the bytes of a range', async () => {
    // bytes 2 up to 7 of "abcdefghij": "cdefg", in chunks of 3
    const texts: string[] = [];
    for await (const chunk of fileChunks(await fileWith('abcdefghij'), 3, { start: 2, end: 7 })) texts.push(chunk.toString('latin1'));
    expect(texts).toEqual(['cde', 'fg']);
  });

  it("gives node's error for a file that is not there", async () => {
    const missing = path.join(os.tmpdir(), 'chunks-no-such-dir', 'missing.txt');
    await expect(ChunkReader.open(missing, 4)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
