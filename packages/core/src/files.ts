import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WmoError } from './errors.js';
import { nextSequenceNumber, qsd301FileName } from './qsd301/file-name.js';

/**
 * Writes `content` to `target` without ever overwriting and without leaving a half-written file:
 * the content goes to a temporary file in the same folder, which is then hard-linked to the
 * target name (link fails when the target exists — no race with another run) and removed.
 */
export async function writeNewFile(target: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temporary, content, { flag: 'wx' });
  try {
    await link(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new WmoError(`${target} already exists; a delivery is never overwritten.`, { code: 'usage', location: { file: target } });
    }
    // File systems without hard links: fall back to rename, after checking the name is free.
    if ((error as NodeJS.ErrnoException).code === 'EPERM' || (error as NodeJS.ErrnoException).code === 'ENOTSUP') {
      await rename(temporary, target);
      return;
    }
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

export interface DeliveryFileNames {
  sequence: number;
  csv: string;
  reportJson: string;
  reportHtml: string;
}

/**
 * The names of a delivery in `dir` (interfaces.md): `WMO_<gemeente>_<year>_<YYYYMMDD>_<NN>.csv`
 * with `.report.json` and `.report.html` beside it; NN is the given sequence number, or one more
 * than the highest already in `dir` for that gemeente and year.
 */
export async function deliveryFileNames(dir: string, municipalityCode: string, year: number, deliveryDate: string, sequence?: number): Promise<DeliveryFileNames> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  const nn = sequence ?? nextSequenceNumber(existing, municipalityCode, year);
  const csv = path.join(dir, qsd301FileName(municipalityCode, year, deliveryDate, nn));
  const stem = csv.slice(0, -'.csv'.length);
  return { sequence: nn, csv, reportJson: `${stem}.report.json`, reportHtml: `${stem}.report.html` };
}

/**
 * The files under the given paths, for sources that take "files or folders": a file given is
 * taken as it is; folders are read recursively, passing over hidden entries (a name starting with
 * a dot) and, with `accept`, names it refuses. Sorted and without repeats, so that every run reads
 * in the same order; with the size of each file (for progress displays).
 */
export async function listFiles(paths: readonly string[], options: { adapterId?: string; accept?: (name: string) => boolean } = {}): Promise<{ path: string; bytes: number }[]> {
  const files = new Map<string, number>();
  const visit = async (entry: string, given: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(entry);
    } catch (error) {
      throw new WmoError(`${entry} does not exist or cannot be read.`, {
        code: 'input-unreadable',
        ...(options.adapterId ? { adapterId: options.adapterId } : {}),
        location: { file: entry },
        cause: error,
      });
    }
    if (info.isDirectory()) {
      const names = (await readdir(entry)).filter((name) => !name.startsWith('.')).sort();
      for (const name of names) await visit(path.join(entry, name), false);
    } else if (info.isFile() && (given || !options.accept || options.accept(path.basename(entry)))) {
      files.set(entry, info.size);
    }
  };
  for (const p of paths) await visit(p, true);
  return [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, bytes]) => ({ path: file, bytes }));
}
