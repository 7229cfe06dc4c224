import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { wmo323, wmo325, type ClientSpec, type Declaration3Spec, type PerformanceSpec } from '../../../test-fixtures/src/iwmo-builder.js';
import { exportDir } from './archive.js';

/**
 * A deterministic archive of one gemeente (Hoorn, 0405) for a year: monthly WMO323 declarations
 * per provider with their WMO325 answers, about 2% of the lines rejected and 1% credited and
 * corrected in the next month. Scale 1 ≈ 5,000 clients.
 */
export interface ArchiveOptions {
  dir: string;
  clients: number;
  providers: number;
  year: number;
}

export interface ArchiveStats {
  files: number;
  bytes: number;
  performances: number;
}

export const WIJKEN = ['10', '11', '12', '13', '20', '21', '22', '30', '31', '32', '33', '34', '35', '36'].map((w) => `WK0405${w}`);

/** The client register of the generated gemeente (interfaces.md format), one address per client. */
export function clientRow(i: number): string {
  return `${syntheticBsn(i + 1)};${1930 + (i % 90)}-0${1 + (i % 9)}-15;2000-01-01;;0405;${WIJKEN[i % WIJKEN.length]};;`;
}

const CATEGORIES: [string, string, number][] = [
  ['01', '01001', 2850],
  ['02', '02826', 6200],
  ['07', '07821', 4100],
  ['04', '04A02', 9000],
  ['08', '08A04', 1200],
];

/** A BSN that passes the 11-proef, from a running number. */
export function syntheticBsn(n: number): string {
  for (let k = n * 10; ; k++) {
    const s = String(100000000 + (k % 899999999)).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * (s.charCodeAt(i) - 48);
    sum -= s.charCodeAt(8) - 48;
    if (sum % 11 === 0) return s;
  }
}

function lastDay(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(new Date(Date.UTC(year, month, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The generic csv-export layout (adapters/csv-export), one row per declared line. */
const EXPORT_HEADER = 'gemeente;aanbieder;declaratienummer;referentie;vorige_referentie;toewijzingnummer;bsn;categorie;productcode;begindatum;einddatum;volume;eenheid;bedrag;debet_credit;status';

function exportRows(spec: Declaration3Spec, rejected: Set<string>): string {
  let out = '';
  for (const c of spec.clients) {
    for (const p of c.performances) {
      const cents = p.volume * (p.tariff ?? 0);
      const amount = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
      out += `0405;${spec.provider};${spec.declarationNumber};${p.ref};${p.prev ?? ''};${p.allocation ?? ''};${c.bsn};${p.category};${p.code};${p.start};${p.end};${p.volume};${p.unit ?? '04'};${amount};${p.dc ?? 'D'};${rejected.has(p.ref) ? 'afgekeurd' : 'goedgekeurd'}\r\n`;
    }
  }
  return out;
}

export async function generateArchive(options: ArchiveOptions): Promise<ArchiveStats> {
  await mkdir(options.dir, { recursive: true });
  // the export sits beside the archive, not in it: the XML source reads the archive folder whole
  await mkdir(exportDir(options.dir), { recursive: true });
  const exportFile = path.join(exportDir(options.dir), 'declaratieregels.csv');
  await writeFile(exportFile, EXPORT_HEADER + '\r\n');
  const register = ['bsn;geboortedatum;adres_begindatum;adres_einddatum;gemeentecode;wijkcode;postcode;huisnummer'];
  for (let i = 0; i < options.clients; i++) register.push(clientRow(i));
  await writeFile(path.join(exportDir(options.dir), 'clients.csv'), register.join('\r\n') + '\r\n');
  const stats: ArchiveStats = { files: 0, bytes: 0, performances: 0 };
  const bsns = Array.from({ length: options.clients }, (_, i) => syntheticBsn(i + 1));
  for (let p = 0; p < options.providers; p++) {
    const provider = String(10000000 + p * 7919).padStart(8, '0');
    const mine = bsns.filter((_, i) => i % options.providers === p);
    let carried: { bsn: string; line: PerformanceSpec }[] = [];
    for (let month = 1; month <= 12; month++) {
      const ym = `${options.year}-${String(month).padStart(2, '0')}`;
      const clients = new Map<string, ClientSpec>();
      const add = (bsn: string, line: PerformanceSpec) => {
        let c = clients.get(bsn);
        if (!c) clients.set(bsn, (c = { bsn, performances: [] }));
        c.performances.push(line);
      };
      // credits and corrections of last month's lines
      for (const { bsn, line } of carried) {
        add(bsn, { ...line, ref: `${line.ref}C`, prev: line.ref, dc: 'C' });
        add(bsn, { ...line, ref: `${line.ref}R`, volume: line.volume - 1 });
      }
      carried = [];
      mine.forEach((bsn, i) => {
        const [category, code, tariff] = CATEGORIES[(i + p) % CATEGORIES.length]!;
        const line: PerformanceSpec = { ref: `${provider.slice(-4)}-${i}-${month}`, allocation: 100000 + i, category, code, start: `${ym}-01`, end: lastDay(options.year, month), volume: 4 + ((i * 7 + month) % 12), tariff };
        add(bsn, line);
        if ((i * 31 + month * 17) % 100 === 0 && month < 12) carried.push({ bsn, line });
      });
      const spec: Declaration3Spec = { provider, municipality: '0405', id: `B${p}M${month}`, date: `${ym}-28`, declarationNumber: `D${p}M${month}`, month: ym, clients: [...clients.values()] };
      const rejected = spec.clients.filter((_, i) => (i * 13 + month) % 50 === 0).map((c) => ({ bsn: c.bsn, refs: { [c.performances[0]!.ref]: ['0611'] } }));
      const declaration = wmo323(spec);
      const answer = wmo325(spec, { id: `A${p}M${month}`, date: `${options.year}-${String(month).padStart(2, '0')}-28`, rejections: rejected });
      await writeFile(path.join(options.dir, `p${p}-m${month}.xml`), declaration);
      await writeFile(path.join(options.dir, `p${p}-m${month}-answer.xml`), answer);
      await appendFile(exportFile, exportRows(spec, new Set(rejected.flatMap((r) => Object.keys(r.refs)))));
      stats.files += 2;
      stats.bytes += Buffer.byteLength(declaration) + Buffer.byteLength(answer);
      stats.performances += spec.clients.reduce((s, c) => s + c.performances.length, 0);
    }
  }
  return stats;
}
