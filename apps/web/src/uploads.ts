import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';

/** A refused upload: the API answers with its status and this one sentence. */
export class UploadError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A file name from an upload, reduced to a safe base name (no folders, no dots in front). */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '');
  return clean || 'upload';
}

/**
 * Streams one uploaded file to disk, counting bytes against the upload's limit: nothing is held
 * in memory, and an oversized upload stops at the limit.
 */
export async function saveStream(stream: NodeJS.ReadableStream, target: string, budget: { left: number; limit: number }): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      budget.left -= chunk.length;
      if (budget.left < 0) callback(new UploadError(413, `The upload is larger than the limit of ${Math.round(budget.limit / 1e6)} MB.`));
      else callback(null, chunk);
    },
  });
  await mkdir(path.dirname(target), { recursive: true });
  await pipeline(stream, counter, createWriteStream(target, { flags: 'wx' }));
  return bytes;
}

/**
 * Extracts a zip into `dir`, entry by entry, streaming. An entry with `..`, an absolute path or a
 * drive letter is refused (zip slip); so is a zip whose content exceeds the upload limit (zip bomb).
 */
export async function extractZip(zipFile: string, dir: string, budget: { left: number; limit: number }): Promise<number> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, file) => (error ? reject(error) : resolve(file!))),
  ).catch((error: Error) => {
    throw new UploadError(400, `The zip file ${path.basename(zipFile)} cannot be read (${error.message.replace(/\.$/, '')}); it may be cut off.`);
  });
  let files = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => {
        // yauzl itself refuses entry names that leave the folder (zip slip)
        const slip = /^(invalid relative path|absolute path): (.*)$/.exec(error.message);
        reject(
          slip
            ? new UploadError(400, `The zip entry ${JSON.stringify(slip[2])} is refused: it points outside the zip (.. or an absolute path).`)
            : new UploadError(400, `The zip file ${path.basename(zipFile)} cannot be read (${error.message.replace(/\.$/, '')}); it may be cut off.`),
        );
      });
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.split(/[\\/]/).includes('..') || name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) {
          reject(new UploadError(400, `The zip entry ${JSON.stringify(name)} is refused: it points outside the zip (.. or an absolute path).`));
          return;
        }
        if (name.endsWith('/')) {
          zip.readEntry();
          return;
        }
        budget.left -= entry.uncompressedSize;
        if (budget.left < 0) {
          reject(new UploadError(413, `The content of the zip is larger than the limit of ${Math.round(budget.limit / 1e6)} MB.`));
          return;
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) {
            reject(new UploadError(400, `The zip entry ${JSON.stringify(name)} cannot be read; the zip may be cut off.`));
            return;
          }
          const target = path.join(dir, ...name.split(/[\\/]/).map(safeName));
          mkdir(path.dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target, { flags: 'wx' })))
            .then(() => {
              files++;
              zip.readEntry();
            })
            .catch(() => reject(new UploadError(400, `The zip entry ${JSON.stringify(name)} cannot be read; the zip may be cut off.`)));
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return files;
}
