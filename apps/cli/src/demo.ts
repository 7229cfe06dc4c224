// `pnpm demo`: the main job on the bundled sample data — a Gemeentezorgspiegel delivery for Hoorn
// (0405) over 2023 from test-fixtures/scenarios/hoorn-2023 — written to demo-output/, then checked
// with `wmo validate`. Every run takes the next sequence number; nothing is overwritten.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './program.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sample = path.join(root, 'test-fixtures/scenarios/hoorn-2023');
const out = path.join(root, 'demo-output');
const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};
const rel = (p: string) => path.relative(process.cwd(), p) || '.';

const args = [
  'deliver',
  '--gemeente', '0405',
  '--year', '2023',
  '--declarations', rel(path.join(sample, 'declarations')),
  '--clients', rel(path.join(sample, 'clients.csv')),
  '--addresses', rel(path.join(root, 'test-fixtures/cbs/pc6hnr20240801_gwb-sample.csv')),
  '--codelist', 'hoorn',
  '--delivery-date', new Date().toISOString().slice(0, 10),
  '--out', rel(out),
];
process.stdout.write(`$ wmo ${args.join(' ')}\n`);
let code = await run(args, io);
if (code === 0) {
  const newest = (await readdir(out)).filter((f) => f.endsWith('.csv')).sort().pop()!;
  const file = rel(path.join(out, newest));
  process.stdout.write(`\n$ wmo validate ${file}\n`);
  code = await run(['validate', file, '--gemeente', '0405'], io);
  if (code === 0) process.stdout.write(`\nOpen ${rel(path.join(out, newest.replace(/\.csv$/, '.report.html')))} in a browser for the quality report.\n`);
}
process.exitCode = code;
