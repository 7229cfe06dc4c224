import { dayNumber } from '../dates.js';
import type { Arrangement } from './merge.js';

/**
 * The publication counts of the CBS monitor: unique clients and arrangements per type × period ×
 * financing, where a client's financing is the combination of the forms of its arrangements
 * (seed 004, FinancieringsvormWmo): only ZIN, only PGB, both PGB and ZIN, or otherwise "anders".
 */
export const FINANCING_GROUPS = ['uitsluitend ZIN', 'uitsluitend PGB', 'zowel PGB als ZIN', 'anders', 'totaal'] as const;
export type FinancingGroup = (typeof FINANCING_GROUPS)[number];

export interface CountRow {
  period: 'H1' | 'H2' | 'jaar';
  type: string;
  financing: FinancingGroup;
  clients: number;
  arrangements: number;
}

/** {4} → only ZIN; {2} → only PGB; 2 and 4 → both; anything else ({6}, {4,6}, {2,6}) → anders. */
export function financingGroup(forms: ReadonlySet<string>): Exclude<FinancingGroup, 'totaal'> {
  const pgb = forms.has('2');
  const zin = forms.has('4');
  if (pgb && zin) return 'zowel PGB als ZIN';
  if (forms.size === 1 && zin) return 'uitsluitend ZIN';
  if (forms.size === 1 && pgb) return 'uitsluitend PGB';
  return 'anders';
}

export function countArrangements(arrangements: readonly Arrangement[], year: number): CountRow[] {
  const periods: [CountRow['period'], number, number][] = [
    ['H1', dayNumber(`${year}-01-01`), dayNumber(`${year}-06-30`)],
    ['H2', dayNumber(`${year}-07-01`), dayNumber(`${year}-12-31`)],
    ['jaar', dayNumber(`${year}-01-01`), dayNumber(`${year}-12-31`)],
  ];
  const types = [...new Set(arrangements.map((a) => a.type))].sort();
  const rows: CountRow[] = [];
  for (const [period, from, to] of periods) {
    const active = arrangements.filter((a) => a.start <= to && a.end >= from);
    for (const type of [...types, 'totaal']) {
      const mine = type === 'totaal' ? active : active.filter((a) => a.type === type);
      const perClient = new Map<string, { forms: Set<string>; arrangements: number }>();
      for (const a of mine) {
        const c = perClient.get(a.clientKey) ?? { forms: new Set<string>(), arrangements: 0 };
        c.forms.add(a.financing);
        c.arrangements++;
        perClient.set(a.clientKey, c);
      }
      const tally = new Map<FinancingGroup, { clients: number; arrangements: number }>(FINANCING_GROUPS.map((g) => [g, { clients: 0, arrangements: 0 }]));
      for (const c of perClient.values()) {
        for (const group of [financingGroup(c.forms), 'totaal'] as const) {
          const t = tally.get(group)!;
          t.clients++;
          t.arrangements += c.arrangements;
        }
      }
      for (const group of FINANCING_GROUPS) rows.push({ period, type, financing: group, ...tally.get(group)! });
    }
  }
  return rows;
}

/** CBS publication rule: counts under 10 are secret ('.'), the others rounded to a multiple of 5. */
export function publishable(count: number): string {
  if (count < 10) return '.';
  return String(Math.floor((count + 2) / 5) * 5);
}
