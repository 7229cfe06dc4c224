/**
 * The CBS arrangements scenario of Hoorn (0405), 2023 (test-fixtures/scenarios/arrangements-2023/):
 * WMO301 allocations with WMO305 starts and WMO307 stops of one provider, and a case-system CSV
 * with PGB and "anders" arrangements. Expected files worked out by hand in EXPECTED.md beside it.
 */
import { wmo301, wmo305, wmo307 } from './iwmo-builder.js';

const provider = '10000002';
const base = { municipality: '0405', provider };

export function arrangementScenarioFiles(): Record<string, string> {
  return {
    // P1: BG 5001 beschikt all 2023, started 9 January, stopped 30 June (19 levering volgens plan);
    // reassessed: BG 5002 from 3 July — 3 days after the stop
    'allocations/p1-5001.xml': wmo301({ ...base, id: 'T5001', date: '2023-01-05', bsn: '999990019', birthDate: '1950-03-12', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5001, category: '02', code: '02826', start: '2023-01-01', end: '2023-12-31' }] }),
    'allocations/p1-start.xml': wmo305({ ...base, id: 'S5001', date: '2023-01-10', bsn: '999990019', birthDate: '1950-03-12', products: [{ allocation: 5001, category: '02', code: '02826', allocationStart: '2023-01-01', start: '2023-01-09' }] }),
    'allocations/p1-stop.xml': wmo307({ ...base, id: 'E5001', date: '2023-07-02', bsn: '999990019', birthDate: '1950-03-12', products: [{ allocation: 5001, category: '02', code: '02826', allocationStart: '2023-01-01', start: '2023-01-09', end: '2023-06-30', reason: '19' }] }),
    'allocations/p1-5002.xml': wmo301({ ...base, id: 'T5002', date: '2023-06-20', bsn: '999990019', birthDate: '1950-03-12', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5002, category: '02', code: '02826', start: '2023-07-03', end: '2023-12-31' }] }),
    // P2: HH 5003 beschikt February–December, shortened to 31 May (05 verkorting), stopped 31 May (23)
    'allocations/p2-5003.xml': wmo301({ ...base, id: 'T5003', date: '2023-01-25', bsn: '999990020', birthDate: '1948-11-30', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5003, category: '01', code: '01001', start: '2023-02-01', end: '2023-12-31' }] }),
    'allocations/p2-5003-verkort.xml': wmo301({ ...base, id: 'T5003B', date: '2023-05-10', bsn: '999990020', birthDate: '1948-11-30', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5003, category: '01', code: '01001', start: '2023-02-01', end: '2023-05-31', reason: '05' }] }),
    'allocations/p2-stop.xml': wmo307({ ...base, id: 'E5003', date: '2023-06-02', bsn: '999990020', birthDate: '1948-11-30', products: [{ allocation: 5003, category: '01', code: '01001', allocationStart: '2023-02-01', start: '2023-02-01', end: '2023-05-31', reason: '23' }] }),
    // P3: DB 5004 March–April and DB 5005 from 5 May: 5 days apart, two arrangements
    'allocations/p3.xml': wmo301({ ...base, id: 'T5004', date: '2023-02-20', bsn: '999990032', birthDate: '1985-02-14', postcode: '1621AB', houseNumber: 12, products: [
      { allocation: 5004, category: '07', code: '07821', start: '2023-03-01', end: '2023-04-30' },
      { allocation: 5005, category: '07', code: '07821', start: '2023-05-05', end: '2023-08-31' },
    ] }),
    // P4: BG 5006, later removed (13 verwijderd): no arrangement
    'allocations/p4-5006.xml': wmo301({ ...base, id: 'T5006', date: '2023-03-01', bsn: '999990044', birthDate: '1940-07-01', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5006, category: '02', code: '02826', start: '2023-03-01', end: '2023-12-31' }] }),
    'allocations/p4-5006-weg.xml': wmo301({ ...base, id: 'T5006B', date: '2023-03-15', bsn: '999990044', birthDate: '1940-07-01', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5006, category: '02', code: '02826', start: '2023-03-01', end: '2023-12-31', reason: '13' }] }),
    // P5: a generieke toewijzing (no product): type 88, all year
    'allocations/p5-5007.xml': wmo301({ ...base, id: 'T5007', date: '2022-12-20', bsn: '999990056', birthDate: '2005-06-30', postcode: '1621AB', houseNumber: 12, products: [{ allocation: 5007, start: '2023-01-01', end: '2023-12-31' }] }),
    // Arrangements the messages do not carry: PGB (2) and "anders" (6)
    'pgb-en-anders.csv': [
      'bsn;gemeentecode;toewijzingnummer;type;financieringsvorm;begindatum;einddatum;reden_einde',
      '999990019;0405;P-1;02;2;2023-04-01;2023-12-31;',
      '999990068;0405;P-2;01;2;2023-01-01;;',
      '999990081;0405;;12;6;2023-09-15;2023-09-15;19',
    ].join('\r\n') + '\r\n',
  };
}
