import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WmoError } from '@wmo-toolkit/core';
import { streamXml, type XmlNode } from './xml-stream.js';

interface Plain {
  local: string;
  uri: string;
  text: string;
  line: number;
  children: Plain[];
}

const plain = (node: XmlNode): Plain => ({ local: node.local, uri: node.uri, text: node.text, line: node.line, children: node.children.map(plain) });

async function tree(file: string, chunkBytes?: number): Promise<Plain> {
  let root: XmlNode | undefined;
  await streamXml({ file, adapterId: 'iwmo', chunkBytes, capture: (_local, depth) => depth === 1, onCapture: (node) => void (root = node) });
  return plain(root!);
}

async function write(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'xml-stream-')), name);
  await writeFile(file, text, 'utf8');
  return file;
}

const W = 'urn:example:w';
const B = 'urn:example:b';

// Every kind of content the scanner treats apart, in a file cut into chunks of every small size:
// multi-byte UTF-8 (é is 2 bytes, € 3, 𝄞 4), a comment and CDATA holding '<' and '>', entities,
// names of 13 characters and more (V8 keeps longer slices as views), and two names with the same
// hash in the scanner's name table ("Aa" and "BB": 65·31 + 97 = 66·31 + 66 = 2112).
const DOCUMENT = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  `<w:Bericht xmlns:w="${W}" xmlns:b="${B}">`,
  '<!-- a comment with <markup> inside -->',
  '<w:Aa>één</w:Aa><w:BB>€ 12 &amp; 𝄞</w:BB>',
  '<w:ProductCategorie>02</w:ProductCategorie>',
  '<b:ReferentieNummer><![CDATA[x<y>z]]></b:ReferentieNummer>',
  '<plain>&lt;&#65;&#x42;&gt;</plain>',
  '<w:Aa>again</w:Aa>',
  '</w:Bericht>',
  '',
].join('\n');

const EXPECTED: Plain = {
  local: 'Bericht',
  uri: W,
  text: '',
  line: 2,
  children: [
    { local: 'Aa', uri: W, text: 'één', line: 4, children: [] },
    { local: 'BB', uri: W, text: '€ 12 & 𝄞', line: 4, children: [] },
    { local: 'ProductCategorie', uri: W, text: '02', line: 5, children: [] },
    { local: 'ReferentieNummer', uri: B, text: 'x<y>z', line: 6, children: [] },
    { local: 'plain', uri: '', text: '<AB>', line: 7, children: [] },
    { local: 'Aa', uri: W, text: 'again', line: 8, children: [] },
  ],
};

describe('streamXml', () => {
  it('reads the same tree whatever the chunk size, also where a chunk ends inside a character, a comment or CDATA', async () => {
    const file = await write('all.xml', DOCUMENT);
    expect(await tree(file)).toEqual(EXPECTED);
    for (let chunkBytes = 1; chunkBytes <= 40; chunkBytes++) expect(await tree(file, chunkBytes), `chunks of ${chunkBytes} bytes`).toEqual(EXPECTED);
  });

  it('reads the element that is there when the scanner guesses another (the one that followed last time)', async () => {
    // After A came B, so at the second A's successor the scanner guesses B: there it is BB (B is
    // a prefix of it); after the third A it guesses BB: there it is B with an attribute; then C
    // self-closing where B (after A) was seen before, and A again at the end of the chunk.
    const file = await write(
      'guess.xml',
      `<w:Root xmlns:w="${W}"><w:A>1</w:A><w:B>2</w:B><w:A>3</w:A><w:BB>4</w:BB><w:A>5</w:A><w:B x="y">6</w:B><w:A>7</w:A><w:C/><w:A>8</w:A></w:Root>`,
    );
    const expected = ['A 1', 'B 2', 'A 3', 'BB 4', 'A 5', 'B 6', 'A 7', 'C ', 'A 8'];
    for (const chunkBytes of [undefined, 1, 2, 3, 5, 7, 11, 13]) {
      expect((await tree(file, chunkBytes)).children.map((c) => `${c.local} ${c.text}`), `chunks of ${chunkBytes ?? 'default'} bytes`).toEqual(expected);
    }
  });

  it('reads a file with more distinct element names than the scanner remembers', async () => {
    // 2,000 names: the table keeps 768, the rest are read without it.
    const names = Array.from({ length: 2000 }, (_, i) => `w:Element${i}`);
    const file = await write('many.xml', `<w:Root xmlns:w="${W}">${names.map((n, i) => `<${n}>${i}</${n}>`).join('')}${names.map((n, i) => `<${n}>${-i}</${n}>`).join('')}</w:Root>`);
    const root = await tree(file, 4096);
    expect(root.children).toHaveLength(4000);
    expect(root.children.map((c) => c.local)).toEqual([...names, ...names].map((n) => n.slice(2)));
    expect(root.children.map((c) => c.text)).toEqual([...names.map((_, i) => String(i)), ...names.map((_, i) => String(-i))]);
  });

  it('refuses an end tag that does not match its long start tag, with the line', async () => {
    const file = await write('mismatch.xml', `<w:Bericht xmlns:w="${W}">\n<w:ProductCategorie>02</w:ProductCategorieX>\n</w:Bericht>\n`);
    const error = await tree(file, 8).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WmoError.isInstance(error)).toBe(true);
    expect((error as WmoError).message).toBe(`${file} is not well-formed XML at line 2, in element Bericht/ProductCategorie: unexpected close tag w:ProductCategorieX, expected w:ProductCategorie.`);
  });

  it('names where a cut-off file ends by the index of each element among its same-named siblings', async () => {
    // Root's children A, C, B, C, A, then a third C never closed: C[3] (the second name seen);
    // in it F, G, E, then a second E (the third name seen): E[2]; in that H, then a second H (the
    // first name seen): H[2].
    const file = await write('cut.xml', `<w:Root xmlns:w="${W}">\n<w:A/><w:C/><w:B/><w:C/><w:A/>\n<w:C><w:F/><w:G/><w:E/><w:E><w:H/><w:H>1`);
    const message = `${file} ends in the middle of element Root/C[3]/E[2]/H[2] (line 3): the file seems cut off.`;
    // counted in the captured tree, and in the open elements when nothing is captured
    await expect(tree(file, 5)).rejects.toThrow(message);
    await expect(streamXml({ file, adapterId: 'iwmo', chunkBytes: 5, capture: () => false, onCapture: () => undefined })).rejects.toThrow(message);
  });

  it('keeps namespace declarations in the scope of their element', async () => {
    const file = await write(
      'scopes.xml',
      `<w:Root xmlns:w="${W}"><w:A xmlns:w="${B}"><w:X/></w:A><w:Y/><Inner xmlns="${B}"><Leaf/></Inner><Leaf/><q:Z xmlns:q="${W}"/></w:Root>`,
    );
    const root = await tree(file);
    const uris = (node: Plain): string[] => [`${node.local} ${node.uri}`, ...node.children.flatMap(uris)];
    expect(uris(root)).toEqual([`Root ${W}`, `A ${B}`, `X ${B}`, `Y ${W}`, `Inner ${B}`, `Leaf ${B}`, `Leaf `, `Z ${W}`]);
    const outOfScope = await write('out-of-scope.xml', `<w:Root xmlns:w="${W}">\n<q:Z xmlns:q="${B}"/>\n<q:Z/>\n</w:Root>\n`);
    await expect(tree(outOfScope)).rejects.toThrow(`${outOfScope} is not well-formed XML at line 3, in element Root: unbound namespace prefix: "q".`);
  });

  it('refuses an element name whose prefix is not bound, with the line', async () => {
    const file = await write('unbound.xml', `<w:Bericht xmlns:w="${W}">\n<w:Aa/>\n<q:Aa/>\n</w:Bericht>\n`);
    await expect(tree(file)).rejects.toThrow(`${file} is not well-formed XML at line 3, in element Bericht: unbound namespace prefix: "q".`);
  });
});
