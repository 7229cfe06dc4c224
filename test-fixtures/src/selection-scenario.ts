/**
 * The selection-rules scenario of the iWmo adapter (test-fixtures/iwmo/selection/): one file per
 * rule of domain.md §2 and §3a, for Hoorn (0405), reporting year 2023. The expected outcome of
 * every performance is worked out by hand in adapters/iwmo/src/source.test.ts.
 */
import type { Declaration2Spec, Declaration3Spec } from './iwmo-builder.js';
import { wmo303, wmo304, wmo323, wmo325 } from './iwmo-builder.js';

export const P1 = '11111111'; // iWmo 3.2 provider
export const P2 = '22222222'; // iWmo 2.3 provider (CAK 4-week periods)
export const A = '999990019';
export const B = '999990020';
export const C = '999990032';
export const D = '999990044';

const hh = (ref: string, month: string, volume = 10, extra: Partial<{ prev: string; dc: 'D' | 'C'; start: string; end: string }> = {}) => ({
  ref,
  category: '01',
  code: '01001',
  start: extra.start ?? `${month}-01`,
  end: extra.end ?? lastDayOf(month),
  volume,
  tariff: 3000,
  ...extra,
});

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function d3(id: string, month: string, clients: Declaration3Spec['clients'], municipality = '0405'): Declaration3Spec {
  return { provider: P1, municipality, id, date: `${month}-28`, declarationNumber: id.replaceAll('-', ''), month, clients };
}

// March: A approved (30000) and one line rejected (0611); B rejected as a client (9338).
export const D1 = d3('P1-2303', '2023-03', [
  { bsn: A, performances: [hh('P1-A-0301', '2023-03'), { ref: 'P1-A-0302', category: '02', code: '02826', start: '2023-03-01', end: '2023-03-31', volume: 5, tariff: 5000 }] },
  {
    bsn: B,
    performances: [
      { ref: 'P1-B-0301', category: '07', code: '07821', start: '2023-03-01', end: '2023-03-31', volume: 8, tariff: 2500 },
      { ref: 'P1-B-0302', category: '03', code: '03A01', start: '2023-03-01', end: '2023-03-31', volume: 4, tariff: 2500 },
    ],
  },
]);
// April: A's April line; a credit of March line P1-A-0301 and its correction (9 hours), fully approved.
export const D2 = d3('P1-2304', '2023-04', [
  {
    bsn: A,
    performances: [
      hh('P1-A-0401', '2023-04'),
      hh('P1-A-0402C', '2023-03', 10, { prev: 'P1-A-0301', dc: 'C' }),
      hh('P1-A-0403', '2023-03', 9),
    ],
  },
]);
export const D3 = d3('P1-2305', '2023-05', [{ bsn: A, performances: [hh('P1-A-0501', '2023-05')] }]); // header-only answer 0001
export const D4 = d3('P1-2306', '2023-06', [{ bsn: A, performances: [hh('P1-A-0601', '2023-06')] }]); // 9333 on the declaration
export const D5 = d3('P1-2307', '2023-07', [{ bsn: A, performances: [hh('P1-A-0701', '2023-07')] }]); // no answer: pending
export const D6 = d3('P1-2308', '2023-08', [{ bsn: A, performances: [hh('P1-A-0801', '2023-08')] }], '0441'); // for Schagen
export const ORPHAN_DECLARATION = d3('P1-2309', '2023-09', [{ bsn: A, performances: [hh('P1-A-0901', '2023-09')] }]); // only its answer is given

const bg = (ref: string, start: string, end: string, amount: number, extra: Partial<{ prev: string; dc: 'D' | 'C' }> = {}) => ({
  ref,
  category: '02',
  code: '02826',
  start,
  end,
  volume: 28,
  amount,
  ...extra,
});

// iWmo 2.3, CAK 4-week periods. Period 1 of 2023 starts on 19 December 2022 (crosses New Year).
export const F1: Declaration2Spec = {
  provider: P2,
  municipality: '0405',
  invoice: 'F2023001',
  periodStart: '2022-12-19',
  periodEnd: '2023-01-15',
  date: '2023-01-20',
  clients: [{ bsn: C, birthDate: '1940-05-05', performances: [bg('P2-C-01', '2022-12-19', '2023-01-15', 28000)] }],
};
export const F2: Declaration2Spec = {
  provider: P2,
  municipality: '0405',
  invoice: 'F2023002',
  periodStart: '2023-01-16',
  periodEnd: '2023-02-12',
  date: '2023-02-15',
  clients: [
    { bsn: C, birthDate: '1940-05-05', performances: [bg('P2-C-02', '2023-01-16', '2023-02-12', 28000), bg('P2-C-03', '2023-01-16', '2023-02-12', 5000)] },
    { bsn: D, birthDate: '1990-02-02', performances: [{ ref: 'P2-D-02', category: '07', code: '07821', start: '2023-01-16', end: '2023-02-12', volume: 14, amount: 14000 }] },
  ],
};
export const F3: Declaration2Spec = {
  provider: P2,
  municipality: '0405',
  invoice: 'F2023003',
  periodStart: '2023-02-13',
  periodEnd: '2023-03-12',
  date: '2023-03-15',
  clients: [
    {
      bsn: D,
      birthDate: '1990-02-02',
      performances: [
        { ref: 'P2-D-03', category: '07', code: '07821', start: '2023-02-13', end: '2023-03-12', volume: 14, amount: 14000 },
        { ref: 'P2-D-04', category: '04', code: '04A02', start: '2023-02-13', end: '2023-03-12', volume: 7, amount: 7000 },
      ],
    },
  ],
};
export const F4: Declaration2Spec = {
  provider: P2,
  municipality: '0405',
  invoice: 'F2023004',
  periodStart: '2023-03-13',
  periodEnd: '2023-04-09',
  date: '2023-04-12',
  clients: [
    {
      bsn: C,
      birthDate: '1940-05-05',
      performances: [bg('P2-C-04C', '2023-01-16', '2023-02-12', 28000, { prev: 'P2-C-02', dc: 'C' }), bg('P2-C-05', '2023-03-13', '2023-04-09', 21000)],
    },
  ],
};

export function selectionFiles(): Record<string, string> {
  return {
    // file names say nothing about the content on purpose: messages are recognised by namespace
    'p1/march.xml': wmo323(D1),
    'p1/march-answer.xml': wmo325(D1, { id: 'G-2303', date: '2023-04-05', rejections: [{ bsn: A, refs: { 'P1-A-0302': ['0611'] } }, { bsn: B, clientCode: '9338' }] }),
    'p1/april.xml': wmo323(D2),
    'p1/april-copy.dat': wmo323(D2),
    'p1/april-answer.xml': wmo325(D2, { id: 'G-2304', date: '2023-05-05' }),
    'p1/may.xml': wmo323(D3),
    'p1/may-answer.xml': wmo325(D3, { id: 'G-2305', date: '2023-06-05', headerOnly: '0001' }),
    'p1/june.xml': wmo323(D4),
    'p1/june-answer.xml': wmo325(D4, { id: 'G-2306', date: '2023-07-05', declarationCode: '9333' }),
    'p1/july.xml': wmo323(D5),
    'p1/august-schagen.xml': wmo323(D6),
    'p1/august-schagen-answer.xml': wmo325(D6, { id: 'S-2308', date: '2023-09-05' }),
    'p1/september-answer-only.xml': wmo325(ORPHAN_DECLARATION, { id: 'G-2309', date: '2023-10-05' }),
    'p2/f1.xml': wmo303(F1),
    'p2/f2.xml': wmo303(F2),
    'p2/f2-retour.xml': wmo304(F2, {
      reference: 'HRN-F2',
      date: '2023-03-01',
      returned: [
        { bsn: C, refs: { 'P2-C-03': { awarded: 0, codes: ['0611'] } } },
        { bsn: D, refs: { 'P2-D-02': { awarded: 10000, codes: ['0611'] } } },
      ],
    }),
    'p2/f3.xml': wmo303(F3),
    'p2/f3-retour.xml': wmo304(F3, { reference: 'HRN-F3', date: '2023-04-01', returned: [{ bsn: D, clientCode: '8004', refs: {} }] }),
    'p2/f4.xml': wmo303(F4),
  };
}
