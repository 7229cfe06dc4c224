import { SPECIFICATION_VERSION, type CodeList } from './contracts.js';
import { readCodeList } from './adapter-boundary.js';
import { codeListEntrySchema, type CodeListEntry } from './records.js';
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

/**
 * A code list held in the package itself (typed in from a regional document). Validates every
 * entry and refuses a code given twice at load time, so that a typing error fails the package's
 * own tests rather than a delivery.
 */
export function defineCodeList(definition: { id: string; description: string; entries: readonly CodeListEntry[] }): CodeList {
  const seen = new Set<string>();
  for (const entry of definition.entries) {
    const result = codeListEntrySchema.safeParse(entry);
    if (!result.success) {
      throw new WmoError(`Code list ${definition.id}: entry ${JSON.stringify(entry.code)} is invalid (${result.error.issues[0]?.message}).`, { code: 'adapter-contract', adapterId: definition.id });
    }
    if (seen.has(entry.code)) {
      throw new WmoError(`Code list ${definition.id} gives product code ${entry.code} twice.`, { code: 'adapter-contract', adapterId: definition.id });
    }
    seen.add(entry.code);
  }
  const entries = [...definition.entries];
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: definition.id,
    kind: 'codelist',
    description: definition.description,
    read: () => [entries.map((entry) => ({ type: 'entry' as const, entry }))],
  };
}
