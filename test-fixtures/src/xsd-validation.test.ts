import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every XML message among the fixtures validates against the XSDs in shared/reference/iwmo-xsd,
// checked with xmllint (Debian libxml2-utils, installed by .ci/run).
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const xsdRoot = path.resolve(fixtures, '../../shared/reference/iwmo-xsd');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules') yield* walk(full);
    } else if (/\.(xml|dat)$/.test(name) && !full.includes(`${path.sep}broken${path.sep}`)) yield full;
  }
}

function schemaFor(file: string): string | undefined {
  const head = readFileSync(file, 'utf8').slice(0, 600);
  const match = /xmlns:\w+="http:\/\/www\.istandaarden\.nl\/(iwmo|ijw)\/(\d)_(\d)\/((?:wmo|jw)\d{3})\/schema"/.exec(head);
  if (!match) return undefined;
  return path.join(xsdRoot, `${match[1]}-${match[2]}.${match[3]}`, `${match[4]!.toUpperCase()}.xsd`);
}

describe('fixtures validate against the iWmo XSDs', () => {
  const files = [...walk(fixtures)];
  it('finds fixtures', () => expect(files.length).toBeGreaterThan(10));
  it.each(files.map((f) => [path.relative(fixtures, f), f]))('%s', (_name, file) => {
    const schema = schemaFor(file);
    expect(schema, 'a known iWmo namespace').toBeDefined();
    const output = execFileSync('xmllint', ['--noout', '--schema', schema!, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toBe('');
  });
});
