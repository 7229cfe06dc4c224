import type { SourceLocation } from './errors.js';
import type { Warning } from './warnings.js';

/**
 * The quality report: what was read, approved, rejected, pending, excluded and why; which clients
 * could not be placed; the checks and their outcome; the warnings grouped by kind. Clients appear
 * only by pseudonymous key. Amounts are in euro cents (rounded to whole cents where a pro-rata
 * share left a fraction; the delivery file itself is rounded exactly as domain.md §3 says).
 */
export interface Tally {
  count: number;
  amountCents: number;
}

export interface CategorySummary {
  /** Prodcat_GZS, or `excluded` (Verblijf en Opvang, 15–18) or `not-wmo` (Jeugdwet). */
  category: string;
  /** Unique clients with a counted performance in the category. */
  clients: number;
  amountCents: number;
  /** The same, for the part of the reporting period in each half year. */
  halves: { half: 'H1' | 'H2'; clients: number; amountCents: number }[];
}

export interface ClientNotice {
  /** Pseudonymous key (HMAC of the BSN) — never the BSN. */
  client: string;
  reason: string;
  amountCents: number;
}

export interface CheckResult {
  id: string;
  description: string;
  passed: boolean;
  findings: { line?: number; message: string }[];
}

export interface WarningGroup {
  kind: string;
  count: number;
  amountCents: number;
  examples: { message: string; location?: SourceLocation }[];
}

export interface QualityReport {
  product: 'QSD301';
  municipality: { code: string; name: string };
  year: number;
  period: 'Y' | 'H1';
  periodStart: string;
  periodEnd: string;
  referenceDate: string;
  selection: {
    approvedDebits: Tally;
    approvedCredits: Tally;
    rejected: Tally;
    pending: Tally;
    otherMunicipality: Tally;
    outsidePeriod: Tally;
    creditsWithoutDebit: Tally;
    duplicates: Tally;
    excluded: Tally;
    notWmo: Tally;
  };
  categories: CategorySummary[];
  clients: {
    /** Clients with at least one approved performance in the period. */
    withPerformances: number;
    /** Clients in the file (Wmo_tot of the gemeente total rows). */
    delivered: number;
    inWijk: number;
    withoutWijk: ClientNotice[];
    leftOut: ClientNotice[];
  };
  file?: { name: string; rows: number };
  checks: CheckResult[];
  warnings: WarningGroup[];
}

export function emptyTally(): Tally {
  return { count: 0, amountCents: 0 };
}

/**
 * Groups warnings by kind, with counts, amounts and at most `examples` example locations each: a
 * run with many warnings of one kind (a register with thousands of overlapping address periods)
 * keeps five of them, not all.
 */
export class WarningCollector {
  private readonly groups = new Map<string, WarningGroup>();
  constructor(private readonly examples = 5) {}

  add(warning: Warning): void {
    let group = this.groups.get(warning.kind);
    if (!group) {
      group = { kind: warning.kind, count: 0, amountCents: 0, examples: [] };
      this.groups.set(warning.kind, group);
    }
    group.count++;
    group.amountCents += warning.amountCents ?? 0;
    if (group.examples.length < this.examples) {
      group.examples.push(warning.location ? { message: warning.message, location: warning.location } : { message: warning.message });
    }
  }

  /** Adds the groups of another collector, as if its warnings were added here one by one. */
  merge(other: WarningCollector): void {
    for (const theirs of other.groups.values()) {
      let group = this.groups.get(theirs.kind);
      if (!group) {
        group = { kind: theirs.kind, count: 0, amountCents: 0, examples: [] };
        this.groups.set(theirs.kind, group);
      }
      group.count += theirs.count;
      group.amountCents += theirs.amountCents;
      for (const example of theirs.examples) if (group.examples.length < this.examples) group.examples.push(example);
    }
  }

  /** The number of warnings added. */
  get count(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.count;
    return count;
  }

  toArray(): WarningGroup[] {
    return [...this.groups.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  }
}
