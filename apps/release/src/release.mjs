// `pnpm release [--check-install]` — builds every package, checks each published one with publint
// and @arethetypeswrong/cli, and packs it into release/ (pnpm pack: workspace:^ becomes a version,
// publishConfig.exports replaces the source condition). Publishing itself is `changeset publish`.
//
// --check-install: in a fresh project outside the workspace, installs the packed core, testkit
// and CLI tarballs, copies the template adapter there as a regional cooperation would, builds it,
// runs its conformance suite against the installed testkit, and uses it from the installed CLI to
// make a delivery. Proof that what we publish works for someone else.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = path.join(root, 'release');
const checkInstall = process.argv.includes('--check-install');
const run = (command, args, cwd = root, quiet = false) => execFileSync(command, args, { cwd, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });

const packages = ['packages', 'adapters', 'apps']
  .flatMap((group) => readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)))
  .filter((dir) => existsSync(path.join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

console.log(`building ${packages.length} packages…`);
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let problems = 0;
const tarballs = {};
for (const { dir, manifest } of packages) {
  const packed = run('pnpm', ['pack', '--pack-destination', out], dir, true).trim().split('\n').pop();
  const tarball = path.isAbsolute(packed) ? packed : path.join(out, path.basename(packed));
  tarballs[manifest.name] = tarball;
  const { messages, pkg } = await publint({ pkgDir: dir, pack: 'pnpm', strict: true });
  const errors = messages.filter((m) => m.type !== 'suggestion');
  for (const m of errors) console.log(`  publint ${manifest.name}: ${formatMessage(m, pkg)}`);
  let attw = 'ok';
  try {
    run(path.join(root, 'apps/release/node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--quiet'], root, true);
  } catch (error) {
    attw = `problems:\n${error.stdout ?? ""}${error.stderr ?? error.message}`;
    problems++;
  }
  problems += errors.length;
  console.log(`${errors.length === 0 && attw === 'ok' ? '✔' : '✘'} ${manifest.name}@${manifest.version}  ${path.relative(root, tarball)}${attw === 'ok' ? '' : `\n  attw ${attw}`}`);
}
if (problems > 0) {
  console.error(`release: ${problems} problem(s); nothing is ready to publish.`);
  process.exit(1);
}
console.log(`release: ${packages.length} tarballs in ${path.relative(root, out)}/ (publish with: pnpm changeset publish)`);

if (checkInstall) {
  const project = mkdtempSync(path.join(os.tmpdir(), 'wmo-outside-'));
  console.log(`check-install: a fresh project in ${project}`);
  // Every @wmo-toolkit package resolves to its tarball, also as a dependency of another.
  const overrides = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  const template = JSON.parse(readFileSync(path.join(root, 'adapters/template/package.json'), 'utf8'));
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'my-region-adapter',
        version: '1.0.0',
        private: true,
        type: 'module',
        scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run' },
        dependencies: { '@wmo-toolkit/core': overrides['@wmo-toolkit/core'], '@wmo-toolkit/cli': overrides['@wmo-toolkit/cli'] },
        devDependencies: {
          '@wmo-toolkit/testkit': overrides['@wmo-toolkit/testkit'],
          vitest: template.devDependencies.vitest,
          typescript: '~5.9.3',
          '@types/node': '^20.19.0',
        },
        overrides,
      },
      null,
      2,
    ),
  );
  for (const part of ['src', 'fixtures', 'tsconfig.json', 'tsconfig.build.json']) cpSync(path.join(root, 'adapters/template', part), path.join(project, part), { recursive: true });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  run('npx', ['tsc', '-p', 'tsconfig.build.json'], project);
  run('npx', ['vitest', 'run'], project);
  const deliveries = path.join(project, 'deliveries');
  const sample = path.join(root, 'test-fixtures/scenarios/hoorn-2023');
  run(
    'npx',
    ['wmo', 'deliver', '--gemeente', '0405', '--year', '2023', '--adapter', './dist/index.js', '--declarations-format', 'template', '--declarations', 'fixtures/example.csv', '--clients', path.join(sample, 'clients.csv'), '--delivery-date', '2024-01-15', '--out', deliveries],
    project,
  );
  run('npx', ['wmo', 'validate', path.join(deliveries, 'WMO_0405_2023_20240115_01.csv')], project);
  console.log('check-install: the packed core, testkit and CLI install outside the workspace; the template adapter passes the testkit there and the CLI delivers with it.');
}
