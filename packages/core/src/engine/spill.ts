import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WmoError } from '../errors.js';

/**
 * An append-only temporary file for the engine's per-line columns once a run is large (see
 * PerformanceStore): written once, read back by position. It is made only when needed, with a
 * random name that no other file has (`wx`), readable by its owner only, and removed from its
 * folder at once where the system allows it (on Linux and macOS it is gone when the process ends,
 * however it ends); else when it is closed. It holds line numbers, amounts, day numbers, the
 * providers' references and internal ids, never a BSN, name or birth date.
 */
export class SpillFile {
  private fd = -1;
  /** The file's path while it still has one (a system that cannot remove an open file). */
  private leftAt: string | undefined;
  private size = 0;

  constructor(readonly directory = os.tmpdir()) {}

  /** Writes `bytes` at the end of the file; returns where they start. */
  append(bytes: Uint8Array): number {
    if (this.fd < 0) this.open();
    const at = this.size;
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    } catch (error) {
      throw this.failed('write to', error);
    }
    this.size += bytes.length;
    return at;
  }

  /** Reads `length` bytes from `position` into `into` at `offset`. */
  read(into: Uint8Array, offset: number, length: number, position: number): void {
    try {
      for (let done = 0; done < length; ) {
        const read = readSync(this.fd, into, offset + done, length - done, position + done);
        if (read === 0) throw new Error('it ended early');
        done += read;
      }
    } catch (error) {
      throw this.failed('read from', error);
    }
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    if (this.leftAt !== undefined) {
      try {
        unlinkSync(this.leftAt);
      } catch {
        // nothing left to do: the folder is the system's temporary folder
      }
      this.leftAt = undefined;
    }
  }

  private open(): void {
    const file = path.join(this.directory, `wmo-engine-${randomBytes(8).toString('hex')}.tmp`);
    try {
      this.fd = openSync(file, 'wx+', 0o600);
    } catch (error) {
      throw this.failed('create', error);
    }
    try {
      unlinkSync(file);
    } catch {
      this.leftAt = file; // Windows: an open file cannot be removed; close() does it
    }
  }

  private failed(what: string, error: unknown): WmoError {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return new WmoError(`The engine could not ${what} its temporary file in ${this.directory} (${code}); set TMPDIR to a folder with room for about 45 bytes a declaration line.`, {
      code: 'internal',
      cause: error,
    });
  }
}
