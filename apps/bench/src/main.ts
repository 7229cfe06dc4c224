// `pnpm bench` — generates deterministic archives at scales 1, 10 and 50 (scale 1 ≈ a gemeente of
// 5,000 clients; --national adds 250), then measures each step in a fresh process so that peak
// memory belongs to it alone. Prints one line per measurement and a summary with the ratios to
// the peers; writes apps/bench/results.json. Never part of the test suite.
//   --scales 1,10     other scales        --only kind,kind   some measurements
//   --national        add scale 250       --keep             keep generated archives in /tmp
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArchive } from './generate.js';
import { generatePc6Table } from './pc6-table.js';
import { archiveDir, keptQsd301 } from './archive.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const scales = option('scales', args.includes('--national') ? '1,10,50,250' : '1,10,50').split(',').map(Number);
const kinds = option('only', 'parse-saxes,parse-htmlparser2,parse-sax-wasm,ingest-iwmo,ingest-csv-export,deliver,deliver-csv,deliver-csv-unlinked,deliver-csv-credited,duckdb-sql,duckdb-sql-same,load-pc6-table').split(',');
const here = path.dirname(fileURLToPath(import.meta.url));

interface Result {
  kind: string;
  scale: number;
  megabytes: number;
  performances: number;
  seconds: number;
  mbPerSecond: number;
  performancesPerSecond: number;
  peakRssMb: number;
  /** duckdb-sql-same: its cells against the toolkit's file (deliver-csv's, same scale). */
  differences?: { cells: number; differing: number } | 'no-file';
}
const results: Result[] = [];

for (const scale of scales) {
  const clients = 5000 * scale;
  const providers = scale <= 10 ? 8 : Math.round((8 * scale) / 10);
  const dir = archiveDir(scale);
  if (!existsSync(path.join(dir, '.complete'))) {
    const started = Date.now();
    const stats = await generateArchive({ dir, clients, providers, year: 2023 });
    await writeFile(path.join(dir, '.complete'), JSON.stringify(stats));
    console.log(`scale ${scale}: generated ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.performances.toLocaleString('en-GB')} performances of ${clients.toLocaleString('en-GB')} clients in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const kind of kinds) {
    if (kind === 'load-pc6-table' && scale !== scales[0]) continue;
    let target = dir;
    if (kind === 'load-pc6-table') {
      target = path.join(os.tmpdir(), 'wmo-bench-pc6hnr-national.csv');
      await generatePc6Table(target);
    }
    // The measurement runs the built packages (dist/, as users run them), not the sources through
    // tsx: tsx's loader thread alone adds about 57 MB of resident memory and its transform keeps
    // function names with extra calls on the hot path.
    const out = execFileSync(process.execPath, [path.join(here, '..', 'dist', 'measure.js'), kind, target], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const result = { ...JSON.parse(out.trim().split('\n').pop()!), scale } as Result;
    results.push(result);
    console.log(
      `scale ${String(scale).padStart(3)}  ${kind.padEnd(22)} ${result.megabytes.toFixed(1).padStart(8)} MB ${result.seconds.toFixed(2).padStart(8)} s ${result.mbPerSecond.toFixed(1).padStart(7)} MB/s ${Math.round(result.performancesPerSecond).toLocaleString('en-GB').padStart(9)} lines/s  peak RSS ${Math.round(result.peakRssMb).toString().padStart(5)} MB${result.differences ? `  ${describeDifferences(result.differences)}` : ''}`,
    );
  }
  if (!args.includes('--keep') && scale >= 50) await rm(dir, { recursive: true, force: true });
}

// Summary: ratios to the peers, and growth with scale.
const get = (kind: string, scale: number) => results.find((r) => r.kind === kind && r.scale === scale);
const lines: string[] = [];
for (const scale of scales) {
  const parse = ['parse-saxes', 'parse-htmlparser2', 'parse-sax-wasm'].map((k) => get(k, scale)).filter((r): r is Result => !!r);
  const fastest = parse.sort((a, b) => b.mbPerSecond - a.mbPerSecond)[0];
  const deliver = get('deliver', scale);
  const deliverCsv = get('deliver-csv', scale);
  const duck = get('duckdb-sql', scale);
  const same = get('duckdb-sql-same', scale);
  if (deliver && fastest) lines.push(`scale ${scale}: deliver from XML ${deliver.mbPerSecond.toFixed(1)} MB/s = ${((deliver.mbPerSecond / fastest.mbPerSecond) * 100).toFixed(0)}% of the parse-only limit (${fastest.kind}, ${fastest.mbPerSecond.toFixed(1)} MB/s); target ≥ 60 MB/s and ≥ 70%`);
  if (deliverCsv && same) {
    lines.push(`scale ${scale}: deliver from CSV ${deliverCsv.seconds.toFixed(2)} s = ${(deliverCsv.seconds / same.seconds).toFixed(1)}× DuckDB SQL with the same rules (${same.seconds.toFixed(2)} s; ${describeDifferences(same.differences ?? 'no-file')}); target ≤ 2×`);
  }
  if (deliverCsv && duck) lines.push(`scale ${scale}: deliver from CSV ${deliverCsv.seconds.toFixed(2)} s = ${(deliverCsv.seconds / duck.seconds).toFixed(1)}× DuckDB SQL with an analyst's shortcuts (${duck.seconds.toFixed(2)} s)`);
  if (deliver) lines.push(`scale ${scale}: deliver peak RSS ${Math.round(deliver.peakRssMb)} MB${scale === 50 ? '; target < 300 MB' : ''}`);
  for (const [kind, what] of [
    ['deliver', 'deliver from XML'],
    ['deliver-csv-unlinked', 'deliver from the export without VorigReferentieNummer'],
    ['deliver-csv-credited', 'deliver from the export with credited debits instead of credit lines'],
  ] as const) {
    if (deliverCsv && get(kind, scale)) lines.push(`scale ${scale}: ${what} and deliver-csv ${await sameFile(scale, kind)}`);
  }
}
const first = scales[0]!;
const last = scales[scales.length - 1]!;
const d0 = get('deliver', first);
const d1 = get('deliver', last);
if (d0 && d1 && last > first) {
  lines.push(`growth ${first}→${last} (×${last / first}): deliver time ×${(d1.seconds / d0.seconds).toFixed(1)}, peak RSS ×${(d1.peakRssMb / d0.peakRssMb).toFixed(1)}`);
}
console.log(`\n${lines.join('\n')}`);
await writeFile(path.join(here, '..', 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results, summary: lines }, null, 2) + '\n');

function describeDifferences(differences: NonNullable<Result['differences']>): string {
  if (differences === 'no-file') return 'not compared: no QSD301 file of deliver-csv';
  return differences.differing === 0 ? `the same numbers as the toolkit's file in all ${differences.cells} cells` : `${differences.differing} of ${differences.cells} cells NOT the same as the toolkit's file`;
}

/** Whether a deliver measurement wrote the same QSD301 file as deliver-csv (measure.ts keeps each beside the export). */
async function sameFile(scale: number, kind: 'deliver' | 'deliver-csv-unlinked' | 'deliver-csv-credited'): Promise<string> {
  try {
    const [theirs, csv] = await Promise.all([kind, 'deliver-csv'].map((of) => readFile(keptQsd301(archiveDir(scale), of))));
    return theirs!.equals(csv!) ? 'wrote the same QSD301 file, byte for byte' : 'wrote DIFFERENT QSD301 files';
  } catch {
    return 'were not compared: a QSD301 file was not kept';
  }
}
