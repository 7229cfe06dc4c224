// One measurement in its own process, so that peak memory (maxRSS) belongs to it alone.
// Usage: node … measure.ts <kind> <archive dir>; prints one JSON line.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { createReadStream } from 'node:fs';
import { ClientIndex, buildDelivery, createPseudonymizer, readDeclarations } from '@wmo-toolkit/core';
import { iwmoSource } from '@wmo-toolkit/iwmo';
import { loadAddresses } from '@wmo-toolkit/cbs-geo';
import { csvExportSource } from '@wmo-toolkit/csv-export';
import { syntheticBsn } from './generate.js';

const [kind, dir, clientsArg] = process.argv.slice(2) as [string, string, string | undefined];
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
const started = process.hrtime.bigint();
let performances = 0;

if (kind === 'parse-saxes') {
  for (const f of files) {
    const parser = new SaxesParser({ xmlns: true });
    parser.on('opentag', (tag) => {
      if (tag.local === 'Prestatie') performances++;
    });
    for await (const chunk of createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.write(chunk as string);
    parser.close();
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
  const file = path.join(`${dir}-export`, 'declaratieregels.csv');
  bytes = (await stat(file)).size;
  for await (const item of readDeclarations(csvExportSource({ paths: [file], mapping: 'generic' }), { municipality: '0405' })) if (item.type !== 'warning') performances++;
} else if (kind === 'deliver') {
  const pseudonymize = createPseudonymizer('bench');
  const clients = new ClientIndex(pseudonymize);
  const n = Number(clientsArg);
  for (let i = 0; i < n; i++) {
    clients.add({ clientKey: syntheticBsn(i + 1), birthDate: `${1930 + (i % 90)}-0${1 + (i % 9)}-15`, addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: `WK0405${['10', '11', '12', '13', '20', '21', '22', '30', '31', '32', '33', '34', '35', '36'][i % 14]}` }] });
  }
  let count = 0;
  const declarations = (async function* () {
    for await (const item of readDeclarations(iwmoSource({ paths: [dir] }), { municipality: '0405' })) {
      if (item.type !== 'warning') count++;
      yield item;
    }
  })();
  const wijken = ['10', '11', '12', '13', '20', '21', '22', '30', '31', '32', '33', '34', '35', '36'].map((w) => ({ municipality: '0405', municipalityName: 'Hoorn', code: `WK0405${w}`, name: `Wijk ${w}`, year: 2024 }));
  const delivery = await buildDelivery({ municipality: { code: '0405', name: 'Hoorn' }, year: 2023, period: 'Y', wijken, clients, declarations, pseudonymize });
  if (!delivery.passed) throw new Error('delivery checks failed');
  performances = count;
} else throw new Error(`unknown measurement ${kind}`);

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({ kind, files: files.length, megabytes: bytes / 1e6, performances, seconds, mbPerSecond: bytes / 1e6 / seconds, performancesPerSecond: performances / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
