import { SPECIFICATION_VERSION, WmoError, listFiles, dayNumber, isoDate, type AddressPeriod, type ClientItem, type ClientRegister } from '@wmo-toolkit/core';
import { messageKind } from './namespaces.js';
import { NodeReader, streamXml, type XmlNode } from './xml-stream.js';

export interface AllocationClientsOptions {
  /** Files or folders of iWmo messages; only WMO301 allocations are used, other iWmo messages are passed over. */
  paths: readonly string[];
}

interface Snapshot {
  start: string;
  end: string | null;
  municipality: string;
  postcode: string;
  houseNumber: string;
  file: string;
  line: number;
}

/**
 * Client facts from WMO301 allocation messages, the fallback when no client register is
 * available (domain.md §3a): the birth date (Client/Geboortedatum) and the BRP address
 * (Contactgegevens/Contact with Soort 01) with postcode and house number. The address lies in the
 * sending gemeente. An address holds from its Contact/Periode, else from the earliest
 * Ingangsdatum of the allocated products (else the message date), until the day before a later
 * allocation shows another address.
 */
export function allocationClients(options: AllocationClientsOptions): ClientRegister {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: 'iwmo-allocations',
    kind: 'clients',
    description: 'birth dates and BRP addresses from iWmo WMO301 allocation messages',
    read: () => readAllocations(options.paths),
  };
}

async function* readAllocations(paths: readonly string[]): AsyncGenerator<ClientItem[]> {
  const files = (await listFiles(paths, { adapterId: 'iwmo-allocations' })).map((f) => f.path);
  const births = new Map<string, string | null>();
  const snapshots = new Map<string, Snapshot[]>();
  for (const file of files) {
    const reader = new NodeReader(file, 'iwmo-allocations');
    let municipality = '';
    let messageDate = '';
    await streamXml({
      file,
      adapterId: 'iwmo-allocations',
      onRoot(uri, local, line) {
        const kind = messageKind(uri);
        if (!kind) {
          throw new WmoError(`${file} is XML but not an iWmo message: its root element ${local} has namespace ${JSON.stringify(uri)} (line ${line}).`, {
            code: 'input-invalid',
            adapterId: 'iwmo-allocations',
            location: { file, line, element: local },
          });
        }
        return kind.standard === 'iwmo' && kind.message === 'wmo301' ? undefined : 'stop';
      },
      capture: (local, depth) => depth === 2 && (local === 'Header' || local === 'Client'),
      onCapture(node) {
        if (node.local === 'Header') {
          municipality = reader.text(node, 'Afzender');
          messageDate = reader.text(node, 'BerichtIdentificatie', 'Dagtekening');
          return;
        }
        addClient(node, reader, municipality, messageDate, births, snapshots);
      },
    });
  }
  const items: ClientItem[] = [];
  for (const [bsn, list] of [...snapshots.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    items.push({ type: 'client', client: { clientKey: bsn, birthDate: births.get(bsn) ?? null, addresses: periods(list), source: { file: list[0]!.file, line: list[0]!.line } } });
  }
  yield items;
}

function addClient(node: XmlNode, reader: NodeReader, municipality: string, messageDate: string, births: Map<string, string | null>, snapshots: Map<string, Snapshot[]>): void {
  const bsn = reader.text(node, 'Bsn');
  const birth = reader.optionalText(node, 'Geboortedatum', 'Datum') ?? null;
  if (!births.has(bsn) || births.get(bsn) === null) births.set(bsn, birth);
  const contacts = reader.child(node, 'Contactgegevens');
  const brp = contacts ? reader.children(contacts, 'Contact').find((c) => reader.optionalText(c, 'Soort') === '01') : undefined;
  const postcode = brp && reader.optionalText(brp, 'Adres', 'Postcode');
  const houseNumber = brp && reader.optionalText(brp, 'Adres', 'Huis', 'Huisnummer');
  const list = snapshots.get(bsn) ?? [];
  snapshots.set(bsn, list);
  if (!brp || !postcode || !houseNumber) return;
  const products = reader.child(node, 'ToegewezenProducten');
  const starts = products ? reader.children(products, 'ToegewezenProduct').map((p) => reader.optionalText(p, 'Ingangsdatum')).filter((d): d is string => !!d) : [];
  const start = reader.optionalText(brp, 'Periode', 'Begindatum') ?? (starts.length > 0 ? starts.sort()[0]! : messageDate);
  list.push({ start, end: reader.optionalText(brp, 'Periode', 'Einddatum') ?? null, municipality, postcode: postcode.replace(/\s+/g, '').toUpperCase(), houseNumber, file: reader.file, line: node.line });
}

function periods(list: Snapshot[]): AddressPeriod[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: AddressPeriod[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.postcode === s.postcode && last.houseNumber === s.houseNumber && last.municipality === s.municipality) continue;
    if (last && last.end === null) last.end = isoDate(Math.max(dayNumber(s.start) - 1, dayNumber(last.start)));
    out.push({ start: s.start, end: s.end, municipality: s.municipality, postcode: s.postcode, houseNumber: s.houseNumber, source: { file: s.file, line: s.line } });
  }
  return out;
}
