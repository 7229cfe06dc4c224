import type { CodeList } from './contracts.js';
import { readCodeList } from './adapter-boundary.js';
import type { CodeListEntry } from './records.js';
import { WmoError } from './errors.js';

/** A loaded product code list: what the engine asks when a source gives a code without category. */
export interface CodeListLookup {
  id: string;
  get(productCode: string): CodeListEntry | undefined;
  readonly size: number;
}

export function codeListLookup(id: string, entries: Iterable<CodeListEntry>): CodeListLookup {
  const map = new Map<string, CodeListEntry>();
  for (const entry of entries) {
    const earlier = map.get(entry.code);
    if (earlier && (earlier.category !== entry.category || earlier.isWmo !== entry.isWmo)) {
      throw new WmoError(`Code list ${id} gives product code ${entry.code} twice with different categories (${earlier.category} and ${entry.category}).`, {
        code: 'input-conflict',
        adapterId: id,
      });
    }
    map.set(entry.code, entry);
  }
  return { id, get: (code) => map.get(code), size: map.size };
}

/** Reads a code-list adapter completely (code lists are small) into a lookup. */
export async function loadCodeList(adapter: CodeList): Promise<CodeListLookup> {
  const entries: CodeListEntry[] = [];
  for await (const item of readCodeList(adapter)) if (item.type === 'entry') entries.push(item.entry);
  return codeListLookup(adapter.id, entries);
}
