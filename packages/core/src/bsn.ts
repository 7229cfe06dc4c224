import { createHmac, randomBytes } from 'node:crypto';

/**
 * The BSN 11-proef (elfproef): nine digits d1..d9 with 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by
 * 11. No library on npm does only this, and it is five lines.
 */
export function isValidBsn(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (bsn.charCodeAt(i) - 48);
  sum -= bsn.charCodeAt(8) - 48;
  return sum % 11 === 0 && bsn !== '000000000';
}

/**
 * Pseudonymous client keys for reports (domain.md §6): a keyed hash (HMAC-SHA-256) of the BSN,
 * shortened to 16 hex characters. Without the secret a key cannot be traced back to a BSN; with
 * the same secret the same BSN always gets the same key, so an analyst who keeps the secret can
 * look a reported client up in the own administration.
 */
export type Pseudonymizer = (clientKey: string) => string;

export function createPseudonymizer(secret?: string | Uint8Array): Pseudonymizer {
  const key = secret ?? randomBytes(32);
  const cache = new Map<string, string>();
  return (clientKey) => {
    let pseudonym = cache.get(clientKey);
    if (pseudonym === undefined) {
      pseudonym = 'C-' + createHmac('sha256', key).update(clientKey).digest('hex').slice(0, 16);
      cache.set(clientKey, pseudonym);
    }
    return pseudonym;
  };
}
