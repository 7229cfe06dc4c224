import { createPseudonymizer } from '../bsn.js';
import type { DeclarationItem } from '../contracts.js';
import { PerformanceColumnsBuilder, type PerformanceColumns } from '../columns.js';
import { buildDelivery, type Delivery } from '../delivery.js';
import type { ClientFacts, Performance, Wijk } from '../records.js';
import type { Qsd301Row } from '../qsd301/row.js';
import type { GzsRowCategory } from '../categories.js';
import { ClientIndex } from './client-index.js';
import type { ReportingPeriod } from './period.js';
import type { CodeListLookup } from '../code-list.js';
import type { AddressResolver } from '../contracts.js';

/** Test helpers for hand-made records (not part of the published package). */

export const HOORN = { code: '0405', name: 'Hoorn' };

/** Two real wijken of Hoorn, CBS wijkindeling 2024 (shared/reference/cbs/wijken_2024_selectie.csv). */
export const HOORN_WIJKEN: Wijk[] = [
  { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040510', name: 'Wijk 10 Binnenstad', year: 2024 },
  { municipality: '0405', municipalityName: 'Hoorn', code: 'WK040512', name: 'Wijk 12 Hoorn-Noord', year: 2024 },
];

let counter = 0;

/** An approved debit (or, with a negative amount and `reversesReference`, a credit). */
export function perf(overrides: Partial<Performance> & { clientKey: string; amountCents: number }): Performance {
  counter++;
  const credit = overrides.amountCents < 0 || overrides.debitCredit === 'C';
  return {
    municipality: '0405',
    provider: '12345678',
    declarationId: 'D1',
    reference: `R${counter}`,
    category: '02',
    productCode: '02A01',
    periodStart: '2023-03-01',
    periodEnd: '2023-03-31',
    volume: 1,
    unit: '04',
    debitCredit: credit ? 'C' : 'D',
    source: { file: 'test.xml', element: `Prestatie[${counter}]` },
    ...overrides,
  };
}

export function client(clientKey: string, birthDate: string | null, ...addresses: [start: string, end: string | null, municipality: string, wijkCode: string | null][]): ClientFacts {
  return {
    clientKey,
    birthDate,
    addresses: addresses.map(([start, end, municipality, wijkCode]) => ({ start, end, municipality, wijkCode })),
  };
}

export interface RunOptions {
  year?: number;
  period?: ReportingPeriod;
  wijken?: Wijk[];
  codeList?: CodeListLookup;
  resolveAddress?: AddressResolver;
  items?: DeclarationItem[];
  spillFrom?: number;
  /** Each batch, when the declarations go to the engine as columns (useColumns). */
  onColumns?: (batch: PerformanceColumns) => void;
}

/**
 * How `run` hands the items to the engine: as items (the default) or as PerformanceColumns built
 * from them (one batch per run of items from the same file; a line number where the source has
 * none: its position in the run). aggregate.columns.test.ts runs every engine test both ways.
 */
let declarationMode: 'items' | 'columns' = 'items';
export function useColumns(): void {
  declarationMode = 'columns';
}

export function asColumns(items: readonly DeclarationItem[]): PerformanceColumns[] {
  const batches: PerformanceColumns[] = [];
  let builder: PerformanceColumnsBuilder | undefined;
  items.forEach((item, position) => {
    if (item.type === 'warning') {
      (builder ??= new PerformanceColumnsBuilder(item.warning.location?.file ?? 'test')).warn(item.warning);
      return;
    }
    const p = item.performance;
    if (builder && builder.file !== p.source.file) {
      batches.push(builder.build());
      builder = undefined;
    }
    builder ??= new PerformanceColumnsBuilder(p.source.file);
    builder.addPerformance(item.type === 'not-approved' ? item.reason : null, { ...p, source: { file: p.source.file, line: p.source.line ?? position + 1 } });
  });
  if (builder) batches.push(builder.build());
  return batches;
}

export async function run(performances: Performance[], clients: ClientFacts[], options: RunOptions = {}): Promise<Delivery> {
  const pseudonymize = createPseudonymizer('test-secret');
  const index = new ClientIndex(pseudonymize);
  for (const c of clients) index.add(c);
  const items: DeclarationItem[] = [...performances.map((performance) => ({ type: 'performance' as const, performance })), ...(options.items ?? [])];
  return buildDelivery({
    municipality: HOORN,
    year: options.year ?? 2023,
    period: options.period ?? 'Y',
    wijken: options.wijken ?? HOORN_WIJKEN,
    clients: index,
    declarations: declarationMode === 'columns' ? asColumns(items).map((batch) => (options.onColumns?.(batch), batch)) : items,
    pseudonymize,
    ...(options.codeList ? { codeList: options.codeList } : {}),
    ...(options.resolveAddress ? { resolveAddress: options.resolveAddress } : {}),
    ...(options.spillFrom !== undefined ? { spillFrom: options.spillFrom } : {}),
  });
}

/** The (clients, euros) of one cell; `wijk` null for the gemeente total rows. */
export function cell(rows: readonly Qsd301Row[], wijk: string | null, ageClass: 1 | 2 | 3, category: GzsRowCategory): [number, number] {
  const row = rows.find((r) => (r.wijk?.code ?? null) === wijk && r.ageClass === ageClass && r.category === category);
  if (!row) throw new Error(`no row ${wijk} ${ageClass} ${category}`);
  return [row.clients, row.euros];
}
