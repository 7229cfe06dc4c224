import {
  PerformanceColumnsBuilder,
  SPECIFICATION_VERSION,
  WmoError,
  checkPerformance,
  defaultWorkerCount,
  listFiles,
  warning,
  type DeclarationItem,
  type PerformanceColumns,
  type DeclarationReadOptions,
  type DeclarationSource,
  type Performance,
  type Warning,
} from '@wmo-toolkit/core';
import { readAnswer2, readAnswer3, signedCents, type Answer } from './answers.js';
import { sha256OfFile } from './files.js';
import { declarationRole, messageKind, type DeclarationRole, type MessageKind } from './namespaces.js';
import { NodeReader, elementPath, streamXml, streamXmlSteps, type XmlNode } from './xml-stream.js';
import { readInWorkers } from './worker-pool.js';

export const ADAPTER_ID = 'iwmo';

/** Declarations below this size are read in this thread even when workers are allowed. */
export const WORKER_THRESHOLD_BYTES = 64 * 1024 * 1024;

export interface IwmoSourceOptions {
  /** Files or folders (read recursively) of iWmo XML messages, in any mix, any file names. */
  paths: readonly string[];
  /** Called when a file has been read (for progress displays). */
  onFile?: (info: FileRead) => void;
  /**
   * Worker threads that read declaration files side by side (the output is the same, in the same
   * order). Default `'auto'`: 2 on a machine with more than one core when the declarations add up
   * to 64 MB or more, none when running from the TypeScript sources; 0 reads every file in this
   * thread.
   */
  workers?: number | 'auto';
}

export interface FileRead {
  file: string;
  bytes: number;
  /** What the file turned out to be: a declaration, an answer, or something passed over. */
  role: DeclarationRole | 'other';
}

/**
 * The iWmo declaration source: reads WMO323 + WMO325 (iWmo 3.x) and WMO303 + WMO304 (iWmo 2.x),
 * pairs every declaration with its answer and streams approved performances, with the others as
 * `not-approved` items and typed warnings (domain.md §2, §3a).
 */
export function iwmoSource(options: IwmoSourceOptions): DeclarationSource {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ADAPTER_ID,
    kind: 'declarations',
    description: 'iWmo XML messages: WMO323/WMO325 (3.x) and WMO303/WMO304 (2.x)',
    read: (readOptions) => readArchive(options.paths, readOptions, options.onFile, options.workers ?? 'auto', false) as AsyncGenerator<DeclarationItem[]>,
    // The same lines in columns: from the workers as typed arrays (no JSON to parse on the main
    // thread, no object per line), checked line by line as the boundary checks items.
    readColumns: (readOptions) => readArchive(options.paths, readOptions, options.onFile, options.workers ?? 'auto', true) as AsyncGenerator<PerformanceColumns>,
  };
}

/** Lines per columns batch: a declaration file of the benchmark has about 6,400. */
const COLUMNS_BATCH = 16_384;

/**
 * One declaration file's lines as columns (not-approved lines with their reason, warnings in
 * place), every performance checked first as the core boundary checks items, so that the columns
 * refuse what the items are refused for, in the same words. Each line goes into the builder as
 * soon as its Prestatie closes: no batch of items is kept per chunk, so a line's objects die young.
 */
export async function* declarationColumns(declaration: Surveyed, answers: Map<string, Answer>, options: DeclarationReadOptions): AsyncGenerator<PerformanceColumns> {
  const { file } = declaration;
  const builder = new PerformanceColumnsBuilder(file);
  const add = (item: DeclarationItem, node?: XmlNode) => {
    if (item.type !== 'warning') {
      try {
        checkPerformance(ADAPTER_ID, item.performance);
      } catch (error) {
        // refused in the words of the items path, which name the element (columns keep file and line)
        if (node) checkPerformance(ADAPTER_ID, { ...item.performance, source: { ...item.performance.source, element: elementPath(node) } });
        throw error;
      }
    }
    builder.addItem(item);
  };
  for await (const _ of declarationSteps(declaration, answers, options, false, add)) {
    if (builder.count >= COLUMNS_BATCH) {
      yield builder.build();
      builder.restart();
    }
  }
  if (builder.count > 0 || builder.warningCount > 0) yield builder.build();
}

/** Warnings as a batch of their own: items, or columns without lines. */
function warningBatch(warnings: Warning[], asColumns: boolean, fallbackFile: string): DeclarationItem[] | PerformanceColumns {
  if (!asColumns) return warnings.map((w) => ({ type: 'warning', warning: w }));
  const builder = new PerformanceColumnsBuilder(warnings[0]?.location?.file ?? fallbackFile);
  for (const w of warnings) builder.warn(w);
  return builder.build();
}

export interface Surveyed {
  file: string;
  role: DeclarationRole;
  kind: MessageKind;
  /** identity of the message: role|sender|identification */
  identity: string;
  answer?: Answer;
}

/** Pass 1: recognise every file by its root namespace; read answers whole and declarations' headers. */
async function survey(file: string, warnings: Warning[]): Promise<Surveyed | undefined> {
  const reader = new NodeReader(file, ADAPTER_ID);
  let kind: MessageKind | undefined;
  let role: DeclarationRole | undefined;
  let captured: XmlNode | undefined;
  await streamXml({
    file,
    adapterId: ADAPTER_ID,
    chunkBytes: 64 * 1024, // declarations: only the header is read here
    onRoot(uri, local, line) {
      kind = messageKind(uri);
      if (!kind) {
        throw new WmoError(
          `${file} is XML but not an iWmo message: its root element ${local} has namespace ${uri ? JSON.stringify(uri) : '(none)'} (line ${line}).`,
          { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file, line, element: local } },
        );
      }
      role = declarationRole(kind);
      if (!role) {
        warnings.push(
          warning(
            'not-a-declaration-message',
            `${file} is a ${kind.standard === 'ijw' ? 'Jeugdwet (iJw)' : 'iWmo'} ${kind.message.toUpperCase()} message (release ${kind.release}), not a Wmo declaration or answer; it is passed over`,
            { file },
          ),
        );
        return 'stop';
      }
    },
    capture: (local, depth) => (role === 'answer-3' || role === 'answer-2' ? depth === 1 : depth === 2 && local === 'Header'),
    onCapture(node) {
      captured = node;
      return 'stop';
    },
  });
  if (!kind || !role) return undefined;
  if (!captured) throw new WmoError(`${file}: the ${kind.message.toUpperCase()} message has no Header.`, { code: 'input-invalid', adapterId: ADAPTER_ID, location: { file, element: 'Bericht/Header' } });
  switch (role) {
    case 'answer-3': {
      const answer = readAnswer3(captured, reader, warnings);
      return { file, role, kind, identity: `${role}|${answer.provider}|${answer.key}|${reader.text(captured, 'Header', 'BerichtIdentificatie', 'Identificatie')}`, answer };
    }
    case 'answer-2': {
      const answer = readAnswer2(captured, reader, warnings);
      const reference = reader.optionalText(captured, 'Header', 'RetourHeader', 'GemeenteReferentieNummer') ?? '';
      return { file, role, kind, identity: `${role}|${answer.key}|${reference}`, answer };
    }
    case 'declaration-3':
      return { file, role, kind, identity: `${role}|${reader.text(captured, 'Afzender')}|${reader.text(captured, 'BerichtIdentificatie', 'Identificatie')}` };
    case 'declaration-2':
      return { file, role, kind, identity: `${role}|${reader.text(captured, 'Aanbieder')}|${reader.text(captured, 'DeclaratieFactuurIdentificatie', 'DeclarantFactuurNummer')}` };
  }
}

async function* readArchive(
  paths: readonly string[],
  options: DeclarationReadOptions,
  onFile: ((info: FileRead) => void) | undefined,
  workerOption: number | 'auto',
  asColumns: boolean,
): AsyncGenerator<DeclarationItem[] | PerformanceColumns> {
  const files = await listFiles(paths, { adapterId: ADAPTER_ID });
  const warnings: Warning[] = [];
  const byIdentity = new Map<string, Surveyed>();
  const declarations: Surveyed[] = [];
  const answers3 = new Map<string, Answer>();
  const answers2 = new Map<string, Answer>();

  const sizes = new Map(files.map((f) => [f.path, f.bytes]));
  for (const { path: file, bytes } of files) {
    const surveyed = await survey(file, warnings);
    if (!surveyed || surveyed.answer) onFile?.({ file, bytes, role: surveyed?.role ?? 'other' });
    if (!surveyed) continue;
    const earlier = byIdentity.get(surveyed.identity);
    if (earlier) {
      // domain.md §3a: the same message twice is read once; the same identification with other
      // content is an error naming both files.
      if ((await sha256OfFile(earlier.file)) === (await sha256OfFile(file))) {
        warnings.push(warning('duplicate-message', `${file} is the same message as ${earlier.file}; it is read once`, { file }));
        continue;
      }
      throw new WmoError(
        `${earlier.file} and ${file} are two different ${surveyed.kind.message.toUpperCase()} messages with the same sender and identification; remove the wrong one.`,
        { code: 'input-conflict', adapterId: ADAPTER_ID, location: { file } },
      );
    }
    byIdentity.set(surveyed.identity, surveyed);
    if (surveyed.answer) {
      const index = surveyed.role === 'answer-3' ? answers3 : answers2;
      const other = index.get(surveyed.answer.key);
      if (other) {
        throw new WmoError(`${other.file} and ${file} both answer declaration ${surveyed.answer.key.split('|')[1]} of provider ${surveyed.answer.provider}; an iWmo declaration has exactly one answer.`, {
          code: 'input-conflict',
          adapterId: ADAPTER_ID,
          location: { file },
        });
      }
      index.set(surveyed.answer.key, surveyed.answer);
    } else declarations.push(surveyed);
  }
  if (warnings.length > 0) yield warningBatch(warnings.splice(0), asColumns, paths[0] ?? ADAPTER_ID);

  // Pass 2: stream every declaration and decide per performance, in worker threads when there
  // are several files (worker-pool.ts: same items, same order).
  const answersOf = (declaration: Surveyed) => (declaration.role === 'declaration-3' ? answers3 : answers2);
  const fileDone = (declaration: Surveyed) => onFile?.({ file: declaration.file, bytes: sizes.get(declaration.file) ?? 0, role: declaration.role });
  // Below about 64 MB of declarations, starting the threads costs more than they save (measured:
  // 40 MB in 2.4 s in this thread, 3.2 s with two workers; 398 MB in 23.9 s and 14.7 s).
  const declarationBytes = declarations.reduce((sum, d) => sum + (sizes.get(d.file) ?? 0), 0);
  const workers = workerOption !== 'auto' ? workerOption : declarationBytes >= WORKER_THRESHOLD_BYTES ? defaultWorkerCount() : 0;
  if (workers > 0 && declarations.length > 1) {
    const jobs = declarations.map((declaration) => {
      // the key the header gives (provider|identification) is the identity without its role
      const answer = answersOf(declaration).get(declaration.identity.slice(declaration.role.length + 1));
      if (answer) answer.used = true;
      // only what can cross to a thread (an AbortSignal cannot)
      return { declaration, answer, options: { municipality: options.municipality, countPending: options.countPending ?? false }, columns: asColumns };
    });
    yield* readInWorkers(jobs, workers, (index) => fileDone(declarations[index]!));
  } else {
    for (const declaration of declarations) {
      yield* asColumns ? declarationColumns(declaration, answersOf(declaration), options) : readDeclaration(declaration, answersOf(declaration), options);
      fileDone(declaration);
    }
  }
  const unanswered: Warning[] = [];
  for (const answer of [...answers3.values(), ...answers2.values()]) {
    if (!answer.used) {
      unanswered.push(
        warning('answer-without-declaration', `${answer.file} answers declaration ${answer.declarationNumber ?? answer.key.split('|')[1]} of provider ${answer.provider}, which is not in the input`, {
          file: answer.file,
        }),
      );
    }
  }
  if (unanswered.length > 0) yield warningBatch(unanswered, asColumns, paths[0] ?? ADAPTER_ID);
}

interface DeclarationState {
  file: string;
  reader: NodeReader;
  version: 2 | 3;
  withElements: boolean;
  municipality: string;
  provider: string;
  identification: string;
  declarationId: string;
  periodStart: string;
  periodEnd: string;
  submittedCents: number | undefined;
  answer: Answer | undefined;
  currentClient: string | undefined;
  sumCents: number;
  pending: { count: number; cents: number };
  other: { count: number; cents: number };
}

/** One declaration file, decided line by line against its answer, as batches of items (one per chunk read). */
export async function* readDeclaration(declaration: Surveyed, answers: Map<string, Answer>, options: DeclarationReadOptions): AsyncGenerator<DeclarationItem[]> {
  let batch: DeclarationItem[] = [];
  for await (const _ of declarationSteps(declaration, answers, options, true, (item) => batch.push(item))) {
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Reads one declaration file and hands every item to `emit` as soon as its Prestatie closes (the
 * declaration's warnings at the end); pauses after every chunk of the file (also run in worker
 * threads). `withElements`: each performance's source names its element path (items do; columns
 * keep file and line only, so their lines do not pay for writing it).
 */
async function* declarationSteps(
  declaration: Surveyed,
  answers: Map<string, Answer>,
  options: DeclarationReadOptions,
  withElements: boolean,
  emit: (item: DeclarationItem, node?: XmlNode) => void,
): AsyncGenerator<void> {
  const { file } = declaration;
  const reader = new NodeReader(file, ADAPTER_ID);
  const version: 2 | 3 = declaration.role === 'declaration-3' ? 3 : 2;
  let state: DeclarationState | undefined;

  const headerDepth = 2;
  // 3.x: Bericht/Declaratie/{DeclaratieNummer, DeclaratiePeriode, TotaalIngediendBedrag}, Clienten/Client/Bsn (5), Prestaties/Prestatie (6)
  // 2.x: Bericht/Header (2), Clienten/Client/Bsn (4), Prestaties/Prestatie (5)
  const bsnDepth = version === 3 ? 5 : 4;
  const prestatieDepth = version === 3 ? 6 : 5;
  const declarationFields = new Set(['DeclaratieNummer', 'DeclaratiePeriode', 'TotaalIngediendBedrag']);

  const start = (header: XmlNode) => {
    const base = { file, reader, version, withElements, currentClient: undefined, sumCents: 0, pending: { count: 0, cents: 0 }, other: { count: 0, cents: 0 } };
    if (version === 3) {
      const provider = reader.text(header, 'Afzender');
      const identification = reader.text(header, 'BerichtIdentificatie', 'Identificatie');
      // DeclaratieNummer, DeclaratiePeriode and TotaalIngediendBedrag follow in Declaratie.
      state = {
        ...base,
        municipality: reader.text(header, 'Ontvanger'),
        provider,
        identification,
        declarationId: '',
        periodStart: '',
        periodEnd: '',
        submittedCents: undefined,
        answer: answers.get(`${provider}|${identification}`),
      };
    } else {
      const provider = reader.text(header, 'Aanbieder');
      const identification = reader.text(header, 'DeclaratieFactuurIdentificatie', 'DeclarantFactuurNummer');
      const total = reader.require(header, 'DeclaratieFactuurBedragen', 'DeclaratieFactuurTotaalBedrag');
      state = {
        ...base,
        municipality: reader.text(header, 'Gemeente'),
        provider,
        identification,
        declarationId: identification,
        periodStart: reader.text(header, 'DeclaratieFactuurIdentificatie', 'DeclaratiePeriode', 'Begindatum'),
        periodEnd: reader.text(header, 'DeclaratieFactuurIdentificatie', 'DeclaratiePeriode', 'Einddatum'),
        submittedCents: signedCents(reader, total, 'TotaalBedrag'),
        answer: answers.get(`${provider}|${identification}`),
      };
    }
    if (state!.answer) state!.answer.used = true;
  };

  for await (const _ of streamXmlSteps({
    file,
    adapterId: ADAPTER_ID,
    capture: (local, depth, parent) =>
      (depth === headerDepth && local === 'Header') ||
      (version === 3 && depth === 3 && parent === 'Declaratie' && declarationFields.has(local)) ||
      (depth === bsnDepth && local === 'Bsn' && parent === 'Client') ||
      (depth === prestatieDepth && local === 'Prestatie'),
    onCapture(node) {
      if (node.local === 'Header') return start(node);
      if (!state) throw reader.missing(node, 'Header before the declaration');
      if (node.local === 'Bsn') {
        state.currentClient = node.text;
        return;
      }
      if (node.local !== 'Prestatie') {
        if (node.local === 'DeclaratieNummer') state.declarationId = node.text;
        if (node.local === 'DeclaratiePeriode') {
          state.periodStart = reader.text(node, 'Begindatum');
          state.periodEnd = reader.text(node, 'Einddatum');
        }
        if (node.local === 'TotaalIngediendBedrag') state.submittedCents = signedCents(reader, node, 'TotaalBedrag');
        return;
      }
      decide(state, node, options, emit);
    },
  })) {
    yield;
  }
  if (state) for (const item of declarationWarnings(state, options)) emit(item);
}

/** Turns one Prestatie into an approved or not-approved item (after its warning, if any). */
function decide(state: DeclarationState, node: XmlNode, options: DeclarationReadOptions, emit: (item: DeclarationItem, node: XmlNode) => void): void {
  const { reader } = state;
  const client = state.currentClient;
  if (client === undefined) throw reader.missing(node, 'Bsn of its client');
  const amountNode = state.version === 3 ? reader.require(node, 'IngediendBedrag') : reader.require(node, 'IngediendeBedragPrestatie', 'DeclaratieFactuurBedrag');
  const declared = signedCents(reader, amountNode, 'Bedrag');
  const volumeParent = state.version === 3 ? node : reader.require(node, 'IngediendeBedragPrestatie');
  const reversesReference = reader.optionalText(node, 'ProductReferentie', 'VorigReferentieNummer');
  const allocationNumber = reader.optionalText(node, 'ToewijzingNummer');
  const performance: Performance = {
    municipality: state.municipality,
    provider: state.provider,
    declarationId: state.declarationId,
    reference: reader.text(node, 'ProductReferentie', 'ReferentieNummer'),
    clientKey: client,
    category: reader.text(node, 'ProductCategorie'),
    productCode: reader.optionalText(node, 'ProductCode') ?? null,
    periodStart: reader.text(node, 'ProductPeriode', 'Begindatum'),
    periodEnd: reader.text(node, 'ProductPeriode', 'Einddatum'),
    volume: reader.integer(volumeParent, 'GeleverdVolume'),
    unit: reader.text(volumeParent, 'Eenheid'),
    amountCents: declared,
    debitCredit: declared < 0 || reader.text(amountNode, 'DebetCredit') === 'C' ? 'C' : 'D',
    source: state.withElements ? { file: state.file, line: node.line, element: elementPath(node) } : { file: state.file, line: node.line },
  };
  // optional fields set afterwards: a literal with spreads costs more than the rest of the object
  if (reversesReference) performance.reversesReference = reversesReference;
  if (allocationNumber) performance.allocationNumber = allocationNumber;
  state.sumCents += declared;
  if (state.version === 3 && state.periodEnd && !withinOneMonthUpTo(performance.periodStart, performance.periodEnd, state.periodEnd)) {
    emit({
      type: 'warning',
      warning: warning(
        'period-outside-declaration-month',
        `ProductPeriode ${performance.periodStart} … ${performance.periodEnd} of performance ${performance.reference} is not one calendar month up to the declaration month ${state.periodStart.slice(0, 7)} (IV089, TR319)`,
        { file: state.file, line: node.line, element: elementPath(node) },
      ),
    }, node);
  }
  if (state.municipality !== options.municipality) {
    state.other.count++;
    state.other.cents += declared;
    emit({ type: 'not-approved', reason: 'other-municipality', performance }, node);
    return;
  }
  const answer = state.answer;
  if (!answer) {
    if (state.version === 3) {
      // domain.md §3a: a 3.x declaration without its WMO325 is pending.
      state.pending.count++;
      state.pending.cents += declared;
      emit(options.countPending ? { type: 'performance', performance } : { type: 'not-approved', reason: 'pending', performance }, node);
      return;
    }
    // iWmo 2.x: a 304 came only when the gemeente found errors (seed 000 §2.2 step 5).
    emit({ type: 'performance', performance }, node);
    return;
  }
  if (answer.wholeRejection) {
    emit({ type: 'not-approved', reason: 'rejected', performance, detail: answer.wholeRejection.join(' ') }, node);
    return;
  }
  const clientCodes = answer.rejectedClients.get(client);
  if (clientCodes) {
    emit({ type: 'not-approved', reason: 'rejected', performance, detail: clientCodes.join(' ') }, node);
    return;
  }
  if (state.version === 3) {
    const codes = answer.rejectedReferences.get(performance.reference);
    emit(codes ? { type: 'not-approved', reason: 'rejected', performance, detail: codes.join(' ') } : { type: 'performance', performance }, node);
    return;
  }
  const awarded = answer.awarded.get(performance.reference);
  if (!awarded) emit({ type: 'performance', performance }, node);
  else if (awarded.cents === 0) emit({ type: 'not-approved', reason: 'rejected', performance, detail: awarded.codes.join(' ') }, node);
  else {
    // domain.md §3a: a returned 2.x performance counts with its ToegekendBedrag when above zero.
    const cents = performance.debitCredit === 'C' ? -awarded.cents : awarded.cents;
    emit({ type: 'performance', performance: { ...performance, amountCents: cents } }, node);
  }
}

/** 3.x: a ProductPeriode lies within one calendar month, not after the declaration month (IV089, TR319). */
function withinOneMonthUpTo(start: string, end: string, declarationEnd: string): boolean {
  return start.slice(0, 7) === end.slice(0, 7) && end.slice(0, 7) <= declarationEnd.slice(0, 7);
}

function declarationWarnings(state: DeclarationState, options: DeclarationReadOptions): DeclarationItem[] {
  const items: Warning[] = [];
  const where = { file: state.file };
  const name = `declaration ${state.declarationId} of provider ${state.provider}`;
  if (state.submittedCents !== undefined && state.submittedCents !== state.sumCents) {
    items.push(
      warning('totals-mismatch', `${state.file}: the performances of ${name} add up to ${state.sumCents} cents, the declared total is ${state.submittedCents} cents (TR358)`, where),
    );
  }
  if (state.pending.count > 0) {
    items.push(
      warning(
        'declaration-pending',
        options.countPending
          ? `${name} has no answer (WMO325) in the input; its ${state.pending.count} performance(s) are counted as approved because pending declarations are counted`
          : `${name} has no answer (WMO325) in the input; its ${state.pending.count} performance(s) are pending and not counted`,
        where,
        { amountCents: state.pending.cents },
      ),
    );
  }
  if (state.other.count > 0) {
    items.push(
      warning('declaration-other-municipality', `${name} is addressed to gemeente ${state.municipality}, not ${options.municipality}; it is skipped`, where, { amountCents: state.other.cents }),
    );
  }
  return items.map((w) => ({ type: 'warning', warning: w }));
}
