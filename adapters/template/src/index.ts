/**
 * TEMPLATE ADAPTER — copy this folder to start an adapter for your own source system.
 * See docs/adding-an-adapter.md for the checklist. Search for "TODO" to find what to change.
 *
 * This example reads a region's own export of approved declaration lines:
 *
 *   gemeente;agb;factuur;regel;bsn;categorie;productcode;van;tot;bedrag_cent
 *   0405;87654321;F1;1;999990019;01;01001;2023-03-01;2023-03-31;30000
 *
 * A negative amount is a credit; `regel` is the line's reference number within the provider.
 */
import { SPECIFICATION_VERSION, WmoError, openDelimited, warning, type DeclarationItem, type DeclarationSource } from '@wmo-toolkit/core';

// TODO: your adapter's id: kebab-case, equal to your package's folder name.
export const ADAPTER_ID = 'template';

export interface TemplateOptions {
  /** The export files to read. */
  paths: readonly string[];
}

const COLUMNS = ['gemeente', 'agb', 'factuur', 'regel', 'bsn', 'categorie', 'productcode', 'van', 'tot', 'bedrag_cent'] as const;

/** The factory: a plain function returning the adapter object (no class, no registration). */
export function templateSource(options: TemplateOptions): DeclarationSource {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'declarations',
    description: 'example: a region export of approved declaration lines',
    read: () => readLines(options.paths),
  };
}

/** `wmo deliver --adapter <this module>` calls the default export with `{ paths }`. */
export default templateSource;

async function* readLines(paths: readonly string[]): AsyncGenerator<DeclarationItem[]> {
  for (const file of paths) {
    const table = await openDelimited(file, { adapterId: ADAPTER_ID });
    const missing = COLUMNS.filter((c) => !table.header.includes(c));
    if (missing.length > 0) {
      // Errors: one sentence naming the file and line, never a BSN.
      throw new WmoError(`${file} line 1: the header lacks ${missing.join(', ')}.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file, line: 1 } });
    }
    const at = (name: (typeof COLUMNS)[number]) => table.header.indexOf(name);
    const batch: DeclarationItem[] = [];
    for await (const { line, fields } of table.rows) {
      const get = (name: (typeof COLUMNS)[number]) => (fields[at(name)] ?? '').trim();
      const cents = Number(get('bedrag_cent'));
      if (!Number.isInteger(cents)) {
        // Odd but not fatal: a typed warning with the data, never console.log.
        batch.push({ type: 'warning', warning: warning('malformed-row', `${file} line ${line}: bedrag_cent is not a whole number; the row is skipped`, { file, line }) });
        continue;
      }
      batch.push({
        type: 'performance',
        performance: {
          municipality: get('gemeente'),
          provider: get('agb'),
          declarationId: get('factuur'),
          reference: get('regel'),
          clientKey: get('bsn'),
          category: get('categorie') || null,
          productCode: get('productcode') || null,
          periodStart: get('van'),
          periodEnd: get('tot'),
          volume: 0,
          unit: '',
          amountCents: cents,
          debitCredit: cents < 0 ? 'C' : 'D',
          source: { file, line },
        },
      });
    }
    // Stream: yield batches; the core validates every record and names your adapter on errors.
    yield batch;
  }
}
