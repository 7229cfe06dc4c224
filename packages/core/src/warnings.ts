import type { SourceLocation } from './errors.js';

/**
 * Something odd but not fatal, returned with the data (architecture.md): the core counts warnings
 * into the quality report, grouped by kind. A warning message never contains a BSN, name or birth
 * date; where it concerns a client it names the client's pseudonymous key (added by the core).
 */
export type WarningKind =
  // declaration sources
  | 'duplicate-message'
  | 'duplicate-performance'
  | 'totals-mismatch'
  | 'unknown-retourcode'
  | 'answer-without-declaration'
  | 'declaration-pending'
  | 'declaration-other-municipality'
  | 'period-outside-declaration-month'
  | 'credit-without-debit'
  | 'not-a-declaration-message'
  // categories and code lists
  | 'unknown-product-code'
  | 'category-mismatch'
  | 'not-wmo'
  // clients and geography
  | 'invalid-bsn'
  | 'conflicting-birth-date'
  | 'client-conflicting-birth-dates'
  | 'overlapping-addresses'
  | 'address-end-before-start'
  | 'unknown-wijk'
  | 'unresolved-address'
  | 'client-without-birth-date'
  | 'client-without-wijk'
  | 'client-unknown';

export interface Warning {
  kind: WarningKind | (string & {});
  /** One sentence, no personal data. */
  message: string;
  location?: SourceLocation;
  adapterId?: string;
  /** Optional amount in euro cents the warning is about (for the report). */
  amountCents?: number;
}

export function warning(kind: Warning['kind'], message: string, location?: SourceLocation, extra?: Partial<Warning>): Warning {
  const w: Warning = { kind, message };
  if (location) w.location = location;
  if (extra) Object.assign(w, extra);
  return w;
}
