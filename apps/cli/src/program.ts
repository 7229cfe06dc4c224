import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { WmoError, checkQsd301, readGeography, type Wijk } from '@wmo-toolkit/core';
import { CODE_LISTS, arrangements, declarationBytes, deliver, letYoungGenerationGrow, loadExternalAdapter, useDeliveryHeapSettings, type DeliverHooks, type Progress } from '@wmo-toolkit/pipeline';
import { cbsGeography } from '@wmo-toolkit/cbs-geo';

/** Where the program writes; the tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only there). */
  stderrIsTty: boolean;
}

export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function progressLine(p: Progress): string {
  const rate = p.elapsedSeconds > 0 ? `, ${(p.bytes / 1e6 / p.elapsedSeconds).toFixed(1)} MB/s` : '';
  return `\r  ${p.files} files, ${formatMegabytes(p.bytes)}, ${p.performances.toLocaleString('en-GB')} performances${rate}   `;
}

/** Loads `--adapter` modules and registers them by id (declaration sources and code lists). */
async function addExternalAdapters(specifiers: string[] | undefined, hooks: DeliverHooks): Promise<void> {
  for (const specifier of specifiers ?? []) {
    const external = await loadExternalAdapter(specifier);
    if (external.declarations) hooks.declarationSources = { ...hooks.declarationSources, [external.id]: external.declarations };
    else if (external.codeList) hooks.codeLists = { ...hooks.codeLists, [external.id]: external.codeList };
    else throw new WmoError(`--adapter ${specifier} is a ${external.kind} adapter; only declaration sources and code lists can come from outside.`, { code: 'usage' });
  }
}

export function buildProgram(io: Io): Command {
  const program = new Command('wmo')
    .description('Wmo deliveries for Dutch gemeenten: the Vektis Gemeentezorgspiegel (QSD301) file from iWmo declarations.')
    .option('--debug', 'show the full error with its stack trace')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run wmo --help or wmo <command> --help for the options)')
    // main.ts held the main thread's young generation while the modules loaded
    // (@wmo-toolkit/pipeline/young-generation); deliver decides by its input's size, the other
    // commands let it grow as V8 has it.
    .hook('preAction', (_program, command) => {
      if (command.name() !== 'deliver') letYoungGenerationGrow();
    });

  program
    .command('deliver')
    .description('Build the Gemeentezorgspiegel QSD301 delivery and its quality report (domain.md §3).')
    .requiredOption('--gemeente <code>', 'CBS gemeente code, 4 digits (Hoorn is 0405)')
    .requiredOption('--year <year>', 'reporting year (Jaar)')
    .addOption(new Option('--period <period>', 'Y = 1 January–31 December, H1 = 1 January–30 June').choices(['Y', 'H1']).default('Y'))
    .requiredOption('--declarations <path>', 'file or folder (read recursively) of declarations; repeat for more', collect)
    .option('--declarations-format <adapter>', 'format of --declarations: iwmo (WMO323/325 and WMO303/304 XML) or csv-export (case-system export, with --mapping)', 'iwmo')
    .option('--mapping <name|file>', 'column mapping of a csv-export: generic, or a JSON/YAML file (see adapters/csv-export)')
    .option('--clients <file>', 'client register CSV: bsn;geboortedatum;adres_begindatum;adres_einddatum;gemeentecode;wijkcode;postcode;huisnummer')
    .option('--allocations <path>', 'WMO301 allocation messages as fallback for birth dates and addresses; repeat for more', collect)
    .option('--wijken <file>', 'CBS wijk list: gemeentecode;gemeentenaam;wijkcode;wijknaam (default: bundled 2024 list of six gemeenten)')
    .option('--addresses <file>', 'CBS postcode + house number table: PC6;Huisnummer;BuurtYYYY;WijkYYYY;GemeenteYYYY')
    .option('--municipalities <file>', 'CBS gemeente list: Gemeentecode;Gemeentenaam (default: bundled 2025 list)')
    .option('--codelist <name|file>', `product code list: ${Object.keys(CODE_LISTS).join(', ')}, or a CSV file productcode;categorie;omschrijving`)
    .requiredOption('--delivery-date <date>', 'delivery date YYYY-MM-DD (in the file name)')
    .requiredOption('--out <dir>', 'folder for the delivery and its .report.json and .report.html')
    .option('--sequence <NN>', 'sequence number of the delivery (default: one more than the highest in --out)')
    .addOption(new Option('--dialect <dialect>', 'spelling: example (seed §6.1: HH_Hulp, HULP_DNST, nvt) or field-table (§4.2: HH_HULP, HULP_DNS, n.v.t.)').choices(['example', 'field-table']).default('example'))
    .option('--count-pending', 'count iWmo 3.x declarations without an answer (WMO325) as approved')
    .option('--key-file <file>', 'secret for the pseudonymous client keys in the report (default: a new random secret per run)')
    .option('--adapter <path|package>', 'use an adapter from outside the toolkit (its default export: a factory or an adapter); repeat for more', collect)
    .option('--workers <n>', 'worker threads that read big declaration inputs: auto (on two cores or more: two from 64 MB of iWmo declarations, one from a 48 MB export), 0 to read in one thread, or a number; fewer use less memory and take longer', 'auto')
    .option('--quiet', 'no progress display')
    .option('--debug', 'show the full error with its stack trace')
    .action(async (options) => {
      const numeric = (value: string | undefined, name: string): number | undefined => {
        if (value === undefined) return undefined;
        if (!/^\d+$/.test(value)) throw new WmoError(`--${name} ${value} is not a whole number.`, { code: 'usage' });
        return Number(value);
      };
      const showProgress = io.stderrIsTty && !options.quiet;
      const hooks: DeliverHooks = showProgress ? { onProgress: (p) => io.stderr(progressLine(p)) } : {};
      await addExternalAdapters(options.adapter, hooks);
      // V8's settings for the delivery, for the whole process (pipeline/src/heap.ts): no
      // allocation-site pretenuring for iWmo XML, and for a big input heaps that grow less and
      // young generations held at their starting size
      useDeliveryHeapSettings({ format: options.declarationsFormat, declarationBytes: await declarationBytes(options.declarations) });
      const result = await deliver(
        {
          municipality: options.gemeente,
          year: numeric(options.year, 'year')!,
          period: options.period,
          declarations: options.declarations,
          declarationsFormat: options.declarationsFormat,
          ...(options.mapping ? { mapping: options.mapping } : {}),
          ...(options.clients ? { clients: options.clients } : {}),
          ...(options.allocations ? { allocations: options.allocations } : {}),
          ...(options.wijken ? { wijken: options.wijken } : {}),
          ...(options.addresses ? { addresses: options.addresses } : {}),
          ...(options.municipalities ? { municipalities: options.municipalities } : {}),
          ...(options.codelist ? { codelist: options.codelist } : {}),
          deliveryDate: options.deliveryDate,
          out: options.out,
          ...(options.sequence !== undefined ? { sequence: numeric(options.sequence, 'sequence')! } : {}),
          dialect: options.dialect,
          countPending: Boolean(options.countPending),
          ...(options.keyFile ? { keyFile: options.keyFile } : {}),
          workers: options.workers === 'auto' ? 'auto' : numeric(options.workers, 'workers')!,
        },
        hooks,
      );
      if (showProgress) io.stderr('\n');
      const { report } = result.delivery;
      const s = report.selection;
      const euros = (cents: number) => `€${(cents / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      const lines = [
        `${result.municipality.name} (${result.municipality.code}), ${report.year} ${report.period === 'Y' ? 'whole year' : 'first half year'}:`,
        `  approved ${s.approvedDebits.count} performances (${euros(s.approvedDebits.amountCents)}) and ${s.approvedCredits.count} credits (${euros(s.approvedCredits.amountCents)}); rejected ${s.rejected.count}, pending ${s.pending.count}, other gemeente ${s.otherMunicipality.count}, Verblijf en Opvang ${s.excluded.count}`,
        `  ${report.clients.delivered} clients in the file, ${report.clients.withoutWijk.length} without wijk, ${report.clients.leftOut.length} left out; ${report.warnings.reduce((n, w) => n + w.count, 0)} warnings`,
      ];
      if (result.files.csv) lines.push(`Delivery: ${result.files.csv}`);
      lines.push(`Report:   ${result.files.reportHtml}`, `          ${result.files.reportJson}`);
      io.stdout(lines.join('\n') + '\n');
      if (!result.delivery.passed) {
        const failed = report.checks.filter((c) => !c.passed).map((c) => c.description);
        io.stderr(`wmo: the delivery did not pass its checks (${failed.join('; ')}); no delivery file was written — see ${result.files.reportHtml}.\n`);
        throw new Exit(EXIT.checkFailed);
      }
    });

  program
    .command('validate')
    .description('Check a QSD301 file (ours or anyone\'s) against every rule of domain.md §3; prints each finding with its line number.')
    .argument('<file>', 'the QSD301 CSV file')
    .option('--gemeente <code>', 'also check that every wijk of this gemeente is in the file (with --wijken or the bundled list)')
    .option('--wijken <file>', 'CBS wijk list for the completeness check: gemeentecode;gemeentenaam;wijkcode;wijknaam')
    .option('--debug', 'show the full error with its stack trace')
    .action(async (file: string, options) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new WmoError(`${file} cannot be read (${code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : code}).`, { code: 'input-unreadable', location: { file } });
      }
      let expectedWijkCodes: string[] | undefined;
      if (options.gemeente) {
        const wijken: Wijk[] = [];
        for await (const item of readGeography(cbsGeography(options.wijken ? { wijkenFile: options.wijken } : {}), { municipality: options.gemeente })) {
          if (item.type === 'wijk') wijken.push(item.wijk);
        }
        if (wijken.length === 0) throw new WmoError(`The wijk list has no wijken of gemeente ${options.gemeente}; give its CBS wijk list with --wijken.`, { code: 'usage' });
        expectedWijkCodes = wijken.map((w) => w.code);
      }
      const outcome = checkQsd301(bytes, expectedWijkCodes ? { expectedWijkCodes } : {});
      if (outcome.findings.length === 0) {
        io.stdout(`${file}: passes every check (${outcome.rows} rows, ${outcome.dialect.id === 'example' ? 'spelling of the example file' : 'spelling of the field table'}).\n`);
        return;
      }
      for (const finding of outcome.findings) io.stdout(`${file}:${finding.line ?? '-'}: ${finding.message.replace(/^line \d+(, the last line)?: /, '')} [${finding.check}]\n`);
      io.stderr(`wmo: ${file} has ${outcome.findings.length} finding${outcome.findings.length === 1 ? '' : 's'}; it must not be sent as it is.\n`);
      throw new Exit(EXIT.checkFailed);
    });

  program
    .command('arrangements')
    .description('Build the CBS arrangement data (Wmo maatwerkarrangementen, WMOBUS method of seed 004): the arrangement file, the publication counts and a report.')
    .requiredOption('--gemeente <code>', 'CBS gemeente code, 4 digits')
    .requiredOption('--year <year>', 'reporting year')
    .option('--allocations <path>', 'iWmo WMO301 allocations with WMO305 starts and WMO307 stops (files or folders); repeat for more', collect)
    .option('--arrangements-csv <file>', 'arrangements the messages do not carry (PGB, anders): bsn;gemeentecode;toewijzingnummer;type;financieringsvorm;begindatum;einddatum;reden_einde', collect)
    .requiredOption('--key-file <file>', 'secret (at least 16 characters) for the pseudonymous person keys in the arrangement file')
    .requiredOption('--out <dir>', 'folder for CBS_WMO_<gemeente>_<year>_<NN>.csv, .tellingen.csv, .report.json and .report.html')
    .option('--sequence <NN>', 'sequence number (default: one more than the highest in --out)')
    .option('--suppress', 'publication counts as CBS publishes them: under 10 secret (.), others rounded to multiples of 5')
    .addOption(new Option('--consent <1|2|3>', 'ToestemmingWmo: 1 only the first half year, 2 only the second, 3 both').choices(['1', '2', '3']).default('3'))
    .option('--municipalities <file>', 'CBS gemeente list (default: bundled 2025 list)')
    .option('--debug', 'show the full error with its stack trace')
    .action(async (options) => {
      if (!/^\d+$/.test(options.year)) throw new WmoError(`--year ${options.year} is not a whole number.`, { code: 'usage' });
      const result = await arrangements({
        municipality: options.gemeente,
        year: Number(options.year),
        allocations: options.allocations ?? [],
        arrangementsCsv: options.arrangementsCsv ?? [],
        keyFile: options.keyFile,
        out: options.out,
        ...(options.sequence !== undefined ? { sequence: Number(options.sequence) } : {}),
        suppress: Boolean(options.suppress),
        consent: options.consent,
        ...(options.municipalities ? { municipalities: options.municipalities } : {}),
      });
      const r = result.report;
      io.stdout(
        [
          `${r.municipality.name} (${r.municipality.code}), ${r.year}: ${r.sources.map((s) => `${s.records} records from ${s.id}`).join(', ')}`,
          `  merged ${r.mergedByAllocation} by allocation and ${r.mergedByPeriod} by period into ${r.arrangements} arrangements of ${r.clients} clients; ${r.recordsOutsideYear} outside ${r.year}, ${r.recordsWithoutStart} without start`,
          `Arrangements: ${result.files.arrangements}`,
          `Counts:       ${result.files.counts}`,
          `Report:       ${result.files.reportHtml}`,
          `              ${result.files.reportJson}`,
        ].join('\n') + '\n',
      );
    });

  program
    .command('serve')
    .description('Start the web app: upload declarations and the client register in a browser, get the delivery and its report.')
    .option('--host <address>', 'address to listen on; another than 127.0.0.1 needs the environment variable WMO_TOKEN', '127.0.0.1')
    .option('--port <port>', 'port', '8080')
    .option('--max-upload-mb <mb>', 'largest upload of one job (zip contents counted unpacked)', '500')
    .option('--job-ttl-minutes <minutes>', 'results are removed this long after a job finished, if not fetched before', '60')
    .option('--adapter <path|package>', 'use an adapter from outside the toolkit; repeat for more', collect)
    .option('--debug', 'show the full error with its stack trace')
    .action(async (options) => {
      const { createWebApp } = await import('@wmo-toolkit/web');
      const hooks: DeliverHooks = {};
      await addExternalAdapters(options.adapter, hooks);
      const token = process.env.WMO_TOKEN || undefined;
      const web = await createWebApp({
        host: options.host,
        port: Number(options.port),
        ...(token ? { token } : {}),
        maxUploadBytes: Number(options.maxUploadMb) * 1e6,
        jobTtlMs: Number(options.jobTtlMinutes) * 60_000,
        hooks,
        log: false,
      });
      const address = await web.listen();
      io.stdout(`wmo web app on ${address}${token ? ' (API calls need the token of WMO_TOKEN)' : ''}; stop with Ctrl+C.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await web.close(); // removes every job folder: uploads and results
      io.stdout('wmo web app stopped; its temporary files are removed.\n');
    });

  return program;
}

/** What to do about an error, where the message itself does not say it. */
function hint(error: WmoError): string {
  if (error.code === 'input-unreadable') return ' Check the path.';
  if (error.code === 'input-invalid' && error.adapterId === 'iwmo') return ' Fix or remove that file: --declarations takes iWmo XML messages.';
  if (error.code === 'input-invalid' && error.adapterId === 'clients-csv') return ' Fix the client register given with --clients.';
  if (error.code === 'input-conflict') return ' Remove the wrong one and run again.';
  return '';
}

/** Runs the program; returns the exit status (0 ok, 1 a check failed, 2 usage or unreadable input). */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return EXIT.ok;
      return EXIT.usage; // commander has printed its one-line message already
    }
    if (WmoError.isInstance(error)) {
      io.stderr(`wmo: ${error.message}${hint(error)}\n`);
      if (debug) io.stderr(`${error.stack ?? ''}\n${error.cause instanceof Error ? `cause: ${error.cause.stack}\n` : ''}`);
      return error.code === 'check-failed' ? EXIT.checkFailed : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`wmo: unexpected error: ${message}${debug ? '' : ' (run again with --debug for details)'}\n`);
    if (debug && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT.usage;
  }
}
