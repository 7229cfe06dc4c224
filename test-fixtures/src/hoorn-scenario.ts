/**
 * The bundled sample of Hoorn (0405) for 2023 (test-fixtures/scenarios/hoorn-2023/): a realistic
 * archive of three providers, twelve monthly WMO323 declarations each with their WMO325 answers —
 * rejections of a line, of a client and of a whole declaration, a credit with its correction, and
 * December of one provider still unanswered (pending). The expected QSD301 file is worked out by
 * hand in EXPECTED.md beside it.
 */
import { wmo323, wmo325, type Answer3Spec, type Declaration3Spec, type PerformanceSpec } from './iwmo-builder.js';

export const CLIENTS = {
  c1: '999990019',
  c2: '999990020',
  c3: '999990032',
  c4: '999990044',
  c5: '999990056',
  c6: '999990068',
  c7: '999990081',
  c8: '999990093',
  c9: '999990111',
  c10: '999990123',
  c11: '999990135',
  c12: '999990147',
  c13: '999990159',
  c14: '999990160',
} as const;
type Client = keyof typeof CLIENTS;

/** The client register (interfaces.md format); c13 is missing on purpose. */
export const CLIENTS_CSV = [
  'bsn;geboortedatum;adres_begindatum;adres_einddatum;gemeentecode;wijkcode;postcode;huisnummer',
  `${CLIENTS.c1};1950-03-12;2010-01-01;;0405;WK040510;;`,
  `${CLIENTS.c2};1948-11-30;1999-05-01;;0405;;1621AB;12`,
  `${CLIENTS.c3};1985-02-14;2015-01-01;;0405;WK040512;;`,
  `${CLIENTS.c4};1940-07-01;2000-01-01;2023-04-30;0405;WK040513;;`,
  `${CLIENTS.c4};1940-07-01;2023-05-01;;0441;;1741AA;3`,
  `${CLIENTS.c5};2005-06-30;2005-06-30;;0405;WK040520;;`,
  `${CLIENTS.c6};2005-07-01;2005-07-01;;0405;WK040520;;`,
  `${CLIENTS.c7};1958-06-30;1990-01-01;;0405;WK040530;;`,
  `${CLIENTS.c8};1958-07-01;1990-01-01;;0405;WK040530;;`,
  `${CLIENTS.c9};1970-01-01;2000-01-01;2023-06-29;0405;WK040531;;`,
  `${CLIENTS.c9};1970-01-01;2023-06-30;;0405;WK040532;;`,
  `${CLIENTS.c10};1935-05-05;1980-01-01;;0405;WK040533;;`,
  `${CLIENTS.c11};2012-09-09;2012-09-09;;0405;WK040534;;`,
  `${CLIENTS.c12};1990-01-01;2020-01-01;;0405;WK040535;;`,
  `${CLIENTS.c14};2001-01-01;2001-01-01;2022-08-31;0405;WK040510;;`,
  `${CLIENTS.c14};2001-01-01;2022-09-01;;0441;;1741AA;3`,
].join('\r\n') + '\r\n';

interface Line {
  client: Client;
  category: string;
  code: string;
  unit: string;
  volume: number;
  tariff: number;
  months: number[];
}

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const PROVIDERS: { agb: string; name: string; lines: Line[] }[] = [
  {
    agb: '10000001',
    name: 'hh',
    lines: [
      { client: 'c1', category: '01', code: '01001', unit: '04', volume: 10, tariff: 3000, months: ALL },
      { client: 'c2', category: '01', code: '01001', unit: '04', volume: 6, tariff: 3000, months: ALL },
      { client: 'c3', category: '01', code: '01001', unit: '04', volume: 4, tariff: 3000, months: ALL },
      { client: 'c4', category: '01', code: '01001', unit: '04', volume: 8, tariff: 3000, months: [1, 2, 3, 4] },
      { client: 'c13', category: '01', code: '01001', unit: '04', volume: 5, tariff: 3000, months: [1, 2, 3, 4, 5, 6] },
    ],
  },
  {
    agb: '10000002',
    name: 'begeleiding',
    lines: [
      { client: 'c5', category: '02', code: '02826', unit: '04', volume: 3, tariff: 6000, months: ALL },
      { client: 'c6', category: '02', code: '02826', unit: '04', volume: 2, tariff: 6000, months: ALL },
      { client: 'c7', category: '07', code: '07821', unit: '16', volume: 8, tariff: 4500, months: ALL },
      { client: 'c8', category: '07', code: '07821', unit: '16', volume: 4, tariff: 4500, months: ALL },
      { client: 'c8', category: '02', code: '02826', unit: '04', volume: 1, tariff: 6050, months: ALL },
      { client: 'c9', category: '02', code: '02826', unit: '04', volume: 5, tariff: 6000, months: ALL },
    ],
  },
  {
    agb: '10000003',
    name: 'vervoer-verblijf',
    lines: [
      { client: 'c10', category: '04', code: '04A02', unit: '14', volume: 2, tariff: 12000, months: [3, 6, 9, 12] },
      { client: 'c10', category: '08', code: '08A04', unit: '82', volume: 10, tariff: 1500, months: ALL },
      { client: 'c11', category: '08', code: '08A04', unit: '82', volume: 4, tariff: 1500, months: ALL },
      { client: 'c12', category: '15', code: '15511', unit: '82', volume: 1, tariff: 200000, months: ALL },
      { client: 'c14', category: '08', code: '08A04', unit: '82', volume: 2, tariff: 1500, months: ALL },
    ],
  },
];

function lastDay(month: number): string {
  return `2023-${String(month).padStart(2, '0')}-${String(new Date(Date.UTC(2023, month, 0)).getUTCDate()).padStart(2, '0')}`;
}

function performance(agb: string, line: Line, month: number, index: number): PerformanceSpec {
  const mm = String(month).padStart(2, '0');
  return {
    ref: `${agb.slice(-1)}-${line.client}-${index}-${mm}`,
    allocation: Number(`${agb.slice(-1)}${index}${line.client.slice(1).padStart(2, '0')}`),
    category: line.category,
    code: line.code,
    start: `2023-${mm}-01`,
    end: lastDay(month),
    volume: line.volume,
    unit: line.unit,
    tariff: line.tariff,
  };
}

export function hoornScenarioFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const provider of PROVIDERS) {
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      const byClient = new Map<string, PerformanceSpec[]>();
      provider.lines.forEach((line, index) => {
        if (!line.months.includes(month)) return;
        const list = byClient.get(CLIENTS[line.client]) ?? [];
        list.push(performance(provider.agb, line, month, index));
        byClient.set(CLIENTS[line.client], list);
      });
      if (provider.name === 'hh' && month === 4) {
        // c1's March line is credited in full and declared again with 9 hours instead of 10.
        const march = performance(provider.agb, provider.lines[0]!, 3, 0);
        byClient.get(CLIENTS.c1)!.push({ ...march, ref: `${march.ref}-C`, prev: march.ref, dc: 'C' }, { ...march, ref: `${march.ref}-R`, volume: 9 });
      }
      const declaration: Declaration3Spec = {
        provider: provider.agb,
        municipality: '0405',
        id: `${provider.name.slice(0, 2).toUpperCase()}2023${mm}`,
        date: `2023-${mm}-28`,
        declarationNumber: `D${provider.agb.slice(-1)}2023${mm}`,
        month: `2023-${mm}`,
        clients: [...byClient.entries()].map(([bsn, performances]) => ({ bsn, performances })),
      };
      const answer: Answer3Spec = { id: `H${provider.agb.slice(-1)}2023${mm}`, date: `2023-${mm}-28` };
      if (provider.name === 'hh' && month === 8) answer.rejections = [{ bsn: CLIENTS.c3, clientCode: '9338' }];
      if (provider.name === 'begeleiding' && month === 5) {
        const may = performance(provider.agb, provider.lines[0]!, 5, 0);
        answer.rejections = [{ bsn: CLIENTS.c5, refs: { [may.ref]: ['0611'] } }];
      }
      if (provider.name === 'vervoer-verblijf' && month === 11) answer.headerOnly = '0001';
      files[`declarations/${provider.name}/${provider.agb}_WMO323_2023${mm}.xml`] = wmo323(declaration);
      // December of the begeleiding provider is not answered yet: pending.
      if (!(provider.name === 'begeleiding' && month === 12)) {
        files[`declarations/${provider.name}/${provider.agb}_WMO325_2023${mm}.xml`] = wmo325(declaration, answer);
      }
    }
  }
  files['clients.csv'] = CLIENTS_CSV;
  return files;
}

/**
 * The same scenario as a case-system export (test-fixtures/scenarios/hoorn-2023/export/): one row
 * per declared line, Windows-1252, comma-separated, amounts with decimal comma in quotes, dates
 * DD-MM-YYYY, debit/credit in its own column, a status column, product codes without category
 * (the Hoorn code list gives it). c1's March line is "gecrediteerd" without a separate credit row;
 * its correction is an ordinary row.
 */
export function hoornScenarioExport(): Buffer {
  const euros = (cents: number) => {
    const whole = Math.floor(cents / 100).toLocaleString('nl-NL');
    return `"${whole},${String(cents % 100).padStart(2, '0')}"`;
  };
  const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
  const rows = ['Gemeente,AGB-code aanbieder,Factuurnummer,Regelnummer,BSN,Cliëntnaam,Productcode,Van,Tot en met,Aantal,Eenheid,Bedrag,D/C,Status'];
  const names = ['Zoë Çelik', 'Jan "de Boer", jr.', 'Anaïs Müller', 'Piet Jansen'];
  let n = 0;
  for (const provider of PROVIDERS) {
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      provider.lines.forEach((line, index) => {
        if (!line.months.includes(month)) return;
        const p = performance(provider.agb, line, month, index);
        let status = 'Goedgekeurd';
        if (provider.name === 'hh' && month === 8 && line.client === 'c3') status = 'Afgekeurd';
        if (provider.name === 'begeleiding' && month === 5 && index === 0) status = 'Afgekeurd';
        if (provider.name === 'vervoer-verblijf' && month === 11) status = 'Afgekeurd';
        if (provider.name === 'begeleiding' && month === 12) status = 'In behandeling';
        if (provider.name === 'hh' && month === 3 && line.client === 'c1') status = 'Gecrediteerd';
        const name = names[n++ % names.length]!;
        const quoted = name.includes('"') || name.includes(',') ? `"${name.replaceAll('"', '""')}"` : name;
        rows.push(
          ['405', provider.agb, `D${provider.agb.slice(-1)}2023${mm}`, p.ref, CLIENTS[line.client], quoted, p.code, ddmmyyyy(p.start), ddmmyyyy(p.end), String(p.volume), p.unit ?? '', euros(amountOfLine(line)), 'D', status].join(','),
        );
        if (provider.name === 'hh' && month === 4 && line.client === 'c1') {
          // the correction of March, declared in April: 9 hours
          const march = performance(provider.agb, line, 3, index);
          rows.push(['405', provider.agb, `D${provider.agb.slice(-1)}202304`, `${march.ref}-R`, CLIENTS.c1, 'Zoë Çelik', march.code, ddmmyyyy(march.start), ddmmyyyy(march.end), '9', '04', euros(9 * line.tariff), 'D', 'Goedgekeurd'].join(','));
        }
      });
    }
  }
  return Buffer.from(rows.join('\r\n') + '\r\n', 'latin1');
}

function amountOfLine(line: Line): number {
  return line.volume * line.tariff;
}

export const HOORN_EXPORT_MAPPING = `# Column mapping of the Hoorn 2023 sample export (a case system's "declaratieregels" export)
description: Hoorn sample export, Windows-1252, comma-separated
delimiter: ","
columns:
  municipality: Gemeente
  provider: AGB-code aanbieder
  declarationId: Factuurnummer
  reference: Regelnummer
  clientKey: BSN
  productCode: Productcode
  periodStart: Van
  periodEnd: Tot en met
  volume: Aantal
  unit: Eenheid
  amount: Bedrag
  debitCredit: D/C
  status: Status
amount:
  format: euros
  decimal: ","
dates: [DD-MM-YYYY]
status:
  approved: [Goedgekeurd]
  rejected: [Afgekeurd]
  pending: [In behandeling]
  credited: [Gecrediteerd]
`;
