// Writes the XML fixtures of test-fixtures/ from their descriptions: `pnpm fixtures`.
import { mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { D1, D2, selectionFiles } from './selection-scenario.js';
import { HOORN_EXPORT_MAPPING, hoornScenarioExport, hoornScenarioFiles } from './hoorn-scenario.js';
import { arrangementScenarioFiles } from './arrangements-scenario.js';
import { wmo301, wmo323 } from './iwmo-builder.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function writeSet(folder: string, files: Record<string, string>): Promise<void> {
  const dir = path.join(root, folder);
  await rm(dir, { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

await writeSet('iwmo/selection', selectionFiles());
// A Jeugdwet declaration among the Wmo messages: recognised and passed over.
await copyFile(path.join(root, '../../shared/reference/iwmo-samples/ijw-3.2/JW323.xml'), path.join(root, 'iwmo/selection/p1/jeugd.xml'));

// Broken inputs: each must give one clear error naming the file (and line or element).
const march = wmo323(D1);
await writeSet('iwmo/broken', {
  'not-xml.xml': '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n',
  'truncated.xml': march.slice(0, Math.floor(march.length * 0.6)),
  'unknown-namespace.xml': '<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="http://example.org/declaraties"><Header/></Bericht>\n',
  'missing-element.xml': march.replace(/<w:IngediendBedrag>.*?<\/w:IngediendBedrag>/, ''),
  'conflict/a.xml': wmo323(D2),
  'conflict/b.xml': wmo323({ ...D2, clients: [{ ...D2.clients[0]!, performances: D2.clients[0]!.performances.slice(0, 1) }] }),
});
// WMO301 allocations: client A moves on 1 September 2023 (second allocation names the new address).
const allocation = { municipality: '0405', provider: '11111111', bsn: '999990019', birthDate: '1950-01-01' };
await writeSet('iwmo/allocations', {
  'first.xml': wmo301({ ...allocation, id: 'T-1', date: '2023-01-10', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5001, category: '01', code: '01001', start: '2023-01-01', end: '2023-12-31' }] }),
  'second.xml': wmo301({ ...allocation, id: 'T-2', date: '2023-08-20', postcode: '1625 cd', houseNumber: 3, products: [{ allocation: 5002, category: '01', code: '01001', start: '2023-09-01' }] }),
});
// The bundled Hoorn 2023 sample (demo and end-to-end tests); EXPECTED.md and the expected
// file are written by hand and kept.
const scenario = path.join(root, 'scenarios/hoorn-2023');
await rm(path.join(scenario, 'declarations'), { recursive: true, force: true });
for (const [name, content] of Object.entries(hoornScenarioFiles())) {
  await mkdir(path.dirname(path.join(scenario, name)), { recursive: true });
  await writeFile(path.join(scenario, name), content);
}
await mkdir(path.join(scenario, 'export'), { recursive: true });
await writeFile(path.join(scenario, 'export/declaratieregels-2023.csv'), hoornScenarioExport());
await writeFile(path.join(scenario, 'export/mapping.yaml'), HOORN_EXPORT_MAPPING);

// CBS arrangements: allocations, starts and stops, and a CSV; EXPECTED.md and the expected files are kept.
const arrangements = path.join(root, 'scenarios/arrangements-2023');
await rm(path.join(arrangements, 'allocations'), { recursive: true, force: true });
for (const [name, content] of Object.entries(arrangementScenarioFiles())) {
  await mkdir(path.dirname(path.join(arrangements, name)), { recursive: true });
  await writeFile(path.join(arrangements, name), content);
}

// Export dialects and broken exports for the csv-export adapter (expected values in its tests).
const generic = [
  'gemeente;aanbieder;declaratienummer;referentie;vorige_referentie;toewijzingnummer;bsn;categorie;productcode;begindatum;einddatum;volume;eenheid;bedrag;debet_credit;status',
  '0405;10000001;D1;R1;;5001;999990019;01;01001;2023-03-01;2023-03-31;10;04;1.234,56;D;goedgekeurd',
  '0405;10000001;D1;R2;;5001;999990019;01;01001;2023-04-01;2023-04-30;10;04;300,00;D;afgekeurd',
  '0405;10000001;D2;R3;R1;5001;999990019;01;01001;2023-03-01;2023-03-31;10;04;1.234,56;C;goedgekeurd',
  '0405;10000001;D2;R4;;5001;999990019;;XX999;2023-05-01;2023-05-31;1;82;"12,50";D;goedgekeurd',
  '0405;10000002;D3;"R5;a";;5002;99999002;2;02826;2023-06-01;2023-06-30;2;04;120,00;D;goedgekeurd',
].join('\r\n') + '\r\n';
const broken = [
  'Gemeente,BSN,Regel,Code,Van,Tot,Bedrag',
  '0405,999990019,R1,01001,01-03-2023,31-03-2023,"100,00"',
  '0405,999990019,R2,01001,01-04-2023,30-04-2023,"12,3,4"',
  '0405,999990019,R3,01001,01-02-2023,31-02-2023,"100,00"',
  '0405,999990019,R4,01001,20230501,20230531,"100,00"',
  '0405,999990019,R5,01001,01-06-2023,30-06-2023,"-25,00"',
  '0405,999990019,"R6 with a',
  'newline in a quoted field",01001,01-07-2023,31-07-2023,"10,00"',
  '0405,999990019,R7,01001,01-08-2023',
  '0405,999990019,R8,01001,01-09-2023,30-09-2023,"100,00"',
].join('\n') + '\n';
await writeSet('csv-export', { 'generic.csv': generic, 'broken.csv': broken });
console.log('fixtures written');
