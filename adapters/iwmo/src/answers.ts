import { warning, type Warning } from '@wmo-toolkit/core';
import { NOT_A_REJECTION, RETOURCODES } from './retourcodes.js';
import { NodeReader, type XmlNode } from './xml-stream.js';

/**
 * What an answer message says about its declaration: the whole declaration rejected, clients
 * rejected as a whole, and per performance reference the rejection (3.x) or the awarded amount
 * (2.x). Only what deviates is listed (TR342 / seed 000 §2.2 step 5), so "not listed" means
 * approved as declared.
 */
export interface Answer {
  file: string;
  /** `agb|identification` (3.x) or `agb|invoice number` (2.x). */
  key: string;
  provider: string;
  municipality: string;
  declarationNumber: string | undefined;
  /** Codes that reject the whole declaration, or undefined. */
  wholeRejection: string[] | undefined;
  rejectedClients: Map<string, string[]>;
  /** 3.x: reference → rejection codes. */
  rejectedReferences: Map<string, string[]>;
  /** 2.x: reference → awarded amount in cents (≥ 0) and codes. */
  awarded: Map<string, { cents: number; codes: string[] }>;
  used: boolean;
}

function codes(reader: NodeReader, node: XmlNode | undefined): string[] {
  if (!node) return [];
  const container = reader.child(node, 'RetourCodes');
  return container ? reader.children(container, 'RetourCode').map((c) => c.text) : [];
}

function rejects(list: string[]): boolean {
  return list.some((code) => !NOT_A_REJECTION.has(code));
}

function checkCodes(list: string[], reader: NodeReader, node: XmlNode, warnings: Warning[]): void {
  for (const code of list) {
    if (!RETOURCODES.has(code)) {
      warnings.push(warning('unknown-retourcode', `${reader.file}: retourcode ${code} is not in the iWmo code list WJ001; it is treated as a rejection`, { file: reader.file, line: node.line }));
    }
  }
}

/** An amount with its DebetCredit, as signed cents (credit negative). */
export function signedCents(reader: NodeReader, node: XmlNode, amountElement: string, dcElement = 'DebetCredit'): number {
  const cents = reader.integer(node, amountElement);
  const dc = reader.text(node, dcElement);
  if (dc !== 'D' && dc !== 'C') throw reader.invalid(node, dcElement, `${JSON.stringify(dc)} is neither D nor C`);
  return dc === 'C' ? -cents : cents;
}

function newAnswer(reader: NodeReader, provider: string, identification: string, municipality: string): Answer {
  return {
    file: reader.file,
    key: `${provider}|${identification}`,
    provider,
    municipality,
    declarationNumber: undefined,
    wholeRejection: undefined,
    rejectedClients: new Map(),
    rejectedReferences: new Map(),
    awarded: new Map(),
    used: false,
  };
}

/**
 * Walks the returned clients and their performances (same tree in WMO325 and WMO304): a client
 * with a rejection code is rejected as a whole; every listed performance goes to `onPerformance`.
 */
function walkReturned(
  parent: XmlNode,
  reader: NodeReader,
  answer: Answer,
  warnings: Warning[],
  onPerformance: (prestatie: XmlNode, reference: string, codes: string[]) => void,
): void {
  const clients = reader.child(parent, 'Clienten');
  for (const client of clients ? reader.children(clients, 'Client') : []) {
    const bsn = reader.text(client, 'Bsn');
    const clientCodes = codes(reader, client);
    checkCodes(clientCodes, reader, client, warnings);
    if (rejects(clientCodes)) answer.rejectedClients.set(bsn, clientCodes);
    for (const prestatie of reader.children(reader.require(client, 'Prestaties'), 'Prestatie')) {
      const prestatieCodes = codes(reader, prestatie);
      checkCodes(prestatieCodes, reader, prestatie, warnings);
      onPerformance(prestatie, reader.text(prestatie, 'ProductReferentie', 'ReferentieNummer'), prestatieCodes);
    }
  }
}

/** WMO325 (iWmo 3.x): only rejected performances are listed (IV087, TR342). */
export function readAnswer3(root: XmlNode, reader: NodeReader, warnings: Warning[]): Answer {
  const header = reader.require(root, 'Header');
  const provider = reader.text(header, 'Ontvanger');
  const identification = reader.text(header, 'DeclaratieIdentificatie', 'Identificatie');
  const headerCodes = codes(reader, header);
  checkCodes(headerCodes, reader, header, warnings);
  const answer = newAnswer(reader, provider, identification, reader.text(header, 'Afzender'));
  const body = reader.child(root, 'DeclaratieAntwoord');
  if (!body) {
    // Header only (e.g. 0001, XSLT rejection): the declaration counts as not sent.
    answer.wholeRejection = headerCodes.length > 0 ? headerCodes : ['(header only)'];
    return answer;
  }
  answer.declarationNumber = reader.text(body, 'DeclaratieNummer');
  const bodyCodes = codes(reader, body);
  checkCodes(bodyCodes, reader, body, warnings);
  if (rejects(headerCodes)) answer.wholeRejection = headerCodes;
  else if (rejects(bodyCodes)) answer.wholeRejection = bodyCodes; // e.g. 9333: nothing processed
  let returned = 0;
  walkReturned(body, reader, answer, warnings, (prestatie, reference, prestatieCodes) => {
    answer.rejectedReferences.set(reference, prestatieCodes);
    returned += signedCents(reader, reader.require(prestatie, 'IngediendBedrag'), 'Bedrag');
  });
  // TR342: Σ returned (signed) = TotaalIngediendBedrag − TotaalToegekendBedrag.
  const submitted = signedCents(reader, reader.require(body, 'TotaalIngediendBedrag'), 'TotaalBedrag');
  const awarded = signedCents(reader, reader.require(body, 'TotaalToegekendBedrag'), 'TotaalBedrag');
  if (!answer.wholeRejection && answer.rejectedClients.size === 0 && submitted - awarded !== returned) {
    warnings.push(
      warning(
        'totals-mismatch',
        `${reader.file}: the rejected performances add up to ${returned} cents, but TotaalIngediendBedrag − TotaalToegekendBedrag is ${submitted - awarded} cents (TR342)`,
        { file: reader.file, line: body.line },
      ),
    );
  }
  return answer;
}

/** WMO304 (iWmo 2.x): returns deviating performances with the awarded amount (ToegekendBedrag). */
export function readAnswer2(root: XmlNode, reader: NodeReader, warnings: Warning[]): Answer {
  const header = reader.require(root, 'Header');
  const provider = reader.text(header, 'Aanbieder');
  const invoice = reader.text(header, 'DeclaratieFactuurIdentificatie', 'DeclarantFactuurNummer');
  const headerCodes = codes(reader, header);
  checkCodes(headerCodes, reader, header, warnings);
  const answer = newAnswer(reader, provider, invoice, reader.text(header, 'Gemeente'));
  answer.declarationNumber = invoice;
  if (rejects(headerCodes)) answer.wholeRejection = headerCodes;
  walkReturned(root, reader, answer, warnings, (prestatie, reference, prestatieCodes) => {
    const awardedNode = reader.require(prestatie, 'ToegekendeBedragPrestatie', 'ToegekendBedrag');
    answer.awarded.set(reference, { cents: Math.abs(signedCents(reader, awardedNode, 'Bedrag')), codes: prestatieCodes });
  });
  return answer;
}
