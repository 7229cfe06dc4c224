import { open, type FileHandle } from 'node:fs/promises';

/**
 * A file's bytes, chunk by chunk, read into one buffer that every chunk uses again.
 *
 * A read stream allocates a new buffer for every chunk, and a buffer is freed only when the heap
 * of its thread next collects. glibc serves allocations of 128 KB to 32 MB from its arenas once
 * it has freed one of that size (its mmap threshold rises), and an arena keeps what it once held
 * (docs/performance.md, optimisation 38: with the threshold fixed, deliver at scale 50 from CSV
 * peaked about 45 MB lower). One buffer per reader allocates nothing per chunk.
 *
 * A chunk is valid until the next call of `next`; a caller copies what it keeps longer, or asks
 * `next` to keep the end of the chunk in front of the next one.
 */
export class ChunkReader {
  private buffer: Buffer;
  private length = 0;
  private position: number;
  private readonly end: number;

  private constructor(
    private readonly handle: FileHandle,
    chunkBytes: number,
    range: { start: number; end: number } | undefined,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(chunkBytes);
    this.position = range?.start ?? 0;
    this.end = range?.end ?? Infinity;
  }

  /**
   * Opens `file` (a missing or unreadable file throws node's error, with its code); `range`: the
   * bytes from start up to (not including) end.
   */
  static async open(file: string, chunkBytes: number, range?: { start: number; end: number }): Promise<ChunkReader> {
    return new ChunkReader(await open(file, 'r'), chunkBytes, range);
  }

  /**
   * The next chunk: the bytes of the chunk before from `keepFrom` on (none by default), then up to
   * `chunkBytes` less those read from the file. Undefined at the end of the file or range; the kept
   * bytes are then `rest`. The buffer doubles only when the kept bytes fill it.
   */
  async next(keepFrom = this.length): Promise<Buffer | undefined> {
    const kept = this.length - keepFrom;
    if (kept === this.buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * this.buffer.length);
      this.buffer.copy(bigger, 0, keepFrom, this.length);
      this.buffer = bigger;
    } else if (kept > 0 && keepFrom > 0) this.buffer.copyWithin(0, keepFrom, this.length);
    this.length = kept;
    const wanted = Math.min(this.buffer.length - kept, this.end - this.position);
    if (wanted <= 0) return undefined;
    const { bytesRead } = await this.handle.read(this.buffer, kept, wanted, this.position);
    if (bytesRead === 0) return undefined;
    this.position += bytesRead;
    this.length = kept + bytesRead;
    return this.buffer.subarray(0, this.length);
  }

  /** After `next` gave undefined: the bytes it kept of the last chunk. */
  get rest(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The chunks of a file (or of the bytes from start up to end), each valid until the next; closed when the loop ends. */
export async function* fileChunks(file: string, chunkBytes: number, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
  const reader = await ChunkReader.open(file, chunkBytes, range);
  try {
    for (let chunk = await reader.next(); chunk !== undefined; chunk = await reader.next()) yield chunk;
  } finally {
    await reader.close();
  }
}
