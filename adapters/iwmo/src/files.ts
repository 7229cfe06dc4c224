import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { WmoError } from '@wmo-toolkit/core';

/**
 * The files under the given paths: files as given, folders read recursively. Hidden files and
 * folders (name starting with a dot) are passed over. Sorted, so that every run reads in the
 * same order.
 */
export async function listFiles(paths: readonly string[], adapterId: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (entry: string, given: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(entry);
    } catch (error) {
      throw new WmoError(`${entry} does not exist or cannot be read.`, { code: 'input-unreadable', adapterId, location: { file: entry }, cause: error });
    }
    if (info.isDirectory()) {
      const names = (await readdir(entry)).filter((name) => !name.startsWith('.')).sort();
      for (const name of names) await visit(path.join(entry, name), false);
    } else if (info.isFile()) {
      if (given || !path.basename(entry).startsWith('.')) files.push(entry);
    }
  };
  for (const p of paths) await visit(p, true);
  return [...new Set(files)].sort();
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
