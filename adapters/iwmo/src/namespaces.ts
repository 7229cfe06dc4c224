/**
 * iWmo messages are recognised by the namespace of their root element, never by file name:
 * `http://www.istandaarden.nl/iwmo/3_2/wmo323/schema` (3.x; 3.0 and 3.1 by the same pattern) and
 * `http://www.istandaarden.nl/iwmo/2_1/wmo301/schema/2_1` (2.0/2.1 carry a version suffix).
 * iJw (Jeugdwet) messages follow the same scheme under `/ijw/`.
 */
export interface MessageKind {
  standard: 'iwmo' | 'ijw';
  /** e.g. '3.2' */
  release: string;
  major: number;
  /** e.g. 'wmo323', 'jw325' */
  message: string;
}

const NAMESPACE = /^http:\/\/www\.istandaarden\.nl\/(iwmo|ijw)\/(\d+)_(\d+)\/((?:wmo|jw)\d{3})\/schema(?:\/\d+_\d+)?$/;

export function messageKind(namespace: string): MessageKind | undefined {
  const match = NAMESPACE.exec(namespace);
  if (!match) return undefined;
  return { standard: match[1] as 'iwmo' | 'ijw', release: `${match[2]}.${match[3]}`, major: Number(match[2]), message: match[4]! };
}

export type DeclarationRole = 'declaration-3' | 'answer-3' | 'declaration-2' | 'answer-2';

/** Which role a message plays for the QSD301 selection, or undefined for other messages. */
export function declarationRole(kind: MessageKind): DeclarationRole | undefined {
  if (kind.standard !== 'iwmo') return undefined;
  if (kind.major >= 3 && kind.message === 'wmo323') return 'declaration-3';
  if (kind.major >= 3 && kind.message === 'wmo325') return 'answer-3';
  if (kind.major === 2 && kind.message === 'wmo303') return 'declaration-2';
  if (kind.major === 2 && kind.message === 'wmo304') return 'answer-2';
  return undefined;
}
