import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// End-to-end: the built CLI (apps/cli/dist/main.js, as published) run as a child process.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'apps/cli/dist/main.js');
const sample = path.join(root, 'test-fixtures/scenarios/hoorn-2023');
const expectedFile = readFileSync(path.join(sample, 'WMO_0405_2023_20240115_01.csv'));
const pc6 = path.join(root, 'test-fixtures/cbs/pc6hnr20240801_gwb-sample.csv');
const BSNS = readFileSync(path.join(sample, 'clients.csv'), 'utf8').match(/^\d{9}/gm)!;

beforeAll(() => {
  // turbo builds the CLI and every package it needs (cached when nothing changed)
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@wmo-toolkit/cli...', '--filter=@wmo-toolkit/template', '--output-logs=errors-only'], { cwd: root, stdio: 'ignore' });
}, 300_000);

function wmo(args: string[], cwd = root): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: '' } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const deliverArgs = (out: string, extra: string[] = []) => [
  'deliver',
  '--gemeente', '0405',
  '--year', '2023',
  '--declarations', path.join(sample, 'declarations'),
  '--clients', path.join(sample, 'clients.csv'),
  '--addresses', pc6,
  '--codelist', 'hoorn',
  '--delivery-date', '2024-01-15',
  '--out', out,
  ...extra,
];

function noPersonalData(text: string): void {
  for (const bsn of BSNS) expect(text).not.toContain(bsn);
  expect(text).not.toMatch(/\n\s+at /); // no stack trace
}

describe('wmo deliver on the bundled Hoorn sample', () => {
  it('writes the hand-checked expected file byte for byte, with its reports, and validate accepts it', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const run = wmo(deliverArgs(out));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['WMO_0405_2023_20240115_01.csv', 'WMO_0405_2023_20240115_01.report.html', 'WMO_0405_2023_20240115_01.report.json']);
    expect(readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.csv')).equals(expectedFile)).toBe(true);
    // the report's figures, worked out in test-fixtures/scenarios/hoorn-2023/EXPECTED.md
    const report = JSON.parse(readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.report.json'), 'utf8'));
    expect(report.selection.rejected).toEqual({ count: 6, amountCents: 254000 });
    expect(report.selection.pending).toEqual({ count: 6, amountCents: 120050 });
    expect(report.selection.excluded).toEqual({ count: 11, amountCents: 2200000 });
    // the same tallies in the HTML report, in Dutch notation: 254000 cents → € 2.540,00, 120050 → € 1.200,50
    const html = readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.report.html'), 'utf8');
    expect(html).toContain('<td class="n">6</td><td class="n">€ 2.540,00</td>');
    expect(html).toContain('<td class="n">6</td><td class="n">€ 1.200,50</td>');
    expect(html).toContain('<td class="n">11</td><td class="n">€ 22.000,00</td>');
    expect(report.clients.leftOut).toEqual([{ client: expect.stringMatching(/^C-[0-9a-f]{16}$/), reason: 'not in the client register', amountCents: 90000 }]);
    expect(report.clients.withoutWijk).toEqual([{ client: expect.stringMatching(/^C-/), reason: 'no address in the gemeente in the reporting year', amountCents: 33000 }]);
    for (const name of readdirSync(out)) noPersonalData(readFileSync(path.join(out, name), 'utf8'));
    const validate = wmo(['validate', path.join(out, 'WMO_0405_2023_20240115_01.csv'), '--gemeente', '0405']);
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain('passes every check (315 rows');
  });

  it('never overwrites: a second run takes the next sequence number, an explicit taken one is refused', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    expect(wmo(deliverArgs(out)).status).toBe(0);
    expect(wmo(deliverArgs(out)).status).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.csv')).sort()).toEqual(['WMO_0405_2023_20240115_01.csv', 'WMO_0405_2023_20240115_02.csv']);
    const taken = wmo(deliverArgs(out, ['--sequence', '1']));
    expect(taken.status).toBe(2);
    expect(taken.stderr).toBe(`wmo: ${path.join(out, 'WMO_0405_2023_20240115_01.csv')} already exists; a delivery is never overwritten.\n`);
    expect(readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.csv')).equals(expectedFile)).toBe(true);
  });

  it('writes the same file from the case-system export of the same declarations', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const args = deliverArgs(out, ['--declarations-format', 'csv-export', '--mapping', path.join(sample, 'export/mapping.yaml')]);
    args[args.indexOf('--declarations') + 1] = path.join(sample, 'export');
    const run = wmo(args);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.csv')).equals(expectedFile)).toBe(true);
  });

  it('writes the field-table spelling on request', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    expect(wmo(deliverArgs(out, ['--dialect', 'field-table'])).status).toBe(0);
    const text = readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.csv'), 'ascii');
    expect(text.split('\r\n')[0]).toBe('Jaar;Gemcode;Gemnaam;Wijkcode;Wijknaam;Lftijdskl;Prodcat_GZS;Aantal_clienten;Kosten_gerealiseerd');
    // same numbers, other spellings: line 2 of the expected file is the total Wmo_tot of class 1
    expect(text.split('\r\n')[1]).toBe('2023;0405;Hoorn;n.v.t.;Totaal;1;Wmo_tot;2;1980');
  });

  it('exits 1 and writes only the report when a check fails', async () => {
    // a wijk name of 61 characters breaks the 60-character limit of Wijknaam
    const dir = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const wijken = path.join(dir, 'wijken_2024.csv');
    const lines = readFileSync(path.join(root, 'adapters/cbs-geo/data/wijken-2024.csv'), 'utf8').split('\r\n');
    writeFileSync(wijken, lines.map((l) => (l.startsWith('0405;Hoorn;WK040510;') ? `0405;Hoorn;WK040510;${'B'.repeat(61)}` : l)).join('\r\n'));
    const out = path.join(dir, 'out');
    const run = wmo(deliverArgs(out, ['--wijken', wijken]));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^wmo: the delivery did not pass its checks \(no field is longer than seed 000 table 4.1 allows\); no delivery file was written — see .*\.report\.html\.\n$/);
    expect(readdirSync(out).sort()).toEqual(['WMO_0405_2023_20240115_01.report.html', 'WMO_0405_2023_20240115_01.report.json']);
    const report = JSON.parse(readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.report.json'), 'utf8'));
    expect(report.checks.find((c: { id: string }) => c.id === 'field-length').findings[0].message).toMatch(/Wijknaam is 61 characters, at most 60/);
  });
});

describe('the built iWmo adapter in worker threads', () => {
  it('gives the same items in the same order as in one thread (the published worker file runs)', () => {
    // plain node on the built package, as users run it: the worker is dist/declaration-worker.js.
    // Run with `node --max-old-space-size=4096 --input-type=module -e`, whose options a worker
    // must not inherit (it refuses V8 options; -e would run the parent's script).
    const script = `
      import { createHash } from 'node:crypto';
      import { iwmoSource } from ${JSON.stringify(path.join(root, 'adapters/iwmo/dist/index.js'))};
      const read = async (workers) => {
        const items = [];
        for await (const batch of iwmoSource({ paths: [process.env.WMO_SAMPLE], workers }).read({ municipality: '0405' })) items.push(...batch);
        return items;
      };
      const one = await read(0);
      const two = await read(2);
      let columnLines = 0;
      for await (const columns of iwmoSource({ paths: [process.env.WMO_SAMPLE], workers: 2 }).readColumns({ municipality: '0405' })) columnLines += columns.count;
      const digest = (items) => createHash('sha256').update(JSON.stringify(items)).digest('hex');
      console.log(JSON.stringify({ count: one.length, same: digest(one) === digest(two), performances: two.filter((i) => i.type === 'performance').length, lines: two.filter((i) => i.type !== 'warning').length, columnLines }));
    `;
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, WMO_SAMPLE: path.join(sample, 'declarations') } });
    const result = JSON.parse(out.trim()) as { count: number; same: boolean; performances: number; lines: number; columnLines: number };
    expect(result.same).toBe(true);
    // the worker file also posts columns: as many lines as the items have
    expect(result.columnLines).toBe(result.lines);
    // EXPECTED.md of the sample: 3 providers × 12 months of declarations with approved lines
    expect(result.performances).toBeGreaterThan(100);
  }, 60_000);
});

describe('error paths, as a new user meets them', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['a missing client register', ['--clients', 'nope/clients.csv'], 2, /^wmo: nope\/clients\.csv cannot be read \(it does not exist\)\. Check the path\.\n$/],
    ['a gemeente code that does not exist', ['--gemeente', '9999'], 2, /^wmo: Gemeente 9999 is not in the CBS gemeente list of 2025; check --gemeente \(Hoorn is 0405, Schagen 0441\)\.\n$/],
    ['a gemeente code without its leading zero', ['--gemeente', '405'], 2, /^wmo: Option municipality is not right: the gemeente code has 4 digits, with leading zeros \(Hoorn is 0405\)\.\n$/],
    ['a gemeente without wijken in the bundled list', ['--gemeente', '0363'], 2, /has no wijken of Amsterdam \(0363\); give the CBS wijk list of the gemeente with --wijken\.\n$/],
    ['a PDF passed as XML', ['--declarations', 'test-fixtures/iwmo/broken/not-xml.xml'], 2, /^wmo: test-fixtures\/iwmo\/broken\/not-xml\.xml is not an XML file: it does not start with an XML element\. Fix or remove that file: --declarations takes iWmo XML messages\.\n$/],
    ['a truncated message', ['--declarations', 'test-fixtures/iwmo/broken/truncated.xml'], 2, /truncated\.xml ends in the middle of element Bericht\/Declaratie.*: the file seems cut off\./],
    ['an impossible delivery date', ['--delivery-date', '2024-02-30'], 2, /^wmo: Option deliveryDate is not right: the delivery date is a date YYYY-MM-DD\.\n$/],
    ['an unknown code list', ['--codelist', 'utrecht'], 2, /^wmo: --codelist utrecht is neither a known code list \(hoorn, midden-limburg-oost, handboek-2022\) nor an existing CSV file\.\n$/],
    ['an unknown option', ['--gemeentecode', '0405'], 2, /^error: unknown option '--gemeentecode'/],
  ];
  it.each(cases)('%s', (_name, change, status, message) => {
    const args = deliverArgs(path.join(tmpdir(), 'wmo-e2e-never'));
    for (let i = 0; i < change.length; i += 2) {
      const at = args.indexOf(change[i]!);
      if (at >= 0) args[at + 1] = change[i + 1]!;
      else args.push(change[i]!, change[i + 1]!);
    }
    const run = wmo(args);
    expect(run.status).toBe(status);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    noPersonalData(run.stderr);
    expect(existsSync(path.join(tmpdir(), 'wmo-e2e-never'))).toBe(false);
  });

  it('an empty folder of declarations', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-empty-'));
    const args = deliverArgs(path.join(empty, 'out'));
    args[args.indexOf('--declarations') + 1] = empty;
    const run = wmo(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`wmo: Found no iWmo declaration messages (WMO323 or WMO303) in ${empty}; check --declarations.\n`);
  });

  it('a number of workers that is not a number', () => {
    const run = wmo([...deliverArgs(path.join(tmpdir(), 'wmo-e2e-never')), '--workers', 'two']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('wmo: --workers two is not a whole number.\n');
    expect(existsSync(path.join(tmpdir(), 'wmo-e2e-never'))).toBe(false);
  });

  it('a missing required option', () => {
    const run = wmo(['deliver', '--gemeente', '0405']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: required option '--year <year>' not specified/);
  });

  it('--debug shows the stack trace', () => {
    const args = deliverArgs(path.join(tmpdir(), 'wmo-e2e-never'));
    args[args.indexOf('--clients') + 1] = 'nope.csv';
    const run = wmo([...args, '--debug']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('adapters from outside the toolkit (--adapter)', () => {
  const template = path.join(root, 'adapters/template');
  it('loads the template adapter by path, checks it and delivers with it by its id', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const run = wmo([
      'deliver', '--gemeente', '0405', '--year', '2023',
      '--adapter', path.join(template, 'dist/index.js'), '--declarations-format', 'template',
      '--declarations', path.join(template, 'fixtures/example.csv'),
      '--clients', path.join(sample, 'clients.csv'), '--addresses', pc6,
      '--delivery-date', '2024-01-15', '--out', out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // example.csv: c1 (class 3) €300 credited by −€300 → not counted; c2 (999990020, born 1948,
    // class 3, 1621AB 12 → WK040510) BG €120.50 → €121
    const text = readFileSync(path.join(out, 'WMO_0405_2023_20240115_01.csv'), 'ascii');
    expect(text).toContain('\r\n2023;0405;Hoorn;WK040510;Wijk 10 Binnenstad;3;BG;1;121\r\n');
    expect(text).toContain('\r\n2023;0405;Hoorn;nvt;Totaal;3;Wmo_tot;1;121\r\n');
  });

  it('refuses a module that is not an adapter, in one sentence', () => {
    const run = wmo([...deliverArgs(path.join(tmpdir(), 'wmo-e2e-never')), '--adapter', path.join(root, 'apps/cli/dist/program.js')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^wmo: --adapter \S+program\.js is not a wmo-toolkit adapter: it has no default export\.\n$/);
  });
});

describe('wmo arrangements (CBS, seed 004)', () => {
  const scenario = path.join(root, 'test-fixtures/scenarios/arrangements-2023');
  const args = (out: string, extra: string[] = []) => [
    'arrangements', '--gemeente', '0405', '--year', '2023',
    '--allocations', path.join(scenario, 'allocations'),
    '--arrangements-csv', path.join(scenario, 'pgb-en-anders.csv'),
    '--key-file', path.join(scenario, 'key.txt'),
    '--out', out, ...extra,
  ];

  it('writes the arrangement file and the counts equal to the hand-checked files', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const run = wmo(args(out));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['CBS_WMO_0405_2023_01.csv', 'CBS_WMO_0405_2023_01.report.html', 'CBS_WMO_0405_2023_01.report.json', 'CBS_WMO_0405_2023_01.tellingen.csv']);
    for (const name of ['CBS_WMO_0405_2023_01.csv', 'CBS_WMO_0405_2023_01.tellingen.csv']) {
      expect(readFileSync(path.join(out, name)).equals(readFileSync(path.join(scenario, name))), name).toBe(true);
    }
    for (const name of readdirSync(out)) noPersonalData(readFileSync(path.join(out, name), 'utf8'));
  });

  it('suppresses small counts with --suppress, and refuses a missing key file', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    expect(wmo(args(out, ['--suppress'])).status).toBe(0);
    const counts = readFileSync(path.join(out, 'CBS_WMO_0405_2023_01.tellingen.csv'), 'utf8').split('\r\n');
    // the year total, all types: 6 clients and 8 arrangements → both under 10 → secret
    expect(counts).toContain('2023;0405;jaar;totaal;totaal;.;.');
    const missing = wmo(args(out).map((a) => (a.endsWith('key.txt') ? 'nope.key' : a)));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('wmo: The key file nope.key cannot be read. Check the path.\n');
  });
});

describe('wmo validate', () => {
  it('prints every finding with its line number and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    const file = path.join(dir, 'WMO_0405_2023_20240115_01.csv');
    // LF instead of CR LF, and line 3 (total, class 1, HH_Hulp) with a 5-digit gemeente code
    const lines = expectedFile.toString('ascii').split('\r\n');
    lines[2] = '2023;04050;Hoorn;nvt;Totaal;1;HH_Hulp;0;0';
    writeFileSync(file, lines.join('\n'));
    const run = wmo(['validate', file]);
    expect(run.status).toBe(1);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe(`${file}:1: line 1 ends in LF without CR [line-ending]`);
    expect(out).toContain(`${file}:3: Gemcode "04050" is not a 4-digit CBS gemeente code [field-format]`);
    expect(run.stderr).toMatch(/has \d+ findings; it must not be sent as it is\.\n$/);
  });

  it('a file that does not exist', () => {
    const run = wmo(['validate', 'nope.csv']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('wmo: nope.csv cannot be read (it does not exist). Check the path.\n');
  });
});

describe('the HTML report in a real browser', () => {
  it('opens in headless Chromium without errors; a screenshot is kept in test-results/', async () => {
    const { chromium } = await import('playwright-core');
    const out = await mkdtemp(path.join(tmpdir(), 'wmo-e2e-'));
    expect(wmo(deliverArgs(out)).status).toBe(0);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`file://${path.join(out, 'WMO_0405_2023_20240115_01.report.html')}`);
      expect(await page.title()).toBe('Kwaliteitsrapport Gemeentezorgspiegel 2023 — Hoorn (0405)');
      expect(await page.locator('[role=status]').innerText()).toContain('Alle controles zijn in orde');
      expect(await page.locator('svg[role=img]').count()).toBe(4);
      expect(errors).toEqual([]);
      mkdirSync(path.join(root, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(root, 'test-results/report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
