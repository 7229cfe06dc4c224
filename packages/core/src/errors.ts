/**
 * One error class for everything that stops a run: bad input that cannot be read, a broken
 * adapter, conflicting data. Its message is one sentence a municipal analyst can act on, naming
 * the file and the line or element. It never contains a BSN, name or birth date.
 */

const MARKER = Symbol.for('@wmo-toolkit/core/WmoError');

export interface SourceLocation {
  /** File the record came from, as the user gave it (relative or absolute path). */
  file: string;
  /** 1-based line number in a text file. */
  line?: number;
  /** Element path in an XML file, e.g. `Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]`. */
  element?: string;
}

export type WmoErrorCode =
  | 'input-unreadable'
  | 'input-invalid'
  | 'input-conflict'
  | 'adapter-contract'
  | 'usage'
  | 'check-failed'
  | 'internal';

export interface WmoErrorOptions {
  code: WmoErrorCode;
  adapterId?: string;
  location?: SourceLocation;
  cause?: unknown;
}

export class WmoError extends Error {
  readonly [MARKER] = true;
  readonly code: WmoErrorCode;
  readonly adapterId: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(message: string, options: WmoErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WmoError';
    this.code = options.code;
    this.adapterId = options.adapterId;
    this.location = options.location;
  }

  /** True for a WmoError from any copy of this package. */
  static isInstance(value: unknown): value is WmoError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** `file:line` or `file, element X` for messages. */
export function describeLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.element !== undefined) text += ` (element ${location.element})`;
  return text;
}
