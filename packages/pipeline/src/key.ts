import { readFile } from 'node:fs/promises';
import { WmoError } from '@wmo-toolkit/core';

/** The secret for the pseudonymous person keys: a file with at least 16 characters. */
export async function readKey(file: string): Promise<string> {
  let key: string;
  try {
    key = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new WmoError(`The key file ${file} cannot be read.`, { code: 'input-unreadable', location: { file }, cause: error });
  }
  if (key.length < 16) throw new WmoError(`The key file ${file} holds fewer than 16 characters; use a long random secret.`, { code: 'usage' });
  return key;
}
