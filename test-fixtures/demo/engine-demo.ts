// Until the CLI exists (issue 5), `pnpm demo` runs the engine on a small hand-made example for
// Hoorn (0405) and writes the delivery to demo-output/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientIndex, buildDelivery, createPseudonymizer, deliveryFileNames, writeNewFile, type Performance } from '@wmo-toolkit/core';

const pseudonymize = createPseudonymizer();
const clients = new ClientIndex(pseudonymize);
clients.add({ clientKey: '999990019', birthDate: '1950-03-12', addresses: [{ start: '2010-01-01', end: null, municipality: '0405', wijkCode: 'WK040512' }] });
clients.add({ clientKey: '999990020', birthDate: '2005-06-30', addresses: [{ start: '2015-05-01', end: null, municipality: '0405', wijkCode: 'WK040510' }] });
const performance = (clientKey: string, reference: string, category: string, month: string, amountCents: number): Performance => ({
  municipality: '0405', provider: '12345678', declarationId: 'DEMO1', reference, clientKey, category, productCode: null,
  periodStart: `2023-${month}-01`, periodEnd: `2023-${month}-28`, volume: 1, unit: '04', amountCents, debitCredit: 'D', source: { file: 'engine-demo.ts' },
});
const delivery = await buildDelivery({
  municipality: { code: '0405', name: 'Hoorn' },
  year: 2023,
  period: 'Y',
  wijken: [
    { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040510', name: 'Wijk 10 Binnenstad', year: 2024 },
    { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040512', name: 'Wijk 12 Hoorn-Noord', year: 2024 },
  ],
  clients,
  declarations: [
    { type: 'performance', performance: performance('999990019', 'R1', '01', '02', 9000) },
    { type: 'performance', performance: performance('999990020', 'R2', '02', '03', 12345) },
  ],
  pseudonymize,
});
const out = path.resolve('demo-output');
await mkdir(out, { recursive: true });
const names = await deliveryFileNames(out, '0405', 2023, new Date().toISOString().slice(0, 10));
await writeNewFile(names.csv, delivery.csv);
await writeNewFile(names.reportJson, JSON.stringify(delivery.report, null, 2) + '\n');
process.stdout.write(`${delivery.passed ? 'Checks passed' : 'CHECKS FAILED'}; wrote ${path.relative(process.cwd(), names.csv)} and its report:\n\n${delivery.csv}`);
