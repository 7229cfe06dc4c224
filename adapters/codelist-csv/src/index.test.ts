import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCodeList, readCodeList } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { codeListCsv } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures');
const list = path.join(fixtures, 'codelists/eigen-lijst.csv');

testAdapterConformance({
  kind: 'codelist',
  valid: () => codeListCsv({ file: list }),
  malformed: () => codeListCsv({ file: path.join(fixtures, 'clients/register-wrong-header.csv') }),
});

describe('codelist-csv', () => {
  it('reads productcode;categorie;omschrijving;eenheid', async () => {
    const lookup = await loadCodeList(codeListCsv({ file: list }));
    expect(lookup.size).toBe(4);
    expect(lookup.get('01A01')).toEqual({ code: '01A01', category: '01', isWmo: true, description: 'Hulp bij het huishouden', unit: 'uur' });
    // Excel drops the leading zero of a category: 2 → 02
    expect(lookup.get('02A05')?.category).toBe('02');
    // a Jeugdwet category is not Wmo
    expect(lookup.get('43Z01')).toMatchObject({ category: '43', isWmo: false });
    // a category that is no category at all: kept without category (→ ONBEKEND), with a warning
    expect(lookup.get('XX1')).toMatchObject({ category: null, isWmo: true });
  });

  it('warns about the impossible category on its line', async () => {
    const warnings = [];
    for await (const item of readCodeList(codeListCsv({ file: list }))) if (item.type === 'warning') warnings.push(item.warning.message);
    expect(warnings).toEqual([`${list} line 5: categorie "99" is no iWmo (01–18) or Jeugdwet (40–54) category; the code counts as ONBEKEND`]);
  });
});
