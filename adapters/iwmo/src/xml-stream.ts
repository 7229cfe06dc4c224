import { FastXmlScanner, type ScannerTag } from './fast-scanner.js';
import { ChunkReader, WmoError } from '@wmo-toolkit/core';

/**
 * Streaming XML reading by namespace (FastXmlScanner; saxes before, see docs/performance.md). Only
 * the parts a caller asks for are kept, as small trees (`XmlNode`) handed over as soon as they
 * close; memory does not grow with the size of the file.
 */
export interface XmlNode {
  local: string;
  uri: string;
  text: string;
  children: XmlNode[];
  /** 1-based line of the start tag. */
  line: number;
  /**
   * Of a captured root: the open elements above it and itself, from which `elementPath` writes
   * its path (only when a message or a location needs it: writing every Prestatie's path cost
   * more bytes than the rest of its tree).
   */
  frames: readonly Frame[] | undefined;
  parent: XmlNode | undefined;
  /** Index among same-named siblings, 1-based. */
  index: number;
}

/**
 * The element path of any node of a captured subtree, with sibling indexes, e.g.
 * `Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]`.
 */
export function elementPath(node: XmlNode): string {
  if (node.frames) return pathOf(node.frames, [node]);
  if (!node.parent) return node.local;
  const index = siblingIndex(node);
  const own = index > 1 ? `${node.local}[${index}]` : node.local;
  return `${elementPath(node.parent)}/${own}`;
}

/** A node's children until it has one (one array fewer per element without children). */
const NO_CHILDREN: XmlNode[] = [];

/**
 * The index of a node among its same-named siblings. Inside a captured subtree it is counted only
 * when a message needs it (index 0 until then): counting every element of every Prestatie cost
 * more than reading it.
 */
function siblingIndex(node: XmlNode): number {
  if (node.index > 0 || !node.parent) return node.index || 1;
  let index = 0;
  for (const sibling of node.parent.children) {
    if (sibling.local === node.local) index++;
    if (sibling === node) break;
  }
  return index;
}

export interface StreamXmlOptions {
  file: string;
  adapterId: string;
  /** Called with the root element; 'stop' ends reading there. */
  onRoot?(uri: string, local: string, line: number): void | 'stop';
  /** Whether the element at this depth (root = 1) with this local name is captured whole. */
  capture(local: string, depth: number, parent: string | undefined): boolean;
  /** Receives each captured subtree when it closes; 'stop' ends reading there. */
  onCapture(node: XmlNode): void | 'stop';
  /** Bytes read at a time (default 128 KB); a reader that stops after the header wants less. */
  chunkBytes?: number;
}

/** An open element outside the captured subtrees (those are their `XmlNode`s). */
interface Frame {
  local: string;
  index: number;
  /** The names of its children so far and how many of each: the first two here, more in `more` as [name, count, …]. */
  first: string | undefined;
  firstCount: number;
  second: string | undefined;
  secondCount: number;
  more: (string | number)[] | undefined;
}

const frame = (local: string, index: number): Frame => ({ local, index, first: undefined, firstCount: 0, second: undefined, secondCount: 0, more: undefined });

/** The 1-based index of a new child named `local` of `parent`, counted. */
function countChild(parent: Frame, local: string): number {
  if (parent.first === local) return ++parent.firstCount;
  if (parent.first === undefined) {
    parent.first = local;
    return (parent.firstCount = 1);
  }
  if (parent.second === local) return ++parent.secondCount;
  if (parent.second === undefined) {
    parent.second = local;
    return (parent.secondCount = 1);
  }
  const more = (parent.more ??= []);
  for (let i = 0; i < more.length; i += 2) {
    if (more[i] === local) return (more[i + 1] = (more[i + 1] as number) + 1);
  }
  more.push(local, 1);
  return 1;
}

/** The path of the open elements: the frames outside captured subtrees, then the open captured nodes. */
function pathOf(stack: readonly Frame[], open: XmlNode[]): string {
  let path = '';
  const step = (local: string, index: number) => {
    if (path) path += '/';
    path += index > 1 || local === 'Client' || local === 'Prestatie' ? `${local}[${index}]` : local;
  };
  for (const frame of stack) step(frame.local, frame.index);
  for (const node of open) step(node.local, node.frames ? node.index : siblingIndex(node));
  return path;
}

/** Reads a file through the callbacks of `options`. */
export async function streamXml(options: StreamXmlOptions): Promise<void> {
  for await (const _ of streamXmlSteps(options));
}

/**
 * Bytes read at a time. 128 KB rather than 1 MB: each chunk is also a text of that size in a
 * worker's heap, and a buffer freed a collection later. Deliver at scale 50 from XML had a peak of
 * 445–467 MB instead of 502–506 MB, and at scale 10 about 40 MB less, in the same time
 * (docs/performance.md, optimisation 30). 120 KB since optimisation 38: the text of a chunk stays
 * below V8's large objects (128 KB), which a young-generation collection promotes at once; the
 * bytes are read into one buffer per file (ChunkReader), no buffer per chunk.
 */
const CHUNK_BYTES = 120 * 1024;

/**
 * The same, as an async generator that pauses after every chunk of about a megabyte: a caller
 * collecting records in its callbacks hands them on at each pause, so that a 200 MB message
 * never sits in memory whole.
 */
export async function* streamXmlSteps(options: StreamXmlOptions): AsyncGenerator<void> {
  const { file, adapterId } = options;
  const parser = new FastXmlScanner();
  const stack: Frame[] = [];
  const open: XmlNode[] = [];
  let stopped = false;
  let sawRoot = false;
  let failure: WmoError | undefined;
  let closing = false;

  const fail = (message: string, element?: string): WmoError =>
    new WmoError(message, { code: 'input-invalid', adapterId, location: element ? { file, line: parser.line, element } : { file, line: parser.line } });

  parser.onerror = (error) => {
    if (failure) return;
    // saxes says "[file:]line:column: reason."; the reason never quotes content, so no personal data.
    const position = /^(?:.*?:)?(\d+):(\d+): (.*?)\.?$/.exec(error.message);
    const line = position ? Number(position[1]) : parser.line;
    const reason = position ? position[3] : error.message;
    // Before the first element the parser's position says nothing useful (it reports where the
    // stray text ended), so a file that is not XML is named as such.
    if (!sawRoot) failure = fail(`${file} is not an XML file: it does not start with an XML element.`);
    else if (closing && stack.length + open.length > 0) failure = fail(`${file} ends in the middle of element ${pathOf(stack, open)} (line ${line}): the file seems cut off.`, pathOf(stack, open));
    else failure = fail(`${file} is not well-formed XML at line ${line}, in element ${pathOf(stack, open) || '(root)'}: ${reason}.`, pathOf(stack, open));
  };
  parser.onopentag = (tag: ScannerTag, uri: string) => {
    if (stopped || failure) return;
    if (open.length > 0) {
      // inside a captured subtree: its nodes are the open elements (their index counted when needed)
      const parentNode = open[open.length - 1]!;
      const node: XmlNode = { local: tag.local, uri, text: '', children: NO_CHILDREN, line: parser.line, frames: undefined, parent: parentNode, index: 0 };
      if (parentNode.children === NO_CHILDREN) parentNode.children = [node];
      else parentNode.children.push(node);
      open.push(node);
      return;
    }
    const parent = stack[stack.length - 1];
    const index = parent ? countChild(parent, tag.local) : 1;
    if (!sawRoot) {
      sawRoot = true;
      if (options.onRoot?.(uri, tag.local, parser.line) === 'stop') {
        stopped = true;
        parser.halt();
        return;
      }
    }
    if (options.capture(tag.local, stack.length + 1, parent?.local)) {
      const node: XmlNode = { local: tag.local, uri, text: '', children: NO_CHILDREN, line: parser.line, frames: stack.slice(), parent: undefined, index };
      open.push(node);
    } else stack.push(frame(tag.local, index));
  };
  parser.ontext = (text) => {
    if (open.length > 0) open[open.length - 1]!.text += text;
  };
  parser.onclosetag = () => {
    if (stopped || failure) return;
    if (open.length === 0) {
      stack.pop();
      return;
    }
    const node = open.pop()!;
    // A copy, not a slice: a slice would keep the whole megabyte chunk alive for as long as the
    // engine keeps the performance (one entry per reference). V8 copies a text of fewer than 13
    // characters anyway (no sliced strings below that length), so only longer ones are copied.
    const text = node.text.length === 0 ? '' : node.text.trim();
    node.text = text.length < 13 ? text : (' ' + text).slice(1);
    if (open.length === 0 && options.onCapture(node) === 'stop') {
      stopped = true;
      parser.halt(); // the rest of the chunk is not scanned (the survey reads only headers)
    }
  };

  let reader: ChunkReader | undefined;
  try {
    reader = await ChunkReader.open(file, options.chunkBytes ?? CHUNK_BYTES);
    // the bytes from the last '<' of a chunk on are read again in front of the next chunk
    let keepFrom: number | undefined;
    for (let bytes = await reader.next(); bytes !== undefined; bytes = await reader.next(keepFrom)) {
      const cut = bytes.lastIndexOf(0x3c);
      keepFrom = cut > 0 ? cut : 0;
      if (cut > 0) parser.write(bytes.toString('utf8', 0, cut), true);
      if (failure) throw failure;
      if (stopped) break;
      yield;
    }
    if (!stopped) {
      if (reader.rest.length > 0) parser.write(reader.rest.toString('utf8'));
      if (failure) throw failure;
      closing = true;
      parser.close();
      if (failure) throw failure;
      if (!sawRoot) throw fail(`${file} is empty: it holds no XML element.`);
    }
  } catch (error) {
    if (WmoError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new WmoError(`${file} cannot be read (${code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : 'it is a folder'}).`, {
        code: 'input-unreadable',
        adapterId,
        location: { file },
        cause: error,
      });
    }
    // Errors thrown from callbacks (a missing required element…) come through here too.
    throw error;
  } finally {
    await reader?.close();
  }
}

/** Reads a whole (small) XML file into one tree. */
export async function readXmlTree(file: string, adapterId: string): Promise<XmlNode> {
  let root: XmlNode | undefined;
  await streamXml({ file, adapterId, capture: (_local, depth) => depth === 1, onCapture: (node) => void (root = node) });
  return root!;
}

// ---------------------------------------------------------------------------------------------
// Navigation helpers with clear errors for missing required elements.

export class NodeReader {
  constructor(
    readonly file: string,
    readonly adapterId: string,
  ) {}

  child(node: XmlNode, local: string): XmlNode | undefined {
    for (const c of node.children) if (c.local === local) return c;
    return undefined;
  }

  children(node: XmlNode, local: string): XmlNode[] {
    return node.children.filter((c) => c.local === local);
  }

  require(node: XmlNode, ...path: string[]): XmlNode {
    let current = node;
    for (const local of path) {
      const next = this.child(current, local);
      if (!next) throw this.missing(node, path.join('/'));
      current = next;
    }
    return current;
  }

  text(node: XmlNode, ...path: string[]): string {
    return this.require(node, ...path).text;
  }

  optionalText(node: XmlNode, ...path: string[]): string | undefined {
    let current: XmlNode | undefined = node;
    for (const local of path) {
      current = current && this.child(current, local);
      if (!current) return undefined;
    }
    return current?.text;
  }

  integer(node: XmlNode, ...path: string[]): number {
    const text = this.text(node, ...path);
    if (!/^-?\d+$/.test(text)) throw this.invalid(node, path.join('/'), `${JSON.stringify(text)} is not a whole number`);
    return Number(text);
  }

  missing(node: XmlNode, what: string): WmoError {
    const path = elementPath(node);
    return new WmoError(`${this.file}: element ${path} (line ${node.line}) lacks the required ${what}.`, {
      code: 'input-invalid',
      adapterId: this.adapterId,
      location: { file: this.file, line: node.line, element: `${path}/${what}` },
    });
  }

  invalid(node: XmlNode, what: string, why: string): WmoError {
    const path = what ? `${elementPath(node)}/${what}` : elementPath(node);
    return new WmoError(`${this.file}: element ${path} (line ${node.line}) is invalid: ${why}.`, {
      code: 'input-invalid',
      adapterId: this.adapterId,
      location: { file: this.file, line: node.line, element: path },
    });
  }
}
