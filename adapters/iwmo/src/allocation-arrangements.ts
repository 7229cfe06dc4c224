import { SPECIFICATION_VERSION, WmoError, listFiles, warning, type ArrangementItem, type ArrangementRecord, type ArrangementSource, type ArrangementType } from '@wmo-toolkit/core';
import { messageKind } from './namespaces.js';
import { NodeReader, streamXml, type XmlNode } from './xml-stream.js';

const ID = 'iwmo-arrangements';

export interface AllocationArrangementsOptions {
  /** Files or folders of iWmo messages; WMO301, WMO305 and WMO307 are used, others passed over. */
  paths: readonly string[];
}

interface Allocation {
  municipality: string;
  clientKey: string;
  allocationNumber: string;
  type: ArrangementType | undefined;
  intendedStart: string | null;
  intendedEnd: string | null;
  removed: boolean;
  actualStart: string | null;
  actualEnd: string | null;
  endReason: string | null;
  /** message date + file of the last WMO301/305/307 applied, so that the latest wins */
  allocationStamp: string;
  startStamp: string;
  stopStamp: string;
  source: { file: string; line: number };
}

/**
 * Arrangement records for the CBS monitor from iWmo messages (seed 004): per allocated product
 * (BSN + ToewijzingNummer) the latest WMO301 gives type and intended dates (a RedenWijziging 13
 * "verwijderd" removes it), the latest WMO305 the actual start, the latest WMO307 the actual end
 * and RedenBeeindiging (StatusAanlevering 3 withdraws a start or stop). A product without
 * category is a generieke toewijzing: type 88. Financing: zorg in natura (4).
 */
export function allocationArrangements(options: AllocationArrangementsOptions): ArrangementSource {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    id: ID,
    kind: 'arrangements',
    description: 'arrangements from iWmo WMO301 allocations, WMO305 starts and WMO307 stops',
    read: (readOptions) => readMessages(options.paths, readOptions.municipality),
  };
}

async function* readMessages(paths: readonly string[], municipality: string): AsyncGenerator<ArrangementItem[]> {
  const files = (await listFiles(paths, { adapterId: ID })).map((f) => f.path);
  const allocations = new Map<string, Allocation>();
  const items: ArrangementItem[] = [];
  for (const file of files) {
    const reader = new NodeReader(file, ID);
    let message = '';
    let header: XmlNode | undefined;
    await streamXml({
      file,
      adapterId: ID,
      onRoot(uri, local, line) {
        const kind = messageKind(uri);
        if (!kind) {
          throw new WmoError(`${file} is XML but not an iWmo message: its root element ${local} has namespace ${JSON.stringify(uri)} (line ${line}).`, { code: 'input-invalid', adapterId: ID, location: { file, line, element: local } });
        }
        message = kind.standard === 'iwmo' ? kind.message : '';
        return ['wmo301', 'wmo305', 'wmo307'].includes(message) ? undefined : 'stop';
      },
      capture: (local, depth) => depth === 2 && (local === 'Header' || local === 'Client'),
      onCapture(node) {
        if (node.local === 'Header') {
          header = node;
          return;
        }
        const gemeente = reader.text(header!, message === 'wmo301' ? 'Afzender' : 'Ontvanger');
        if (gemeente !== municipality) return;
        const stamp = `${reader.text(header!, 'BerichtIdentificatie', 'Dagtekening')}|${file}`;
        const bsn = reader.text(node, 'Bsn');
        const get = (allocationNumber: string, product: XmlNode): Allocation => {
          const key = `${bsn}|${allocationNumber}`;
          let a = allocations.get(key);
          if (!a) {
            a = { municipality: gemeente, clientKey: bsn, allocationNumber, type: undefined, intendedStart: null, intendedEnd: null, removed: false, actualStart: null, actualEnd: null, endReason: null, allocationStamp: '', startStamp: '', stopStamp: '', source: { file, line: product.line } };
            allocations.set(key, a);
          }
          return a;
        };
        if (message === 'wmo301') {
          for (const product of reader.children(reader.require(node, 'ToegewezenProducten'), 'ToegewezenProduct')) {
            const a = get(reader.text(product, 'ToewijzingNummer'), product);
            if (stamp < a.allocationStamp) continue;
            a.allocationStamp = stamp;
            const category = reader.optionalText(product, 'Product', 'Categorie');
            a.type = (category ?? '88') as ArrangementType;
            a.intendedStart = reader.text(product, 'Ingangsdatum');
            a.intendedEnd = reader.optionalText(product, 'Einddatum') ?? null;
            a.removed = reader.optionalText(product, 'RedenWijziging') === '13';
            a.source = { file, line: product.line };
          }
          return;
        }
        const list = reader.require(node, message === 'wmo305' ? 'StartProducten' : 'StopProducten');
        for (const product of reader.children(list, message === 'wmo305' ? 'StartProduct' : 'StopProduct')) {
          const number = reader.optionalText(product, 'ToewijzingNummer');
          if (!number) continue; // a start or stop without allocation cannot be linked
          const a = get(number, product);
          if (!a.type) {
            const category = reader.optionalText(product, 'Product', 'Categorie');
            if (category) a.type = category as ArrangementType;
          }
          const withdrawn = reader.text(product, 'StatusAanlevering') === '3';
          if (message === 'wmo305' && stamp >= a.startStamp) {
            a.startStamp = stamp;
            a.actualStart = withdrawn ? null : reader.text(product, 'Begindatum');
          }
          if (message === 'wmo307' && stamp >= a.stopStamp) {
            a.stopStamp = stamp;
            a.actualEnd = withdrawn ? null : reader.text(product, 'Einddatum');
            a.endReason = withdrawn ? null : reader.text(product, 'RedenBeeindiging');
          }
        }
      },
    });
  }
  for (const a of [...allocations.values()].sort((x, y) => (x.clientKey + x.allocationNumber < y.clientKey + y.allocationNumber ? -1 : 1))) {
    if (a.removed) continue;
    if (!a.type) {
      items.push({ type: 'warning', warning: warning('arrangement-without-allocation', `allocation ${a.allocationNumber} has a start or stop but no WMO301 and no product category; it is left out`, a.source) });
      continue;
    }
    const record: ArrangementRecord = {
      municipality: a.municipality,
      clientKey: a.clientKey,
      allocationNumber: a.allocationNumber,
      type: a.type,
      financing: '4',
      intendedStart: a.intendedStart,
      intendedEnd: a.intendedEnd,
      actualStart: a.actualStart,
      actualEnd: a.actualEnd,
      endReason: a.endReason,
      source: a.source,
    };
    items.push({ type: 'arrangement', record });
  }
  yield items;
}
