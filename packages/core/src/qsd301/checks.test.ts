import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkQsd301 } from './checks.js';
import { FIELD_TABLE_DIALECT } from './dialect.js';

// The hand-written valid file of delivery.test.ts: Hoorn, wijken 10 and 12, 63 data rows.
const valid = readFileSync(new URL('../__fixtures__/WMO_0405_2023_20240115_01.csv', import.meta.url), 'ascii');
const lines = valid.split('\r\n').slice(0, -1); // 64 lines: header + 63 rows
const join = (ls: string[], eol = '\r\n') => ls.join(eol) + eol;

/** Line numbers are 1-based; line 1 is the header, so data row i sits on line i + 2 of `lines`. */
function replaceLine(lineNumber: number, text: string): string {
  const copy = [...lines];
  copy[lineNumber - 1] = text;
  return join(copy);
}

describe('checkQsd301', () => {
  it('accepts the valid file', () => {
    expect(checkQsd301(valid).findings).toEqual([]);
  });

  it('rejects a wrong separator, with the line numbers', () => {
    const text = join(lines.map((l) => l.replaceAll(';', ',')));
    const findings = checkQsd301(text).findings.filter((f) => f.check === 'separator');
    expect(findings[0]).toEqual({ check: 'separator', line: 1, message: "line 1: fields are separated by ',' instead of ';'" });
    expect(findings.map((f) => f.line)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  });

  it('rejects LF line endings, line by line', () => {
    const findings = checkQsd301(join(lines, '\n')).findings;
    expect(findings.filter((f) => f.check === 'line-ending').map((f) => f.line)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    // the content itself is fine: nothing else is reported
    expect(findings.every((f) => f.check === 'line-ending')).toBe(true);
  });

  it('rejects a last line without CR LF', () => {
    const findings = checkQsd301(valid.slice(0, -2)).findings;
    expect(findings).toEqual([{ check: 'line-ending', line: 64, message: 'line 64, the last line, does not end in CR LF' }]);
  });

  it('rejects categories that do not add up to Wmo_tot, on the Wmo_tot line', () => {
    // age class 1 takes lines 2–22 (3 × 7 rows); line 23 is age class 2, gemeente total,
    // Wmo_tot = 324, and line 26 its DB = 51.
    expect(lines[25]).toBe('2023;0405;Hoorn;nvt;Totaal;2;DB;1;51');
    const findings = checkQsd301(replaceLine(26, '2023;0405;Hoorn;nvt;Totaal;2;DB;1;52')).findings;
    // 0 + 123 + 52 + 0 + 150 + 0 = 325 ≠ 324
    expect(findings).toEqual([
      { check: 'category-sum', line: 23, message: 'line 23: the categories of the gemeente total, age class 2 add up to 325 euro, not to the 324 of Wmo_tot' },
    ]);
  });

  it('rejects a 5-digit gemeente code', () => {
    const findings = checkQsd301(replaceLine(2, '2023;04050;Hoorn;nvt;Totaal;1;Wmo_tot;1;150')).findings;
    expect(findings).toContainEqual({ check: 'field-format', line: 2, message: 'line 2: Gemcode "04050" is not a 4-digit CBS gemeente code' });
  });

  it('rejects an unknown category', () => {
    const findings = checkQsd301(replaceLine(4, '2023;0405;Hoorn;nvt;Totaal;1;JEUGD;0;0')).findings;
    expect(findings).toContainEqual({
      check: 'code-list',
      line: 4,
      message: 'line 4: Prodcat_GZS "JEUGD" is not one of Wmo_tot, HH_Hulp, BG, DB, OV_OND, HULP_DNST, ONBEKEND',
    });
    // and the grid then lacks BG for the gemeente total, age class 1
    expect(findings).toContainEqual({ check: 'completeness', message: 'the gemeente total, age class 1 lacks BG' });
  });

  it('rejects more clients in a category than in Wmo_tot, and more in Wmo_tot than in the categories', () => {
    // line 2: total, age 1, Wmo_tot 1 client; line 6: OV_OND 1 client. Raise OV_OND to 2.
    expect(lines[5]).toBe('2023;0405;Hoorn;nvt;Totaal;1;OV_OND;1;150');
    let findings = checkQsd301(replaceLine(6, '2023;0405;Hoorn;nvt;Totaal;1;OV_OND;2;150')).findings;
    expect(findings).toContainEqual({ check: 'client-count', line: 6, message: 'line 6: OV_OND has 2 clients, more than the 1 of Wmo_tot on line 2' });
    findings = checkQsd301(replaceLine(2, '2023;0405;Hoorn;nvt;Totaal;1;Wmo_tot;2;150')).findings;
    expect(findings).toContainEqual({ check: 'client-count', line: 2, message: 'line 2: Wmo_tot of the gemeente total, age class 1 has 2 clients, more than the 1 of its categories together' });
  });

  it('rejects a gemeente total with fewer clients than its wijken', () => {
    // age 3 HH_Hulp: total (line 45) 1 client, wijk 12 (line 59) 1 client. Give wijk 12 two
    // clients in HH_Hulp and Wmo_tot (line 58) to keep the wijk itself consistent.
    expect(lines[44]).toBe('2023;0405;Hoorn;nvt;Totaal;3;HH_Hulp;1;270');
    expect(lines[57]).toBe('2023;0405;Hoorn;WK040512;Wijk 12 Hoorn-Noord;3;Wmo_tot;1;270');
    const copy = [...lines];
    copy[57] = '2023;0405;Hoorn;WK040512;Wijk 12 Hoorn-Noord;3;Wmo_tot;2;270';
    copy[58] = '2023;0405;Hoorn;WK040512;Wijk 12 Hoorn-Noord;3;HH_Hulp;2;270';
    const findings = checkQsd301(join(copy)).findings;
    expect(findings).toEqual([
      { check: 'total-clients', line: 44, message: 'line 44: the gemeente total of age class 3, Wmo_tot has 1 clients, fewer than the 2 of the wijken together' },
      { check: 'total-clients', line: 45, message: 'line 45: the gemeente total of age class 3, HH_Hulp has 1 clients, fewer than the 2 of the wijken together' },
    ]);
  });

  it('rejects non-ASCII, leading zeros, a euro sign, too long names, duplicates and missing wijken', () => {
    const copy = [...lines];
    copy[1] = '2023;0405;Hoorn;nvt;Totaal;1;Wmo_tot;01;150';
    copy[2] = '2023;0405;Hoorn;nvt;Totaal;1;HH_Hulp;0;€0';
    copy[3] = `2023;0405;${'H'.repeat(36)};nvt;Totaal;1;BG;0;0`;
    copy[4] = copy[5]!;
    const findings = checkQsd301(Buffer.from(join(copy), 'utf8'), { expectedWijkCodes: ['WK040510', 'WK040512', 'WK040513'] }).findings;
    expect(findings).toContainEqual({ check: 'field-format', line: 2, message: 'line 2: Aantal_clienten "01" is not a whole number without leading zeros or separators' });
    expect(findings).toContainEqual(expect.objectContaining({ check: 'ascii', line: 3 }));
    expect(findings).toContainEqual({ check: 'field-length', line: 4, message: 'line 4: Gemnaam is 36 characters, at most 35 are allowed' });
    expect(findings).toContainEqual(expect.objectContaining({ check: 'duplicate-row', line: 6 }));
    expect(findings).toContainEqual({ check: 'completeness', message: 'wijk WK040513 of the gemeente is missing from the file' });
  });

  it('recognises the field-table spelling by its header', () => {
    const text = join(
      lines.map((l, i) =>
        i === 0
          ? FIELD_TABLE_DIALECT.header.join(';')
          : l.replace(';nvt;', ';n.v.t.;').replace(';HH_Hulp;', ';HH_HULP;').replace(';HULP_DNST;', ';HULP_DNS;'),
      ),
    );
    const outcome = checkQsd301(text);
    expect(outcome.dialect.id).toBe('field-table');
    expect(outcome.findings).toEqual([]);
  });
});

describe('the example file of seed 000 §6.1', () => {
  // Table 6.1 as a CSV (values copied from the seed). Its numbers are fictitious and do not add
  // up: 100 + 300 + 50 + 40 + 100 = 590 ≠ 1000, and it has no ONBEKEND rows.
  const rows = [
    ['nvt', 'Totaal'],
    ['WK010401', 'Centrum'],
  ].flatMap(([code, name]) =>
    ['Wmo_tot;50;1000', 'HH_Hulp;5;100', 'BG;20;300', 'DB;30;50', 'OV_OND;5;40', 'HULP_DNST;20;100'].map((tail) => `2016;0104;Almere;${code};${name};1;${tail}`),
  );
  const text = join(['Jaar;Gemcode;Gemnaam;Wijkcode;Wijknaam;Lftijdskl;Prodcat_GZS;Aantal_clienten;Uitgaven', ...rows]);

  it('has our header and spellings: only its sums, the missing ONBEKEND and age classes are findings', () => {
    const findings = checkQsd301(text).findings;
    expect(findings.filter((f) => ['header', 'code-list', 'field-format', 'separator', 'line-ending'].includes(f.check))).toEqual([]);
    expect(findings).toContainEqual({ check: 'category-sum', line: 2, message: 'line 2: the categories of the gemeente total, age class 1 add up to 590 euro, not to the 1000 of Wmo_tot' });
    expect(findings).toContainEqual({ check: 'completeness', message: 'the gemeente total, age class 1 lacks ONBEKEND' });
  });
});
