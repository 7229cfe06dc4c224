import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientIndex, WmoError, buildDelivery, columnsToItems, createPseudonymizer, readDeclarationColumns, readDeclarations, type DeclarationItem, type Wijk } from '@wmo-toolkit/core';
import { testAdapterConformance } from '@wmo-toolkit/testkit';
import { iwmoSource } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/iwmo');
const selection = path.join(fixtures, 'selection');
const broken = (name: string) => path.join(fixtures, 'broken', name);

async function readAll(paths: string[], options: { countPending?: boolean; municipality?: string } = {}): Promise<DeclarationItem[]> {
  const items: DeclarationItem[] = [];
  for await (const item of readDeclarations(iwmoSource({ paths }), { municipality: options.municipality ?? '0405', countPending: options.countPending ?? false })) items.push(item);
  return items;
}

function approved(items: DeclarationItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) if (item.type === 'performance') out[item.performance.reference] = item.performance.amountCents;
  return out;
}

function notApproved(items: DeclarationItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) if (item.type === 'not-approved') out[item.performance.reference] = item.reason;
  return out;
}

function warningKinds(items: DeclarationItem[]): string[] {
  return items.flatMap((item) => (item.type === 'warning' ? [item.warning.kind] : [])).sort();
}

testAdapterConformance({
  kind: 'declarations',
  valid: () => iwmoSource({ paths: [selection] }),
  empty: async () => iwmoSource({ paths: [await mkdtemp(path.join(tmpdir(), 'iwmo-empty-'))] }),
  malformed: () => iwmoSource({ paths: [broken('not-xml.xml')] }),
  readOptions: { municipality: '0405' },
});

describe('selection of approved performances (test-fixtures/iwmo/selection)', () => {
  it('streams exactly the approved performances, with their amounts', async () => {
    const items = await readAll([selection]);
    expect(approved(items)).toEqual({
      // iWmo 3.2, provider 11111111 — March: the 0611-rejected line and client B are left out
      'P1-A-0301': 30000, // 10 h × €30.00
      // April, fully approved (8001): April line, credit of March line, March correction (9 h)
      'P1-A-0401': 30000,
      'P1-A-0402C': -30000,
      'P1-A-0403': 27000,
      // iWmo 2.3, provider 22222222 — F2023001 without 304: approved in full
      'P2-C-01': 28000,
      // F2023002: P2-C-02 not returned → approved as declared; P2-D-02 returned with
      // ToegekendBedrag €100.00 (> 0) → counts with €100.00 instead of €140.00
      'P2-C-02': 28000,
      'P2-D-02': 10000,
      // F2023004 without 304: the credit of P2-C-02 and a new debit
      'P2-C-04C': -28000,
      'P2-C-05': 21000,
    });
  });

  it('gives every other performance with the reason it is not approved', async () => {
    expect(notApproved(await readAll([selection]))).toEqual({
      'P1-A-0302': 'rejected', // 0611 on the performance
      'P1-B-0301': 'rejected', // client B rejected as a whole (9338): all its performances
      'P1-B-0302': 'rejected',
      'P1-A-0501': 'rejected', // answer with only a header (0001)
      'P1-A-0601': 'rejected', // 9333 on the DeclaratieAntwoord
      'P1-A-0701': 'pending', // 3.x declaration without its 325
      'P1-A-0801': 'other-municipality', // addressed to Schagen (0441)
      'P2-C-03': 'rejected', // 2.x returned with ToegekendBedrag 0
      'P2-D-03': 'rejected', // 2.x client rejected (8004)
      'P2-D-04': 'rejected',
    });
  });

  it('warns about the duplicate copy, the Jeugdwet message, the orphan answer, the pending and the other-gemeente declaration', async () => {
    const items = await readAll([selection]);
    expect(warningKinds(items)).toEqual(['answer-without-declaration', 'declaration-other-municipality', 'declaration-pending', 'duplicate-message', 'not-a-declaration-message']);
    const duplicate = items.find((i) => i.type === 'warning' && i.warning.kind === 'duplicate-message');
    expect(duplicate?.type === 'warning' && duplicate.warning.message).toMatch(/april\.xml is the same message as .*april-copy\.dat/);
  });

  it('counts a pending declaration as approved when asked to', async () => {
    const items = await readAll([selection], { countPending: true });
    expect(approved(items)['P1-A-0701']).toBe(30000);
    expect(notApproved(items)['P1-A-0701']).toBeUndefined();
  });

  it('reads files, not just folders, and does not care about the file name', async () => {
    const items = await readAll([path.join(selection, 'p1/april-copy.dat'), path.join(selection, 'p1/april-answer.xml')]);
    expect(approved(items)).toEqual({ 'P1-A-0401': 30000, 'P1-A-0402C': -30000, 'P1-A-0403': 27000 });
  });

  it('flows through the core into the QSD301 cells worked out by hand', async () => {
    const pseudonymize = createPseudonymizer('k');
    const clients = new ClientIndex(pseudonymize);
    clients.add({ clientKey: '999990019', birthDate: '1950-01-01', addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: 'WK040510' }] });
    clients.add({ clientKey: '999990032', birthDate: '1940-05-05', addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: 'WK040512' }] });
    clients.add({ clientKey: '999990044', birthDate: '1990-02-02', addresses: [{ start: '2000-01-01', end: null, municipality: '0405', wijkCode: 'WK040512' }] });
    const wijken: Wijk[] = [
      { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040510', name: 'Wijk 10 Binnenstad', year: 2024 },
      { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040512', name: 'Wijk 12 Hoorn-Noord', year: 2024 },
    ];
    const { rows, report, passed } = await buildDelivery({
      municipality: { code: '0405', name: 'Hoorn' },
      year: 2023,
      period: 'Y',
      wijken,
      clients,
      declarations: readDeclarations(iwmoSource({ paths: [selection] }), { municipality: '0405' }),
      pseudonymize,
    });
    const cell = (wijk: string | null, age: number, category: string) => {
      const row = rows.find((r) => (r.wijk?.code ?? null) === wijk && r.ageClass === age && r.category === category)!;
      return [row.clients, row.euros];
    };
    // A (born 1950, class 3, wijk 10), HH_Hulp: 30000 − 30000 + 27000 + 30000 = 57000 cents = €570
    expect(cell('WK040510', 3, 'HH_Hulp')).toEqual([1, 570]);
    // C (born 1940, class 3, wijk 12), BG: P2-C-01 €280 × 15/28 days in 2023 = €150; P2-C-02
    // €280 credited in full by P2-C-04C; P2-C-05 €210 → 150 + 210 = €360
    expect(cell('WK040512', 3, 'BG')).toEqual([1, 360]);
    // D (born 1990, class 2, wijk 12), DB: the awarded €100 of P2-D-02
    expect(cell('WK040512', 2, 'DB')).toEqual([1, 100]);
    // gemeente, class 3: A + C = 2 clients, €570 + €360 = €930
    expect(cell(null, 3, 'Wmo_tot')).toEqual([2, 930]);
    expect(passed).toBe(true);
    // rejected in 2023: 25000 + 20000 + 10000 + 30000 + 30000 + 5000 + 14000 + 7000 = 141000 in 8 lines
    expect(report.selection.rejected).toEqual({ count: 8, amountCents: 141000 });
    expect(report.selection.pending).toEqual({ count: 1, amountCents: 30000 });
    expect(report.selection.otherMunicipality).toEqual({ count: 1, amountCents: 30000 });
  });
});

describe('broken input gives one clear error naming the file', () => {
  const failure = async (paths: string[]) => {
    try {
      await readAll(paths);
    } catch (error) {
      expect(WmoError.isInstance(error)).toBe(true);
      return error as WmoError;
    }
    throw new Error('expected an error');
  };

  it('a file that is not XML', async () => {
    const error = await failure([broken('not-xml.xml')]);
    expect(error.message).toMatch(/^\S*not-xml\.xml is not an XML file: it does not start with an XML element\.$/);
  });

  it('a truncated file', async () => {
    const error = await failure([broken('truncated.xml')]);
    expect(error.message).toMatch(/truncated\.xml ends in the middle of element Bericht\/Declaratie\/Clienten\/Client\[1\]\/Prestaties\/Prestatie\[2\]\/ProductTarief \(line 8\): the file seems cut off\.$/);
    expect(error.message).not.toContain('9999900'); // no BSN in the message
  });

  it('an XML file of an unknown namespace', async () => {
    const error = await failure([broken('unknown-namespace.xml')]);
    expect(error.message).toMatch(/unknown-namespace\.xml is XML but not an iWmo message: its root element Bericht has namespace "http:\/\/example\.org\/declaraties" \(line 2\)\./);
  });

  it('a missing required element, with its path', async () => {
    const error = await failure([broken('missing-element.xml')]);
    expect(error.message).toMatch(/missing-element\.xml: element Bericht\/Declaratie\/Clienten\/Client\[1\]\/Prestaties\/Prestatie\[1\] \(line \d+\) lacks the required IngediendBedrag\./);
    expect(error.location?.element).toBe('Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/IngediendBedrag');
  });

  it('two different messages with the same identification, naming both files', async () => {
    const error = await failure([broken('conflict')]);
    expect(error.message).toMatch(/conflict\/a\.xml and .*conflict\/b\.xml are two different WMO323 messages with the same sender and identification/);
  });

  it('a path that does not exist', async () => {
    const error = await failure(['/nonexistent/declarations']);
    expect(error.message).toBe('/nonexistent/declarations does not exist or cannot be read.');
  });
});

describe('client facts from WMO301 allocations', () => {
  it('gives the birth date and the BRP addresses as periods', async () => {
    const { readClients } = await import('@wmo-toolkit/core');
    const { allocationClients } = await import('./index.js');
    const clients = [];
    for await (const item of readClients(allocationClients({ paths: [path.join(fixtures, 'allocations'), selection] }))) if (item.type === 'client') clients.push(item.client);
    expect(clients).toHaveLength(1);
    // first allocation from 2023-01-01 at 1621AB 12; the second (dated 2023-08-20) names 1625CD 3
    // from its product start 2023-09-01, so the first address ends the day before, 2023-08-31.
    expect(clients[0]!.birthDate).toBe('1950-01-01');
    expect(clients[0]!.addresses.map(({ start, end, municipality, postcode, houseNumber }) => ({ start, end, municipality, postcode, houseNumber }))).toEqual([
      { start: '2023-01-01', end: '2023-08-31', municipality: '0405', postcode: '1621AB', houseNumber: '12' },
      { start: '2023-09-01', end: null, municipality: '0405', postcode: '1625CD', houseNumber: '3' },
    ]);
  });
});

describe('arrangement records from WMO301, WMO305 and WMO307', () => {
  it('takes the latest allocation, the actual start and stop, and drops removed allocations', async () => {
    const { readArrangements } = await import('@wmo-toolkit/core');
    const { allocationArrangements } = await import('./index.js');
    const records = [];
    const dir = path.join(fixtures, '../scenarios/arrangements-2023/allocations');
    for await (const item of readArrangements(allocationArrangements({ paths: [dir] }), { municipality: '0405' })) if (item.type === 'arrangement') records.push(item.record);
    // test-fixtures/scenarios/arrangements-2023/EXPECTED.md, "Records and the merge"
    expect(records.map((r) => [r.clientKey, r.allocationNumber, r.type, r.intendedStart, r.intendedEnd, r.actualStart, r.actualEnd, r.endReason])).toEqual([
      ['999990019', '5001', '02', '2023-01-01', '2023-12-31', '2023-01-09', '2023-06-30', '19'],
      ['999990019', '5002', '02', '2023-07-03', '2023-12-31', null, null, null],
      ['999990020', '5003', '01', '2023-02-01', '2023-05-31', null, '2023-05-31', '23'], // shortened by the later WMO301
      ['999990032', '5004', '07', '2023-03-01', '2023-04-30', null, null, null],
      ['999990032', '5005', '07', '2023-05-05', '2023-08-31', null, null, null],
      ['999990056', '5007', '88', '2023-01-01', '2023-12-31', null, null, null], // no product: generieke toewijzing
    ]);
  });
});

describe('worker threads', () => {
  const read = async (paths: string[], workers: number) => {
    const items: DeclarationItem[] = [];
    const files: string[] = [];
    const source = iwmoSource({ paths, workers, onFile: (info) => files.push(`${path.basename(info.file)} ${info.role}`) });
    for await (const item of readDeclarations(source, { municipality: '0405', countPending: false })) items.push(item);
    return { items, files };
  };

  it('give the same items in the same order as reading in this thread', async () => {
    const hoorn = path.resolve(fixtures, '../scenarios/hoorn-2023/declarations');
    for (const paths of [[selection], [hoorn]]) {
      const inThread = await read(paths, 0);
      const inWorkers = await read(paths, 2);
      expect(inThread.items.length).toBeGreaterThan(10);
      expect(inWorkers.items).toEqual(inThread.items);
      expect(inWorkers.files).toEqual(inThread.files);
    }
  }, 60_000);

  const readColumns = async (paths: string[], workers: number) => {
    const items: DeclarationItem[] = [];
    let batches = 0;
    for await (const columns of readDeclarationColumns(iwmoSource({ paths, workers }), { municipality: '0405', countPending: false })!) {
      batches++;
      items.push(...columnsToItems(columns));
    }
    return { items, batches };
  };
  /** An item as the columns keep it: the line number without the element path, no rejection codes. */
  const asInColumns = (item: DeclarationItem): DeclarationItem => {
    if (item.type === 'warning') return item;
    const { element: _element, ...source } = item.performance.source;
    const performance = { ...item.performance, source };
    return item.type === 'performance' ? { type: 'performance', performance } : { type: 'not-approved', reason: item.reason, performance };
  };

  it('name each performance by its element path and line (items; the columns keep the line)', async () => {
    // begeleiding/10000002_WMO323_202301.xml, counted by hand: the Prestatie start tags are on
    // lines 7, 10, 13 (clients 1-3, one each), 16 and 17 (client 4, two), 20 (client 5).
    const dir = await mkdtemp(path.join(tmpdir(), 'iwmo-elements-'));
    const file = path.join(dir, 'd.xml');
    await copyFile(path.resolve(fixtures, '../scenarios/hoorn-2023/declarations/begeleiding/10000002_WMO323_202301.xml'), file);
    const sources = (await read([dir], 0)).items.flatMap((item) => (item.type === 'warning' ? [] : [item.performance.source]));
    const element = (client: number, prestatie: number) => `Bericht/Declaratie/Clienten/Client[${client}]/Prestaties/Prestatie[${prestatie}]`;
    expect(sources.slice(0, 6)).toEqual([
      { file, line: 7, element: element(1, 1) },
      { file, line: 10, element: element(2, 1) },
      { file, line: 13, element: element(3, 1) },
      { file, line: 16, element: element(4, 1) },
      { file, line: 17, element: element(4, 2) },
      { file, line: 20, element: element(5, 1) },
    ]);
    const lines = (await readColumns([dir], 0)).items.flatMap((item) => (item.type === 'warning' ? [] : [item.performance.source]));
    expect(lines.slice(0, 6)).toEqual([7, 10, 13, 16, 17, 20].map((line) => ({ file, line })));
  });

  it('give the same lines as columns, in this thread and from the workers', async () => {
    const hoorn = path.resolve(fixtures, '../scenarios/hoorn-2023/declarations');
    const kinds = new Set<string>();
    for (const paths of [[selection], [hoorn]]) {
      const items = (await read(paths, 0)).items.map(asInColumns);
      for (const item of items) kinds.add(item.type === 'not-approved' ? item.reason : item.type);
      for (const workers of [0, 2]) {
        const columns = await readColumns(paths, workers);
        expect(columns.items).toEqual(items);
        expect(columns.batches).toBeGreaterThan(1);
      }
    }
    // the comparison covered approved, rejected, pending and other-gemeente lines and warnings
    expect(kinds).toEqual(new Set(['performance', 'rejected', 'pending', 'other-municipality', 'warning']));
  }, 60_000);

  it('refuse an invalid line as columns with the words of the items path', async () => {
    // two declarations; in the second, one ProductPeriode ends on 30 February
    const hh = path.resolve(fixtures, '../scenarios/hoorn-2023/declarations/hh');
    const dir = await mkdtemp(path.join(tmpdir(), 'iwmo-columns-'));
    await copyFile(path.join(hh, '10000001_WMO323_202301.xml'), path.join(dir, 'a.xml'));
    const text = await readFile(path.join(hh, '10000001_WMO323_202302.xml'), 'utf8');
    const wrong = text.replace('<b:Einddatum>2023-02-28</b:Einddatum></w:ProductPeriode>', '<b:Einddatum>2023-02-30</b:Einddatum></w:ProductPeriode>');
    expect(wrong).not.toBe(text);
    await writeFile(path.join(dir, 'b.xml'), wrong);
    const fromItems = await read([dir], 0).catch((error: unknown) => error as WmoError);
    expect(WmoError.isInstance(fromItems)).toBe(true);
    expect((fromItems as WmoError).code).toBe('adapter-contract');
    // the first Prestatie of the first client, on line 7 of the file
    expect((fromItems as WmoError).message).toContain(`${path.join(dir, 'b.xml')}:7 (element Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]) (periodEnd:`);
    for (const workers of [0, 2]) {
      const fromColumns = await readColumns([dir], workers).catch((error: unknown) => error as WmoError);
      expect(WmoError.isInstance(fromColumns)).toBe(true);
      expect((fromColumns as WmoError).message).toBe((fromItems as WmoError).message);
      expect((fromColumns as WmoError).code).toBe('adapter-contract');
    }
  }, 60_000);

  it('end when the reader stops early (the workers are stopped, nothing hangs)', async () => {
    const hoorn = path.resolve(fixtures, '../scenarios/hoorn-2023/declarations');
    const sizes: number[] = [];
    for await (const batch of iwmoSource({ paths: [hoorn], workers: 2 }).read({ municipality: '0405' }) as AsyncIterable<DeclarationItem[]>) {
      sizes.push(batch.length);
      if (sizes.length === 3) break;
    }
    // first an empty batch: the workers have their first files (the caller can work meanwhile)
    expect(sizes[0]).toBe(0);
    expect(sizes.slice(1).every((size) => size > 0)).toBe(true);
    // and when the reader stops at that empty batch, before any reply of the workers
    for await (const columns of readDeclarationColumns(iwmoSource({ paths: [hoorn], workers: 2 }), { municipality: '0405' })!) {
      expect(columns.count).toBe(0);
      break;
    }
  }, 60_000);

  it('stop with the error of a broken file, named as in this thread', async () => {
    // two declarations of the sample; the second cut off after its header, so that the survey
    // passes and the worker meets the end of the file in the middle of the client list
    const hh = path.resolve(fixtures, '../scenarios/hoorn-2023/declarations/hh');
    const [first, second] = (await readdir(hh)).filter((f) => f.includes('323')).sort();
    const dir = await mkdtemp(path.join(tmpdir(), 'iwmo-workers-'));
    await copyFile(path.join(hh, first!), path.join(dir, first!));
    const text = await readFile(path.join(hh, second!), 'utf8');
    await writeFile(path.join(dir, second!), text.slice(0, Math.round(text.length * 0.6)));
    const fromThread = await read([dir], 0).catch((error: unknown) => error as WmoError);
    const fromWorkers = await read([dir], 2).catch((error: unknown) => error as WmoError);
    expect(WmoError.isInstance(fromWorkers)).toBe(true);
    expect((fromWorkers as WmoError).code).toBe('input-invalid');
    expect((fromWorkers as WmoError).message).toMatch(/ends in the middle of element|not well-formed/);
    expect((fromWorkers as WmoError).message).toBe((fromThread as WmoError).message);
  }, 60_000);
});
