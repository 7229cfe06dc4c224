// `pnpm bench`: generates deterministic archives and measures ingestion, each measurement in a
// fresh process. Prints one line per measurement and writes apps/bench/results.json.
// Options: --clients N (default 5000 ≈ scale 1), --providers N (default 8), --only KIND[,KIND].
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArchive } from './generate.js';
import { generatePc6Table } from './pc6-table.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const clients = Number(option('clients', '5000'));
const providers = Number(option('providers', '8'));
const kinds = option('only', 'parse-saxes,parse-fast-xml-parser,ingest-iwmo,ingest-csv-export,deliver,load-pc6-table').split(',');
const here = path.dirname(fileURLToPath(import.meta.url));

const dir = path.join(os.tmpdir(), `wmo-bench-v2-${clients}-${providers}`);
if (!existsSync(path.join(dir, '.complete'))) {
  const stats = await generateArchive({ dir, clients, providers, year: 2023 });
  await writeFile(path.join(dir, '.complete'), JSON.stringify(stats));
  console.log(`generated ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.performances} performances in ${dir}`);
}

const pc6 = path.join(os.tmpdir(), 'wmo-bench-pc6hnr-national.csv');
if (kinds.includes('load-pc6-table')) await generatePc6Table(pc6);

const results = [];
for (const kind of kinds) {
  const target = kind === 'load-pc6-table' ? pc6 : dir;
  const out = execFileSync(process.execPath, ['--conditions=@wmo-toolkit/source', '--import', 'tsx', path.join(here, 'measure.ts'), kind, target, String(clients)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  results.push({ ...result, clients, providers, node: process.version, cpus: os.cpus().length });
  console.log(
    `${kind.padEnd(22)} ${result.megabytes.toFixed(1).padStart(7)} MB ${result.seconds.toFixed(2).padStart(7)} s ${result.mbPerSecond.toFixed(1).padStart(6)} MB/s ${Math.round(result.performancesPerSecond).toString().padStart(8)} perf/s  peak RSS ${Math.round(result.peakRssMb)} MB`,
  );
}
await mkdir(path.join(here, '..'), { recursive: true });
await writeFile(path.join(here, '..', 'results.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
