import path from 'node:path';
import { z } from 'zod';
import {
  ClientIndex,
  WarningCollector,
  WmoError,
  buildDelivery,
  createPseudonymizer,
  deliveryFileNames,
  listFiles,
  loadCodeList,
  parseIsoDate,
  readClientBatches,
  readDeclarationBatches,
  readDeclarationColumns,
  readGeography,
  writeNewFile,
  type AddressResolver,
  type ClientRegister,
  type CodeList,
  type DeclarationItem,
  type PerformanceColumns,
  type DeclarationSource,
  type Delivery,
  type Municipality,
  type Wijk,
} from '@wmo-toolkit/core';
import { cbsGeography } from '@wmo-toolkit/cbs-geo';
import { clientsCsv } from '@wmo-toolkit/clients-csv';
import { allocationClients, iwmoSource, type FileRead } from '@wmo-toolkit/iwmo';
import { csvExportSource } from '@wmo-toolkit/csv-export';
import { renderReportHtml } from '@wmo-toolkit/report-html';
import { codeListByNameOrFile } from './registry.js';
import { readKey } from './key.js';

/** The options of a delivery run, checked strictly (they come from people and scripts). */
export const deliverRequestSchema = z.strictObject({
  municipality: z.string().regex(/^\d{4}$/, 'the gemeente code has 4 digits, with leading zeros (Hoorn is 0405)'),
  year: z.number().int().min(2015).max(2100),
  period: z.enum(['Y', 'H1']).default('Y'),
  declarations: z.array(z.string().min(1)).min(1, 'give at least one --declarations file or folder'),
  declarationsFormat: z.string().default('iwmo'),
  /** Column mapping of a csv-export: a ready name (`generic`) or a JSON/YAML file. */
  mapping: z.string().min(1).optional(),
  clients: z.string().min(1).optional(),
  allocations: z.array(z.string().min(1)).optional(),
  wijken: z.string().min(1).optional(),
  municipalities: z.string().min(1).optional(),
  addresses: z.string().min(1).optional(),
  codelist: z.string().min(1).optional(),
  deliveryDate: z.string().refine((d) => parseIsoDate(d) !== undefined, 'the delivery date is a date YYYY-MM-DD'),
  out: z.string().min(1),
  sequence: z.number().int().min(1).max(99).optional(),
  dialect: z.enum(['example', 'field-table']).default('example'),
  countPending: z.boolean().default(false),
  keyFile: z.string().min(1).optional(),
  /**
   * Worker threads that read big declaration inputs (the adapters' `workers`): `auto` (default,
   * on a machine with two cores or more: two from 64 MB of iWmo declarations, one from a 48 MB
   * export), 0 to read in one thread, or a number. The output is the same; fewer use less memory
   * and mostly take longer (docs/performance.md).
   */
  workers: z.union([z.literal('auto'), z.number().int().min(0).max(16)]).default('auto'),
});
export type DeliverRequest = z.input<typeof deliverRequestSchema>;

export interface Progress {
  files: number;
  bytes: number;
  performances: number;
  elapsedSeconds: number;
}

export interface DeliverHooks {
  onProgress?: (progress: Progress) => void;
  /** Extra declaration sources by id (adapters from outside the repository). */
  declarationSources?: Record<string, (paths: string[]) => DeclarationSource>;
  /** Extra code lists by id (adapters from outside the repository). */
  codeLists?: Record<string, () => CodeList>;
  /** A clock for the report's "made at" line (tests pass a fixed one). */
  now?: () => Date;
}

export interface DeliverResult {
  delivery: Delivery;
  municipality: Municipality;
  files: { csv?: string; reportJson: string; reportHtml: string };
  sequence: number;
}

function usage(message: string): WmoError {
  return new WmoError(message, { code: 'usage' });
}

/** Reads the options, composes the adapters with the core, writes the delivery and its report. */
export async function deliver(input: DeliverRequest, hooks: DeliverHooks = {}): Promise<DeliverResult> {
  const parsed = deliverRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw usage(`Option ${issue.path.join('.') || ''} is not right: ${issue.message}.`.replace('Option  is', 'The options are'));
  }
  const request = parsed.data;
  if (!request.clients && !request.allocations) throw usage('Give the client register with --clients (or WMO301 allocations with --allocations): age class and wijk come from it.');

  // Geography: the gemeente and its wijken.
  const geography = cbsGeography({
    ...(request.wijken ? { wijkenFile: request.wijken } : {}),
    ...(request.municipalities ? { municipalitiesFile: request.municipalities } : {}),
    ...(request.addresses ? { addressesFile: request.addresses } : {}),
  });
  let municipality: Municipality | undefined;
  const wijken: Wijk[] = [];
  const warnings = new WarningCollector();
  for await (const item of readGeography(geography, { municipality: request.municipality })) {
    if (item.type === 'municipality') municipality = item.municipality;
    else if (item.type === 'wijk') wijken.push(item.wijk);
    else warnings.add(item.warning);
  }
  if (!municipality) {
    throw usage(`Gemeente ${request.municipality} is not in the CBS gemeente list${request.municipalities ? ` ${request.municipalities}` : ' of 2025'}; check --gemeente (Hoorn is 0405, Schagen 0441).`);
  }
  if (wijken.length === 0) {
    throw usage(
      `The wijk list ${request.wijken ?? '(bundled: six gemeenten, CBS wijkindeling 2024)'} has no wijken of ${municipality.name} (${municipality.code}); give the CBS wijk list of the gemeente with --wijken.`,
    );
  }
  let resolveAddress: AddressResolver | undefined;
  if (request.addresses) resolveAddress = await geography.addressResolver!(municipality.code);

  const externalList = request.codelist ? hooks.codeLists?.[request.codelist] : undefined;
  const codeList = request.codelist ? await loadCodeList(externalList ? externalList() : codeListByNameOrFile(request.codelist)) : undefined;

  // The client register and WMO301 allocations (read below, once the declarations are started).
  const secret = request.keyFile ? await readKey(request.keyFile) : undefined;
  const pseudonymize = createPseudonymizer(secret);
  const clients = new ClientIndex(pseudonymize);
  const registers: ClientRegister[] = [];
  if (request.clients) registers.push(clientsCsv({ file: request.clients }));
  if (request.allocations) registers.push(allocationClients({ paths: request.allocations }));

  // Declarations, with progress.
  const started = Date.now();
  const progress: Progress = { files: 0, bytes: 0, performances: 0, elapsedSeconds: 0 };
  let declarationFiles = 0;
  const onFile = (info: FileRead) => {
    progress.files++;
    progress.bytes += info.bytes;
    if (info.role === 'declaration-3' || info.role === 'declaration-2') declarationFiles++;
  };
  let source: DeclarationSource;
  const custom = hooks.declarationSources?.[request.declarationsFormat];
  if (custom) {
    source = custom(request.declarations);
    declarationFiles = -1; // a custom source counts its own input
  } else if (request.declarationsFormat === 'iwmo') {
    source = iwmoSource({ paths: request.declarations, onFile, workers: request.workers });
  } else if (request.declarationsFormat === 'csv-export') {
    if (!request.mapping) throw usage('--declarations-format csv-export needs --mapping FILE (JSON or YAML) or --mapping generic.');
    const files = await listFiles(request.declarations, { accept: (name) => /\.(csv|txt)$/i.test(name) });
    for (const file of files) onFile({ file: file.path, bytes: file.bytes, role: 'declaration-3' });
    source = csvExportSource({ paths: files.map((f) => f.path), mapping: request.mapping, workers: request.workers });
  } else {
    throw usage(`--declarations-format ${request.declarationsFormat} is not known; use iwmo, csv-export${Object.keys(hooks.declarationSources ?? {}).map((k) => `, ${k}`).join('')}.`);
  }
  const readOptions = { municipality: municipality.code, countPending: request.countPending };
  // Columns when the source offers them (the csv-export: no object per line), else item batches.
  // Started before the register is read, up to its first batch: a source that reads in worker
  // threads (both the iWmo and the csv-export adapter do for big inputs) reads ahead meanwhile.
  // Those two give an empty batch as soon as their threads have their first jobs, so the
  // register is read while the threads start. (Only started, its own preparation — checking the
  // encoding, planning the parts — would wait for the register: the register's reading leaves
  // the event loop few turns.)
  const chunks = startEarly<PerformanceColumns | DeclarationItem[]>(readDeclarationColumns(source, readOptions) ?? readDeclarationBatches(source, readOptions));
  await chunks.started;

  // Clients: the register, with WMO301 allocations as fallback.
  try {
    for (const register of registers) {
      for await (const batch of readClientBatches(register)) {
        for (const item of batch) {
          if (item.type === 'client') clients.add(item.client);
          else warnings.add(item.warning);
        }
      }
    }
  } catch (error) {
    await chunks.stop();
    throw error;
  }

  const counted = (async function* (): AsyncGenerator<PerformanceColumns | DeclarationItem[]> {
    let last = 0;
    for await (const chunk of chunks) {
      if (isColumns(chunk)) progress.performances += chunk.count;
      else for (let i = 0; i < chunk.length; i++) if (chunk[i]!.type !== 'warning') progress.performances++;
      if (hooks.onProgress && progress.performances - last >= 5000) {
        last = progress.performances;
        progress.elapsedSeconds = (Date.now() - started) / 1000;
        hooks.onProgress({ ...progress });
      }
      yield chunk;
    }
  })();

  let delivery: Delivery;
  try {
    delivery = await buildDelivery({
      municipality,
      year: request.year,
      period: request.period,
      wijken,
      clients,
      declarations: counted,
      pseudonymize,
      warnings,
      dialect: request.dialect,
      ...(resolveAddress ? { resolveAddress } : {}),
      ...(codeList ? { codeList } : {}),
    });
  } finally {
    await chunks.stop(); // (read to the end already, unless the engine stopped early: then its workers end here)
  }
  progress.elapsedSeconds = (Date.now() - started) / 1000;
  hooks.onProgress?.({ ...progress });
  if (declarationFiles === 0) {
    throw usage(
      request.declarationsFormat === 'csv-export'
        ? `Found no export files in ${request.declarations.join(', ')}; check --declarations.`
        : `Found no iWmo declaration messages (WMO323 or WMO303) in ${request.declarations.join(', ')}; check --declarations.`,
    );
  }

  // Files: never overwrite; the report always, the delivery file only when every check passed.
  const names = await deliveryFileNames(request.out, municipality.code, request.year, request.deliveryDate, request.sequence);
  const csvName = path.basename(names.csv);
  if (delivery.passed) {
    delivery.report.file = { name: csvName, rows: delivery.rows.length };
    await writeNewFile(names.csv, delivery.csv);
  }
  const generatedAt = (hooks.now?.() ?? new Date()).toISOString();
  await writeNewFile(names.reportJson, JSON.stringify({ generatedAt, ...delivery.report }, null, 2) + '\n');
  await writeNewFile(
    names.reportHtml,
    renderReportHtml({ report: delivery.report, rows: delivery.passed ? delivery.rows : [], generatedAt, ...(delivery.passed ? { fileName: csvName } : {}) }),
  );
  return {
    delivery,
    municipality,
    sequence: names.sequence,
    files: { ...(delivery.passed ? { csv: names.csv } : {}), reportJson: names.reportJson, reportHtml: names.reportHtml },
  };
}

function isColumns(chunk: PerformanceColumns | DeclarationItem[]): chunk is PerformanceColumns {
  return !Array.isArray(chunk) && (chunk as PerformanceColumns).type === 'columns';
}

/**
 * Starts reading an async iterable at once (its first item is asked for now; `started` settles
 * when it is there) and gives it when it is iterated; `stop` ends it unread (its workers
 * stopped). An error of the early start is thrown where the items are read, not before.
 */
function startEarly<T>(iterable: AsyncIterable<T>): AsyncIterable<T> & { started: Promise<void>; stop(): Promise<void> } {
  const iterator = iterable[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<T>> | undefined = iterator.next();
  const started = first.then(
    () => undefined,
    () => undefined, // the error is thrown where the items are read
  );
  return {
    started,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const next = first ?? iterator.next();
          first = undefined;
          const result = await next;
          if (result.done) return;
          yield result.value;
        }
      } finally {
        await iterator.return?.();
      }
    },
    async stop() {
      await first?.catch(() => undefined);
      await iterator.return?.();
    },
  };
}
