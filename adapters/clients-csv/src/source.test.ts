import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WmoError, readClients, type ClientFacts, type Warning } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { clientsCsv } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/clients');
const file = (name: string) => path.join(fixtures, name);

async function read(name: string): Promise<{ clients: ClientFacts[]; warnings: Warning[] }> {
  const clients: ClientFacts[] = [];
  const warnings: Warning[] = [];
  for await (const item of readClients(clientsCsv({ file: file(name) }))) {
    if (item.type === 'client') clients.push(item.client);
    else warnings.push(item.warning);
  }
  return { clients, warnings };
}

testAdapterConformance({
  kind: 'clients',
  valid: () => clientsCsv({ file: file('register-utf8-bom.csv') }),
  empty: () => clientsCsv({ file: file('header-only.csv') }),
  malformed: () => clientsCsv({ file: file('register-wrong-header.csv') }),
});

describe('clients-csv', () => {
  it('reads the example of interfaces.md (UTF-8 with BOM, ;, CR LF)', async () => {
    const { clients, warnings } = await read('register-utf8-bom.csv');
    expect(warnings).toEqual([]);
    expect(clients.map((c) => [c.clientKey, c.birthDate, c.addresses.map((a) => [a.start, a.end, a.municipality, a.wijkCode, a.postcode, a.houseNumber])])).toEqual([
      ['999990019', '1950-03-12', [['2010-01-01', null, '0405', 'WK040512', null, null]]],
      ['999990020', '2007-07-01', [['2015-05-01', '2023-08-14', '0405', null, '1621AB', '12']]],
      ['999990020', '2007-07-01', [['2023-08-15', null, '0441', null, '1741AA', '3']]],
    ]);
    expect(clients[0]!.source).toEqual({ file: file('register-utf8-bom.csv'), line: 2 });
  });

  it('reads Windows-1252 with commas, LF, an extra name column and trailing empty lines', async () => {
    const { clients, warnings } = await read('register-win1252-comma.csv');
    expect(warnings).toEqual([]);
    // gemeentecode 957 is padded to 0957 (Excel drops leading zeros)
    expect(clients.map((c) => [c.clientKey, c.birthDate, c.addresses[0]!.municipality, c.addresses[0]!.wijkCode, c.addresses[0]!.postcode])).toEqual([
      ['999990032', '1940-05-05', '0957', 'WK095703', null],
      ['999990044', '1990-02-02', '0957', null, '6041AB'],
    ]);
    expect(JSON.stringify(clients)).not.toMatch(/Elise|Ëlise|Vries/); // names are not carried
  });

  it('reports every doubtful row with its line number and never the BSN or birth date', async () => {
    const { clients, warnings } = await read('register-bad.csv');
    const base = file('register-bad.csv');
    expect(warnings.map((w) => w.message)).toEqual([
      `${base} line 3: the BSN fails the 11-proef; check it against the BRP`,
      `${base} line 4: geboortedatum is not a date YYYY-MM-DD`,
      `${base} line 5: geboortedatum differs from line 2 for the same BSN`,
      `${base} line 5: the address period overlaps the one on line 2 for the same BSN`,
      `${base} line 6: adres_einddatum lies before adres_begindatum; the address is skipped`,
      `${base} line 7: 5 fields instead of the 8 of the header; the row is skipped`,
      // line 8 is empty and skipped; line 9 has no way to find a wijk
      `${base} line 9: neither wijkcode nor postcode + huisnummer is filled; the client cannot be placed in a wijk from this address`,
    ]);
    const text = JSON.stringify(warnings);
    for (const secret of ['123456789', '999990019', '1951-03-12', '1960-02-30']) expect(text).not.toContain(secret);
    // rows with a doubtful value are still given (the core decides), the short row is not
    expect(clients.map((c) => c.clientKey)).toEqual(['999990019', '123456789', '999990020', '999990019', '999990032', '999990056']);
    expect(clients[2]!.birthDate).toBeNull();
    expect(clients[4]!.addresses).toEqual([]);
  });

  it('checks each row against the earlier rows of its BSN, also in a register of thousands of clients', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clients-csv-'));
    try {
      const header = 'bsn;geboortedatum;adres_begindatum;adres_einddatum;gemeentecode;wijkcode;postcode;huisnummer';
      const rows = [
        '999990019;;2000-01-01;2009-12-31;0405;WK040510;;', // line 2: no birth date yet
        '999990019;1969-12-31;2010-01-01;2015-12-31;0405;WK040510;;', // line 3: its birth date (day -1 of the day numbers)
        '999990019;1969-12-31;2016-01-01;;0405;WK040510;;', // line 4: the same date again, periods apart
        '999990019;1970-01-01;2014-06-01;2014-06-30;0405;WK040510;;', // line 5: another date; overlaps line 3 (not line 2)
      ];
      // 1,500 more clients (past the 1,024 the arrays start with) of two periods each, apart
      for (let i = 0; i < 1500; i++) {
        const bsn = String(100_000_000 + i);
        rows.push(`${bsn};1980-01-01;2000-01-01;2004-12-31;0405;WK040510;;`, `${bsn};1980-01-01;2005-01-01;;0405;WK040510;;`);
      }
      // the last of them once more, within its open period: line 6 + 3,000 = 3,006, overlapping line 3,005
      rows.push('100001499;1980-01-01;2023-01-01;2023-12-31;0405;WK040510;;');
      const name = path.join(dir, 'register.csv');
      await writeFile(name, [header, ...rows].join('\n') + '\n');
      const warnings: Warning[] = [];
      for await (const item of readClients(clientsCsv({ file: name }))) if (item.type === 'warning') warnings.push(item.warning);
      expect(warnings.filter((w) => w.kind !== 'invalid-bsn').map((w) => w.message)).toEqual([
        `${name} line 2: geboortedatum is empty`,
        `${name} line 5: geboortedatum differs from line 3 for the same BSN`,
        `${name} line 5: the address period overlaps the one on line 3 for the same BSN`,
        `${name} line 3006: the address period overlaps the one on line 3005 for the same BSN`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong header with one sentence naming the file and line 1', async () => {
    const error = await read('register-wrong-header.csv').catch((e: unknown) => e);
    expect(WmoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `${file('register-wrong-header.csv')} line 1: the header lacks the columns geboortedatum, adres_begindatum, adres_einddatum, gemeentecode, wijkcode, postcode, huisnummer; it must name bsn;geboortedatum;adres_begindatum;adres_einddatum;gemeentecode;wijkcode;postcode;huisnummer.`,
    );
  });

  it('refuses a file that does not exist', async () => {
    const error = await read('nope.csv').catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${file('nope.csv')} cannot be read (it does not exist).`);
  });
});
