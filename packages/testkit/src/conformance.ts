import { describe, expect, it } from 'vitest';
import {
  WmoError,
  checkAdapter,
  readClients,
  readCodeList,
  readDeclarations,
  readGeography,
  readArrangements,
  type AdapterKind,
  type AnyAdapter,
  type DeclarationReadOptions,
} from '@wmo-toolkit/core';

/**
 * The conformance suite every adapter runs (architecture.md "Tests"). Call it at the top level of
 * a vitest test file:
 *
 * ```ts
 * testAdapterConformance({
 *   kind: 'declarations',
 *   valid: () => iwmoSource({ paths: ['fixtures/ok'] }),
 *   empty: () => iwmoSource({ paths: ['fixtures/empty-folder'] }),
 *   malformed: () => iwmoSource({ paths: ['fixtures/broken.xml'] }),
 *   readOptions: { municipality: '0405' },
 * });
 * ```
 *
 * What is tested depends on what you pass (capabilities), never on test titles: without `empty`
 * the empty-input test is skipped, and so on.
 */
export interface ConformanceOptions<K extends AdapterKind> {
  kind: K;
  /** An adapter over valid input that yields at least one record. */
  valid: () => Extract<AnyAdapter, { kind: K }> | Promise<Extract<AnyAdapter, { kind: K }>>;
  /** An adapter over empty input (an empty folder, a file with only a header…): no records, no error. */
  empty?: () => Extract<AnyAdapter, { kind: K }> | Promise<Extract<AnyAdapter, { kind: K }>>;
  /** An adapter over malformed input: reading it must fail with a WmoError naming the adapter and the place. */
  malformed?: () => Extract<AnyAdapter, { kind: K }> | Promise<Extract<AnyAdapter, { kind: K }>>;
  /** Options for `read` of a declaration source. */
  readOptions?: DeclarationReadOptions;
  /** The least number of records the valid input yields. */
  minimumRecords?: number;
}

export interface ReadOutcome {
  records: unknown[];
  warnings: unknown[];
}

/** Reads an adapter completely through the core boundary (which validates every record). */
export async function readThroughCore(adapter: AnyAdapter, readOptions?: DeclarationReadOptions): Promise<ReadOutcome> {
  const records: unknown[] = [];
  const warnings: unknown[] = [];
  let stream: AsyncIterable<{ type: string }>;
  switch (adapter.kind) {
    case 'declarations':
      stream = readDeclarations(adapter, readOptions ?? { municipality: '0000' });
      break;
    case 'clients':
      stream = readClients(adapter);
      break;
    case 'geography':
      stream = readGeography(adapter);
      break;
    case 'codelist':
      stream = readCodeList(adapter);
      break;
    case 'arrangements':
      stream = readArrangements(adapter, { municipality: readOptions?.municipality ?? '0000' });
      break;
  }
  for await (const item of stream) {
    if (item.type === 'warning') warnings.push(item);
    else records.push(item);
  }
  return { records, warnings };
}

export function testAdapterConformance<K extends AdapterKind>(options: ConformanceOptions<K>): void {
  describe(`${options.kind} adapter conformance`, () => {
    it('has the contract shape: version stamp, kebab-case id, kind and read()', async () => {
      const adapter = await options.valid();
      expect(() => checkAdapter(adapter, options.kind)).not.toThrow();
    });

    it('yields valid records from valid input', async () => {
      const adapter = await options.valid();
      const { records } = await readThroughCore(adapter, options.readOptions);
      expect(records.length).toBeGreaterThanOrEqual(options.minimumRecords ?? 1);
    });

    it('is deterministic: two reads give the same records and warnings', async () => {
      const first = await readThroughCore(await options.valid(), options.readOptions);
      const second = await readThroughCore(await options.valid(), options.readOptions);
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    });

    it.runIf(options.empty !== undefined)('yields no records from empty input, without an error', async () => {
      const { records } = await readThroughCore(await options.empty!(), options.readOptions);
      expect(records).toEqual([]);
    });

    it.runIf(options.malformed !== undefined)('fails on malformed input with a WmoError naming the adapter and the place', async () => {
      const adapter = await options.malformed!();
      let caught: unknown;
      try {
        await readThroughCore(adapter, options.readOptions);
      } catch (error) {
        caught = error;
      }
      expect(WmoError.isInstance(caught), `expected a WmoError, got ${String(caught)}`).toBe(true);
      const error = caught as WmoError;
      expect(error.adapterId).toBe(adapter.id);
      expect(error.location?.file, 'the error names the file').toBeTruthy();
      expect(error.message).toContain(error.location!.file);
      expect(error.message, 'one sentence, no stack trace').not.toMatch(/\n\s+at /);
    });
  });
}
