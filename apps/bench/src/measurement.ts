// One measurement, loaded by measure.ts (see there) in a process of its own.
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { createReadStream } from 'node:fs';
import { readDeclarations } from '@wmo-toolkit/core';
import { deliver, useDeliveryHeapSettings } from '@wmo-toolkit/pipeline';
import { duckdbSameRules, duckdbSql } from './duckdb-sql.js';
import { exportVariant } from './export-variants.js';
import { exportDir, keptQsd301 } from './archive.js';
import { iwmoSource } from '@wmo-toolkit/iwmo';
import { loadAddresses } from '@wmo-toolkit/cbs-geo';
import { csvExportSource } from '@wmo-toolkit/csv-export';

const [kind, dir] = process.argv.slice(2) as [string, string];
// The toolkit's measurements from iWmo XML run with the V8 setting `wmo deliver` makes for them
// (no pretenuring); the CSV ones and the peers as they are. The deliver measurements get all of
// `wmo deliver`'s settings, made below with the input's size.
if (kind === 'ingest-iwmo') useDeliveryHeapSettings();
if (kind === 'load-pc6-table') {
  // dir is the table file here
  const started = process.hrtime.bigint();
  const megabytes = (await stat(dir)).size / 1e6;
  await loadAddresses(dir, '0405');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ kind, files: 1, megabytes, performances: 0, seconds, mbPerSecond: megabytes / seconds, performancesPerSecond: 0, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
}
const files = (await readdir(dir)).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f));
let bytes = 0;
for (const f of files) bytes += (await stat(f)).size;
// deliver-csv-unlinked and deliver-csv-credited read the export as other case systems write it
// (export-variants.ts), made before the clock
const variant = kind === 'deliver-csv-unlinked' ? 'unlinked' : kind === 'deliver-csv-credited' ? 'credited' : undefined;
const exported = exportDir(dir);
const exportFile = path.join(exported, 'declaratieregels.csv');
const csvFile = variant ? await exportVariant(exportFile, variant) : exportFile;
if (kind === 'deliver') useDeliveryHeapSettings({ format: 'iwmo', declarationBytes: bytes });
if (kind.startsWith('deliver-csv')) useDeliveryHeapSettings({ format: 'csv-export', declarationBytes: (await stat(csvFile)).size });
const started = process.hrtime.bigint();
let performances = 0;
let rows: unknown[][] = [];

if (kind === 'parse-saxes') {
  for (const f of files) {
    const parser = new SaxesParser({ xmlns: true });
    parser.on('opentag', (tag) => {
      if (tag.local === 'Prestatie') performances++;
    });
    for await (const chunk of createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.write(chunk as string);
    parser.close();
  }
} else if (kind === 'parse-htmlparser2') {
  const { Parser } = await import('htmlparser2');
  for (const f of files) {
    const parser = new Parser({ onopentagname: (name) => { if (name.endsWith(':Prestatie')) performances++; } }, { xmlMode: true });
    for await (const chunk of createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.write(chunk as string);
    parser.end();
  }
} else if (kind === 'parse-sax-wasm') {
  const { SaxEventType, SAXParser } = await import('sax-wasm');
  const wasm = await readFile(new URL(import.meta.resolve('sax-wasm/lib/sax-wasm.wasm')));
  const parser = new SAXParser(SaxEventType.OpenTag);
  parser.eventHandler = (_type, detail) => {
    if ((detail as unknown as { name: string }).name.endsWith(':Prestatie')) performances++;
  };
  await parser.prepareWasm(wasm);
  for (const f of files) {
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) parser.write(chunk as Buffer);
    parser.end();
  }
} else if (kind === 'parse-fast-xml-parser') {
  const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true });
  for (const f of files) {
    const tree = parser.parse(await readFile(f, 'utf8'));
    const clients = tree.Bericht?.Declaratie?.Clienten?.Client ?? tree.Bericht?.DeclaratieAntwoord?.Clienten?.Client ?? [];
    for (const c of Array.isArray(clients) ? clients : [clients]) {
      const p = c.Prestaties?.Prestatie;
      performances += Array.isArray(p) ? p.length : p ? 1 : 0;
    }
  }
} else if (kind === 'ingest-iwmo') {
  for await (const item of readDeclarations(iwmoSource({ paths: [dir] }), { municipality: '0405' })) if (item.type !== 'warning') performances++;
} else if (kind === 'ingest-csv-export') {
  bytes = (await stat(exportFile)).size;
  for await (const item of readDeclarations(csvExportSource({ paths: [exportFile], mapping: 'generic' }), { municipality: '0405' })) if (item.type !== 'warning') performances++;
} else if (kind === 'deliver' || kind.startsWith('deliver-csv')) {
  // end to end, as `wmo deliver` does it (pipeline): register, geography, source, engine, files
  const out = await mkdtemp(path.join(os.tmpdir(), 'wmo-bench-out-'));
  if (kind !== 'deliver') bytes = (await stat(csvFile)).size;
  const result = await deliver({
    municipality: '0405',
    year: 2023,
    declarations: [kind === 'deliver' ? dir : csvFile],
    declarationsFormat: kind === 'deliver' ? 'iwmo' : 'csv-export',
    ...(kind !== 'deliver' ? { mapping: 'generic' } : {}),
    clients: path.join(exported, 'clients.csv'),
    deliveryDate: '2024-01-15',
    out,
  });
  if (!result.delivery.passed) throw new Error('delivery checks failed');
  performances = result.delivery.report.selection.approvedDebits.count + result.delivery.report.selection.approvedCredits.count + result.delivery.report.selection.rejected.count;
  // the QSD301 file, for duckdb-sql-same to compare its numbers with, and main.ts the files
  await copyFile(result.files.csv!, keptQsd301(dir, kind));
  await rm(out, { recursive: true, force: true });
} else if (kind === 'duckdb-sql' || kind === 'duckdb-sql-same') {
  // The peer an analyst would otherwise use: the aggregation in SQL over the same CSV export, with
  // an analyst's shortcuts (duckdb-sql) or with the same rules as the toolkit (duckdb-sql-same).
  const { DuckDBInstance } = await import('@duckdb/node-api');
  bytes = (await stat(exportFile)).size;
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const query = kind === 'duckdb-sql' ? duckdbSql : duckdbSameRules;
  const reader = await connection.runAndReadAll(query(exportFile, path.join(exported, 'clients.csv')));
  performances = Number((await connection.runAndReadAll(`select count(*) from read_csv('${exportFile}', delim=';', header=true)`)).getRows()[0]![0]);
  rows = reader.getRows();
  if (rows.length === 0) throw new Error('no rows');
} else throw new Error(`unknown measurement ${kind}`);

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
// (after the clock) the same-rules SQL's cells against the toolkit's file of deliver-csv
const differences = kind === 'duckdb-sql-same' ? await differencesFromToolkit(keptQsd301(dir, 'deliver-csv'), rows) : undefined;
process.stdout.write(
  JSON.stringify({ kind, files: files.length, megabytes: bytes / 1e6, performances, seconds, mbPerSecond: bytes / 1e6 / seconds, performancesPerSecond: performances / seconds, peakRssMb, ...(differences ? { differences } : {}) }) + '\n',
);

/**
 * The cells (wijk, age class, category) whose clients or euros differ between the toolkit's QSD301
 * file and the SQL's rows (wijk or `nvt`, age class, category, clients, euros), and the cells in one
 * of them only, leaving out cells of 0 clients and 0 euros; or `no-file` when deliver-csv has not
 * run on this archive.
 */
async function differencesFromToolkit(file: string, sqlRows: unknown[][]): Promise<{ cells: number; differing: number } | 'no-file'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 'no-file';
  }
  const toolkit = new Map<string, string>();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const f = line.split(';'); // Jaar;Gemcode;Gemnaam;Wijkcode;Wijknaam;Lftijdskl;Prodcat_GZS;Aantal_clienten;Uitgaven
    if (f[7] !== '0' || f[8] !== '0') toolkit.set(`${f[3]}|${f[5]}|${f[6]}`, `${f[7]}|${f[8]}`);
  }
  const sql = new Map(sqlRows.filter((r) => Number(r[3]) !== 0 || Number(r[4]) !== 0).map((r) => [`${String(r[0])}|${String(r[1])}|${String(r[2])}`, `${String(r[3])}|${String(r[4])}`]));
  let differing = 0;
  for (const [cell, value] of toolkit) if (sql.get(cell) !== value) differing++;
  for (const cell of sql.keys()) if (!toolkit.has(cell)) differing++;
  return { cells: toolkit.size, differing };
}
