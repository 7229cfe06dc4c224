import type { z } from 'zod';
import {
  SPECIFICATION_VERSION,
  type AdapterKind,
  type ArrangementItem,
  type ArrangementSource,
  type AnyAdapter,
  type ClientItem,
  type ClientRegister,
  type CodeList,
  type CodeListItem,
  type DeclarationItem,
  type DeclarationReadOptions,
  type DeclarationSource,
  type Geography,
  type GeographyItem,
  type Streamed,
} from './contracts.js';
import { columnsProblem, type PerformanceColumns } from './columns.js';
import { WmoError, describeLocation } from './errors.js';
import { arrangementRecordSchema } from './arrangements/record.js';
import {
  clientFactsSchema,
  codeListEntrySchema,
  isClientFacts,
  isPerformance,
  municipalitySchema,
  performanceSchema,
  sourceLocationSchema,
  wijkSchema,
} from './records.js';
import type { Warning } from './warnings.js';

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Checks that a value is an adapter of the expected kind and contract version. Used for
 * adapters from outside the repository (`--adapter PATH`) as much as for our own.
 */
export function checkAdapter<K extends AdapterKind>(value: unknown, kind: K, origin = 'adapter'): Extract<AnyAdapter, { kind: K }> {
  const fail = (why: string): never => {
    throw new WmoError(`${origin} is not a usable ${kind} adapter: ${why}.`, { code: 'adapter-contract' });
  };
  if (typeof value !== 'object' || value === null) return fail('it is not an object');
  const candidate = value as Partial<AnyAdapter>;
  if (candidate.specificationVersion !== SPECIFICATION_VERSION) {
    fail(`its specificationVersion is ${JSON.stringify(candidate.specificationVersion)}, this version of the toolkit needs '${SPECIFICATION_VERSION}'`);
  }
  if (typeof candidate.id !== 'string' || !ID_PATTERN.test(candidate.id)) fail('its id is not a kebab-case name');
  if (candidate.kind !== kind) fail(`it is a ${JSON.stringify(candidate.kind)} adapter`);
  if (typeof candidate.read !== 'function') fail('it has no read() method');
  return value as Extract<AnyAdapter, { kind: K }>;
}

/**
 * Wraps an adapter's stream: every item is validated, every failure becomes a WmoError that
 * names the adapter, and a WmoError from the adapter itself passes through with its location.
 * Items come out in the batches the adapter made (a single item as a batch of one), so that a
 * national archive of millions of lines does not pay an await per line.
 */
async function* guardedBatches<T>(adapter: AnyAdapter, stream: () => Streamed<T>, validate: (item: T) => void): AsyncGenerator<T[]> {
  let iterator: AsyncIterator<T | T[]> | Iterator<T | T[]>;
  try {
    const streamed = stream();
    iterator = Symbol.asyncIterator in streamed ? streamed[Symbol.asyncIterator]() : streamed[Symbol.iterator]();
  } catch (error) {
    throw wrap(adapter, error);
  }
  // Open until the adapter has ended or failed: a caller that stops early (an error in the engine,
  // a `break`) ends the adapter's reading as `for await` would, so that its files close and its
  // worker threads stop (without this, `wmo deliver` printed the error of a conflict found while
  // the csv-export's workers read and then did not exit).
  let open = true;
  try {
    while (true) {
      let next: IteratorResult<T | T[]>;
      try {
        next = await iterator.next();
      } catch (error) {
        open = false;
        throw wrap(adapter, error);
      }
      if (next.done) {
        open = false;
        return;
      }
      const batch = Array.isArray(next.value) ? next.value : [next.value];
      for (let i = 0; i < batch.length; i++) validate(batch[i]!);
      if (batch.length > 0) yield batch;
    }
  } finally {
    if (open) {
      try {
        await iterator.return?.();
      } catch {
        // the reason the reading stopped is the error to report, not one from ending it
      }
    }
  }
}

async function* guarded<T>(adapter: AnyAdapter, stream: () => Streamed<T>, validate: (item: T) => void): AsyncGenerator<T> {
  for await (const batch of guardedBatches(adapter, stream, validate)) yield* batch;
}

function wrap(adapter: AnyAdapter, error: unknown): WmoError {
  if (WmoError.isInstance(error)) {
    if (error.adapterId === undefined) (error as { adapterId: string | undefined }).adapterId = adapter.id;
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new WmoError(`The ${adapter.id} adapter failed: ${detail}`, { code: 'internal', adapterId: adapter.id, cause: error });
}

function invalid(adapter: { id: string }, what: string, issues: z.core.$ZodIssue[], location?: unknown): WmoError {
  const first = issues[0];
  const path = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const loc = sourceLocationSchema.safeParse(location);
  const where = loc.success ? ` from ${describeLocation(loc.data)}` : '';
  return new WmoError(`The ${adapter.id} adapter produced an invalid ${what}${where} (${path}${first?.message ?? 'invalid'}).`, {
    code: 'adapter-contract',
    adapterId: adapter.id,
    ...(loc.success ? { location: loc.data } : {}),
  });
}

function checkWarning(adapter: AnyAdapter, warning: Warning): void {
  if (typeof warning !== 'object' || warning === null || typeof warning.kind !== 'string' || typeof warning.message !== 'string') {
    throw new WmoError(`The ${adapter.id} adapter produced a warning without kind or message.`, { code: 'adapter-contract', adapterId: adapter.id });
  }
  if (warning.adapterId === undefined) warning.adapterId = adapter.id;
}

/** The adapter's declaration items, validated, one by one. */
export function readDeclarations(adapter: DeclarationSource, options: DeclarationReadOptions): AsyncGenerator<DeclarationItem> {
  return guarded<DeclarationItem>(adapter, () => adapter.read(options), declarationValidator(adapter));
}

/** The same items in the adapter's batches: for the engine, which reads millions of them. */
export function readDeclarationBatches(adapter: DeclarationSource, options: DeclarationReadOptions): AsyncGenerator<DeclarationItem[]> {
  return guardedBatches<DeclarationItem>(adapter, () => adapter.read(options), declarationValidator(adapter));
}

function declarationValidator(adapter: DeclarationSource): (item: DeclarationItem) => void {
  return (item) => {
    if (item.type === 'warning') return checkWarning(adapter, item.warning);
    if (item.type !== 'performance' && item.type !== 'not-approved') {
      throw new WmoError(`The ${adapter.id} adapter produced an item of unknown type ${JSON.stringify((item as { type: unknown }).type)}.`, {
        code: 'adapter-contract',
        adapterId: adapter.id,
      });
    }
    checkPerformance(adapter.id, item.performance);
  };
}

/**
 * The boundary's check of one performance: throws the error `readDeclarations` gives for an
 * invalid one (an adapter that puts its lines in columns in a worker thread checks each line with
 * it first, so that the columns path refuses what the items path refuses, in the same words).
 */
export function checkPerformance(adapterId: string, performance: unknown): void {
  // The hand-written check accepts only what the schema accepts; the schema runs when it says
  // no, for the message (and has the last word).
  if (isPerformance(performance)) return;
  const result = performanceSchema.safeParse(performance);
  if (!result.success) throw invalid({ id: adapterId }, 'performance', result.error.issues, (performance as { source?: unknown })?.source);
}

/**
 * The adapter's lines in columns, each batch checked (`columnsProblem`); undefined when the
 * adapter has no `readColumns`. Warnings in a batch are checked like warning items.
 */
export function readDeclarationColumns(adapter: DeclarationSource, options: DeclarationReadOptions): AsyncGenerator<PerformanceColumns> | undefined {
  const readColumns = adapter.readColumns;
  if (!readColumns) return undefined;
  return guarded<PerformanceColumns>(
    adapter,
    () => readColumns.call(adapter, options),
    (columns) => {
      const problem = columnsProblem(columns);
      if (problem !== undefined) {
        const file = (columns as { file?: unknown } | null)?.file;
        throw new WmoError(`The ${adapter.id} adapter produced invalid performance columns${typeof file === 'string' ? ` from ${file}` : ''} (${problem}).`, {
          code: 'adapter-contract',
          adapterId: adapter.id,
          ...(typeof file === 'string' && file !== '' ? { location: { file } } : {}),
        });
      }
      for (const w of columns.warnings) checkWarning(adapter, w.warning);
    },
  );
}

/** The register's items, validated, one by one. */
export function readClients(adapter: ClientRegister): AsyncGenerator<ClientItem> {
  return guarded<ClientItem>(adapter, () => adapter.read(), clientValidator(adapter));
}

/** The same items in the adapter's batches: the register of a big city has hundreds of thousands. */
export function readClientBatches(adapter: ClientRegister): AsyncGenerator<ClientItem[]> {
  return guardedBatches<ClientItem>(adapter, () => adapter.read(), clientValidator(adapter));
}

function clientValidator(adapter: ClientRegister): (item: ClientItem) => void {
  return (item) => {
    if (item.type === 'warning') return checkWarning(adapter, item.warning);
    // As for performances: the hand-written check first, the schema for the message.
    if (isClientFacts(item.client)) return;
    const result = clientFactsSchema.safeParse(item.client);
    if (!result.success) throw invalid(adapter, 'client record', result.error.issues, (item.client as { source?: unknown })?.source);
  };
}

export function readGeography(adapter: Geography, options?: { municipality?: string }): AsyncGenerator<GeographyItem> {
  return guarded<GeographyItem>(adapter, () => adapter.read(options), (item) => {
    if (item.type === 'warning') return checkWarning(adapter, item.warning);
    const result = item.type === 'wijk' ? wijkSchema.safeParse(item.wijk) : municipalitySchema.safeParse(item.municipality);
    if (!result.success) throw invalid(adapter, item.type, result.error.issues);
  });
}

export function readCodeList(adapter: CodeList): AsyncGenerator<CodeListItem> {
  return guarded<CodeListItem>(adapter, () => adapter.read(), (item) => {
    if (item.type === 'warning') return checkWarning(adapter, item.warning);
    const result = codeListEntrySchema.safeParse(item.entry);
    if (!result.success) throw invalid(adapter, 'code-list entry', result.error.issues);
  });
}

export function readArrangements(adapter: ArrangementSource, options: { municipality: string }): AsyncGenerator<ArrangementItem> {
  return guarded<ArrangementItem>(adapter, () => adapter.read(options), (item) => {
    if (item.type === 'warning') return checkWarning(adapter, item.warning);
    const result = arrangementRecordSchema.safeParse(item.record);
    if (!result.success) throw invalid(adapter, 'arrangement record', result.error.issues, (item.record as { source?: unknown })?.source);
  });
}
