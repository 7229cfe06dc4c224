import type { Pseudonymizer } from '../bsn.js';
import { GZS_CATEGORIES, GZS_ROW_ORDER, ageClass, placeCategory, type CategoryPlacement, type GzsRowCategory } from '../categories.js';
import type { CodeListLookup } from '../code-list.js';
import type { AddressResolver, DeclarationItem, NotApprovedReason } from '../contracts.js';
import { ageOn, dayNumber, overlapDays } from '../dates.js';
import { WmoError, describeLocation } from '../errors.js';
import { ExactCents, largestRemainder, roundHalfUpToEuros } from '../rational.js';
import type { Municipality, Performance, Wijk } from '../records.js';
import { WarningCollector, type CategorySummary, type ClientNotice, type QualityReport, type Tally } from '../report.js';
import type { Qsd301Row } from '../qsd301/row.js';
import { warning, type Warning } from '../warnings.js';
import type { ClientIndex } from './client-index.js';
import { periodBounds, type PeriodBounds, type ReportingPeriod } from './period.js';
import { placeInWijk } from './wijk-placement.js';

export interface AggregateInput {
  municipality: Municipality;
  year: number;
  period: ReportingPeriod;
  /** The wijken of the municipality in the most recent CBS wijkindeling. */
  wijken: readonly Wijk[];
  clients: ClientIndex;
  declarations: AsyncIterable<DeclarationItem> | Iterable<DeclarationItem>;
  resolveAddress?: AddressResolver;
  codeList?: CodeListLookup;
  pseudonymize: Pseudonymizer;
  /** Warnings of the other sources (client register, geography), counted into the report. */
  warnings?: Iterable<Warning>;
}

export interface AggregateResult {
  rows: Qsd301Row[];
  report: QualityReport;
}

/** Slots per client and per summary: the six Prodcat_GZS categories, then excluded and not-Wmo. */
const SLOT_EXCLUDED = 6;
const SLOT_NOT_WMO = 7;
const SLOTS = 8;
const SLOT_NAMES = [...GZS_CATEGORIES, 'excluded', 'not-wmo'] as const;

function slotOf(placement: CategoryPlacement): number {
  if (placement === 'excluded') return SLOT_EXCLUDED;
  if (placement === 'not-wmo') return SLOT_NOT_WMO;
  return GZS_CATEGORIES.indexOf(placement);
}

/**
 * What the engine keeps of a performance until all are read: the fields the netting and the
 * aggregation use, the place it came from without its element path, and a hash of the fields it
 * only compares (to tell a duplicate from a conflict). A few hundred bytes instead of the record.
 */
type Kept = Pick<Performance, 'provider' | 'reference' | 'reversesReference' | 'clientKey' | 'category' | 'productCode' | 'amountCents' | 'debitCredit'> & {
  /** ProductPeriode as day numbers */
  start: number;
  end: number;
  source: Performance['source'];
  rest: number;
};

/** The few distinct providers, categories and product codes are kept once, not once per line. */
const interned = new Map<string, string>();
function intern(text: string): string;
function intern(text: string | null): string | null;
function intern(text: string | null): string | null {
  if (text === null) return null;
  let known = interned.get(text);
  if (known === undefined) {
    if (interned.size > 100_000) interned.clear();
    interned.set(text, text);
    known = text;
  }
  return known;
}

function keep(p: Performance): Kept {
  const kept: Kept = {
    provider: intern(p.provider),
    reference: p.reference,
    clientKey: p.clientKey,
    category: intern(p.category),
    productCode: intern(p.productCode),
    start: dayNumber(p.periodStart),
    end: dayNumber(p.periodEnd),
    amountCents: p.amountCents,
    debitCredit: p.debitCredit,
    source: p.source.line === undefined ? { file: intern(p.source.file), ...(p.source.element ? { element: p.source.element } : {}) } : { file: intern(p.source.file), line: p.source.line },
    rest: fnv1a(`${p.declarationId}\u0000${p.allocationNumber ?? ''}\u0000${p.volume}\u0000${p.unit}`),
  };
  if (p.reversesReference !== undefined) kept.reversesReference = p.reversesReference;
  return kept;
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

interface StoredPerformance {
  p: Kept;
  /** Sum of the approved credits that reverse this debit (negative cents). */
  creditCents: number;
  credited: boolean;
  /** A credit whose debit is not in the input: not counted (see below). */
  orphan: boolean;
}

interface ClientAggregate {
  amounts: ExactCents[];
  counted: Uint8Array;
  /** counted per half year: index half * SLOTS + slot */
  countedHalves: Uint8Array;
}

interface Cell {
  amounts: ExactCents[];
  clients: number[];
  totalClients: number;
}

function newCell(): Cell {
  return { amounts: GZS_CATEGORIES.map(() => new ExactCents()), clients: GZS_CATEGORIES.map(() => 0), totalClients: 0 };
}

class ExactTally {
  count = 0;
  readonly amount = new ExactCents();
  toTally(): Tally {
    return { count: this.count, amountCents: Math.round(this.amount.toNumber()) };
  }
}

/**
 * The aggregation engine of domain.md §2–§3: from approved performances and client facts to the
 * rows of the QSD301 file and the quality report.
 *
 * Memory: one entry per performance reference (needed to net credits against their debits, which
 * may come in any order and in any file) and one per client; nothing per message.
 */
export async function aggregate(input: AggregateInput): Promise<AggregateResult> {
  const bounds = periodBounds(input.year, input.period);
  const municipality = input.municipality.code;
  const warnings = new WarningCollector();
  for (const w of input.clients.warnings) warnings.add(w);
  for (const w of input.warnings ?? []) warnings.add(w);

  const tallies = {
    approvedDebits: new ExactTally(),
    approvedCredits: new ExactTally(),
    rejected: new ExactTally(),
    pending: new ExactTally(),
    otherMunicipality: new ExactTally(),
    outsidePeriod: new ExactTally(),
    creditsWithoutDebit: new ExactTally(),
    duplicates: new ExactTally(),
    excluded: new ExactTally(),
    notWmo: new ExactTally(),
  };
  const notApprovedTally: Record<NotApprovedReason, ExactTally> = {
    rejected: tallies.rejected,
    pending: tallies.pending,
    'other-municipality': tallies.otherMunicipality,
  };

  // Phase 1: read every item; keep approved performances by (provider, reference).
  const store = new Map<string, StoredPerformance>();
  for await (const item of input.declarations) {
    if (item.type === 'warning') {
      warnings.add(item.warning);
      continue;
    }
    const p = item.performance;
    if (item.type === 'not-approved') {
      addInPeriod(notApprovedTally[item.reason], p, bounds);
      continue;
    }
    if (p.municipality !== municipality) {
      // domain.md §3a: declarations for another gemeente are skipped and counted.
      addInPeriod(tallies.otherMunicipality, p, bounds);
      continue;
    }
    const key = p.provider + '\u0000' + p.reference;
    const earlier = store.get(key);
    if (earlier) {
      if (samePerformance(earlier.p, p)) {
        addInPeriod(tallies.duplicates, p, bounds);
        warnings.add(
          warning('duplicate-performance', `performance ${p.reference} of provider ${p.provider} is given twice (also at ${describeLocation(earlier.p.source)}); it is counted once`, p.source),
        );
        continue;
      }
      throw new WmoError(
        `Performance ${p.reference} of provider ${p.provider} occurs twice with different content: in ${describeLocation(earlier.p.source)} and in ${describeLocation(p.source)}.`,
        { code: 'input-conflict', location: p.source },
      );
    }
    store.set(key, { p: keep(p), creditCents: 0, credited: false, orphan: false });
  }

  // Phase 2: net credits against their debits (domain.md §2: "Credit lines reverse earlier debit
  // lines (same performance, opposite sign). Net them."). A credit names its debit by
  // VorigReferentieNummer; a credit without one (case-system exports) is matched to an uncredited
  // debit of the same provider, client, category, product, period and amount. A credit whose debit
  // is not in the input is not counted: a credit always reverses its debit in full (IV091), so
  // leaving out both gives the right net amount, where counting the credit alone would subtract
  // costs that were never added.
  let bySignature: Map<string, StoredPerformance[]> | undefined;
  const signature = (p: Kept) => `${p.provider}|${p.clientKey}|${p.category}|${p.productCode}|${p.start}|${p.end}|${Math.abs(p.amountCents)}`;
  for (const entry of store.values()) {
    const p = entry.p;
    if (p.debitCredit !== 'C') continue;
    let debit = p.reversesReference === undefined ? undefined : store.get(p.provider + '\u0000' + p.reversesReference);
    if (p.reversesReference === undefined) {
      if (!bySignature) {
        bySignature = new Map();
        for (const candidate of store.values()) {
          if (candidate.p.debitCredit !== 'D') continue;
          const key = signature(candidate.p);
          const list = bySignature.get(key);
          if (list) list.push(candidate);
          else bySignature.set(key, [candidate]);
        }
      }
      debit = bySignature.get(signature(p))?.find((candidate) => !candidate.credited);
    }
    if (!debit || debit.p.debitCredit !== 'D') {
      entry.orphan = true;
      addShareInPeriod(tallies.creditsWithoutDebit, p.start, p.end, p.amountCents, bounds);
      warnings.add(
        warning(
          'credit-without-debit',
          p.reversesReference === undefined
            ? `credit ${p.reference} of provider ${p.provider} names no debit and matches no approved debit of the same client, product, period and amount; it is not counted`
            : `credit ${p.reference} of provider ${p.provider} reverses ${p.reversesReference}, which is not among the approved performances read; it is not counted`,
          p.source,
          { amountCents: p.amountCents },
        ),
      );
      continue;
    }
    debit.creditCents += p.amountCents;
    debit.credited = true;
  }

  // Phase 3: per performance, the share inside the period, into per-client aggregates.
  const unknownCodes = new Map<string, { count: number; amount: number; location: Performance['source'] }>();
  const mismatches = new Map<string, { count: number; location: Performance['source'] }>();
  const clientAggregates = new Map<string, ClientAggregate>();
  const summaryAmounts = SLOT_NAMES.map(() => ({ period: new ExactCents(), halves: bounds.halves.map(() => new ExactCents()) }));

  for (const entry of store.values()) {
    if (entry.orphan) continue;
    const p = entry.p;
    const { start, end } = p;
    const whole = end - start + 1;
    // domain.md §3: a performance crossing a boundary of the period counts pro rata by days.
    const inside = overlapDays(start, end, bounds.start, bounds.end);
    if (inside === 0) {
      tallies.outsidePeriod.count++;
      tallies.outsidePeriod.amount.addCents(p.amountCents);
      continue;
    }
    const placement = categorize(p, input.codeList, unknownCodes, mismatches);
    const slot = slotOf(placement);
    let aggregate = clientAggregates.get(p.clientKey);
    if (!aggregate) {
      aggregate = {
        amounts: SLOT_NAMES.map(() => new ExactCents()),
        counted: new Uint8Array(SLOTS),
        countedHalves: new Uint8Array(SLOTS * bounds.halves.length),
      };
      clientAggregates.set(p.clientKey, aggregate);
    }
    aggregate.amounts[slot]!.addShare(p.amountCents, inside, whole);
    summaryAmounts[slot]!.period.addShare(p.amountCents, inside, whole);
    const halfDays = bounds.halves.map((h) => overlapDays(start, end, h.start, h.end));
    halfDays.forEach((days, h) => {
      if (days > 0) summaryAmounts[slot]!.halves[h]!.addShare(p.amountCents, days, whole);
    });

    const tally = slot === SLOT_EXCLUDED ? tallies.excluded : slot === SLOT_NOT_WMO ? tallies.notWmo : p.debitCredit === 'D' ? tallies.approvedDebits : tallies.approvedCredits;
    tally.count++;
    tally.amount.addShare(p.amountCents, inside, whole);

    // domain.md §3a: a client counts in a category when at least one approved debit of that
    // category, delivered in the period, is not reversed by an approved credit.
    if (p.debitCredit === 'D' && !(entry.credited && p.amountCents + entry.creditCents <= 0)) {
      aggregate.counted[slot] = 1;
      halfDays.forEach((days, h) => {
        if (days > 0) aggregate!.countedHalves[h * SLOTS + slot] = 1;
      });
    }
  }
  for (const [code, info] of unknownCodes) {
    warnings.add(
      warning(
        'unknown-product-code',
        input.codeList
          ? `product code ${code} is not in code list ${input.codeList.id}: ${info.count} performance(s) without a category counted as ONBEKEND`
          : `product code ${code} has no category and no code list was given: ${info.count} performance(s) counted as ONBEKEND`,
        info.location,
        { amountCents: info.amount },
      ),
    );
  }
  for (const [text, info] of mismatches) {
    warnings.add(warning('category-mismatch', `${text} (${info.count} performance(s)); the category in the declaration is used`, info.location));
  }

  // Phase 4: place every client (age class, wijk) and fill the cells.
  const wijken = [...input.wijken].filter((w) => w.municipality === municipality).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const wijkByCode = new Map(wijken.map((w) => [w.code, w]));
  const totalCells = [newCell(), newCell(), newCell()];
  const noWijkCells = [newCell(), newCell(), newCell()];
  const wijkCells = new Map(wijken.map((w) => [w.code, [newCell(), newCell(), newCell()]]));
  const withoutWijk: ClientNotice[] = [];
  const leftOut: ClientNotice[] = [];
  const summaryClients = SLOT_NAMES.map(() => ({ period: 0, halves: bounds.halves.map(() => 0) }));
  let withPerformances = 0;
  let delivered = 0;
  let inWijk = 0;

  for (const [clientKey, aggregate] of clientAggregates) {
    for (let slot = 0; slot < SLOTS; slot++) {
      if (aggregate.counted[slot]) summaryClients[slot]!.period++;
      bounds.halves.forEach((_, h) => {
        if (aggregate.countedHalves[h * SLOTS + slot]) summaryClients[slot]!.halves[h]!++;
      });
    }
    const wmo = new ExactCents();
    let countedAny = false;
    for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) {
      wmo.add(aggregate.amounts[slot]!);
      if (aggregate.counted[slot]) countedAny = true;
    }
    if (!countedAny && wmo.isZero()) continue; // only excluded or not-Wmo care, or fully reversed
    withPerformances++;
    const facts = input.clients.get(clientKey);
    const amountCents = Math.round(wmo.toNumber());
    if (!facts || facts.birthDate === null) {
      // domain.md §3: without a birth date a client cannot be placed in an age class.
      const reason = !facts ? 'not in the client register' : facts.birthDateConflict ? 'conflicting birth dates' : 'birth date unknown';
      leftOut.push({ client: input.pseudonymize(clientKey), reason, amountCents });
      continue;
    }
    const age = ageClass(ageOn(facts.birthDate, bounds.referenceDate));
    const placement = placeInWijk(facts.addresses, municipality, bounds, wijkByCode, input.resolveAddress);
    const cells = [totalCells[age - 1]!];
    if (placement.wijk) {
      cells.push(wijkCells.get(placement.wijk.code)![age - 1]!);
      inWijk++;
    } else {
      cells.push(noWijkCells[age - 1]!);
      const reason =
        placement.reason === 'no-address'
          ? 'no address in the gemeente in the reporting year'
          : placement.reason === 'unknown-wijk'
            ? `wijk code ${placement.address.wijkCode} is not in the wijk list`
            : 'address could not be resolved to a wijk';
      withoutWijk.push({ client: input.pseudonymize(clientKey), reason, amountCents });
    }
    if (countedAny) delivered++;
    for (const cell of cells) {
      for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) {
        cell.amounts[slot]!.add(aggregate.amounts[slot]!);
        if (aggregate.counted[slot]) cell.clients[slot]!++;
      }
      if (countedAny) cell.totalClients++;
    }
  }

  // Phase 5: rows, rounded so that the categories add up to Wmo_tot exactly (domain.md §3).
  const rows: Qsd301Row[] = [];
  const base = { year: input.year, municipalityCode: municipality, municipalityName: input.municipality.name };
  const emit = (wijk: Wijk | null, age: 1 | 2 | 3, cell: Cell) => {
    const total = new ExactCents();
    for (const amount of cell.amounts) total.add(amount);
    const euros = roundHalfUpToEuros(total);
    const parts = largestRemainder(cell.amounts, euros);
    const categoryEuros = new Map<GzsRowCategory, number>([['Wmo_tot', euros]]);
    const categoryClients = new Map<GzsRowCategory, number>([['Wmo_tot', cell.totalClients]]);
    GZS_CATEGORIES.forEach((category, i) => {
      categoryEuros.set(category, parts[i]!);
      categoryClients.set(category, cell.clients[i]!);
    });
    for (const category of GZS_ROW_ORDER) {
      rows.push({
        ...base,
        wijk: wijk ? { code: wijk.code, name: wijk.name } : null,
        ageClass: age,
        category,
        clients: categoryClients.get(category)!,
        euros: categoryEuros.get(category)!,
      });
    }
  };
  for (const age of [1, 2, 3] as const) {
    emit(null, age, totalCells[age - 1]!);
    for (const wijk of wijken) emit(wijk, age, wijkCells.get(wijk.code)![age - 1]!);
  }

  // The exact check of domain.md §3: before rounding, the gemeente total amounts equal the wijk
  // amounts plus the amounts of clients without a wijk.
  const exactFindings: { message: string }[] = [];
  for (let a = 0; a < 3; a++) {
    for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) {
      const sum = noWijkCells[a]!.amounts[slot]!.clone();
      for (const cells of wijkCells.values()) sum.add(cells[a]!.amounts[slot]!);
      if (!sameAmount(sum, totalCells[a]!.amounts[slot]!)) {
        exactFindings.push({ message: `age class ${a + 1}, ${GZS_CATEGORIES[slot]}: the gemeente total differs from the wijken plus the clients without wijk` });
      }
    }
  }

  const categories: CategorySummary[] = SLOT_NAMES.map((category, slot) => ({
    category,
    clients: summaryClients[slot]!.period,
    amountCents: Math.round(summaryAmounts[slot]!.period.toNumber()),
    halves: bounds.halves.map((h, i) => ({ half: h.half, clients: summaryClients[slot]!.halves[i]!, amountCents: Math.round(summaryAmounts[slot]!.halves[i]!.toNumber()) })),
  }));

  const report: QualityReport = {
    product: 'QSD301',
    municipality: { code: municipality, name: input.municipality.name },
    year: input.year,
    period: input.period,
    periodStart: `${input.year}-01-01`,
    periodEnd: input.period === 'Y' ? `${input.year}-12-31` : `${input.year}-06-30`,
    referenceDate: bounds.referenceDate,
    selection: {
      approvedDebits: tallies.approvedDebits.toTally(),
      approvedCredits: tallies.approvedCredits.toTally(),
      rejected: tallies.rejected.toTally(),
      pending: tallies.pending.toTally(),
      otherMunicipality: tallies.otherMunicipality.toTally(),
      outsidePeriod: tallies.outsidePeriod.toTally(),
      creditsWithoutDebit: tallies.creditsWithoutDebit.toTally(),
      duplicates: tallies.duplicates.toTally(),
      excluded: tallies.excluded.toTally(),
      notWmo: tallies.notWmo.toTally(),
    },
    categories,
    clients: {
      withPerformances,
      delivered,
      inWijk,
      withoutWijk: withoutWijk.sort((a, b) => a.client.localeCompare(b.client)),
      leftOut: leftOut.sort((a, b) => a.client.localeCompare(b.client)),
    },
    checks: [
      {
        id: 'exact-totals',
        description: 'before rounding, the gemeente total amounts equal the wijk amounts plus those of clients without a wijk',
        passed: exactFindings.length === 0,
        findings: exactFindings,
      },
    ],
    warnings: warnings.toArray(),
  };
  return { rows, report };
}

/** Adds the part of a performance inside the period (pro rata by days) to a tally; nothing when outside. */
function addShareInPeriod(tally: ExactTally, start: number, end: number, amountCents: number, bounds: PeriodBounds): void {
  const inside = overlapDays(start, end, bounds.start, bounds.end);
  if (inside === 0) return;
  tally.count++;
  tally.amount.addShare(amountCents, inside, end - start + 1);
}

function addInPeriod(tally: ExactTally, p: Pick<Performance, 'periodStart' | 'periodEnd' | 'amountCents'>, bounds: PeriodBounds): void {
  addShareInPeriod(tally, dayNumber(p.periodStart), dayNumber(p.periodEnd), p.amountCents, bounds);
}

function categorize(
  p: Kept,
  codeList: CodeListLookup | undefined,
  unknownCodes: Map<string, { count: number; amount: number; location: Performance['source'] }>,
  mismatches: Map<string, { count: number; location: Performance['source'] }>,
): CategoryPlacement {
  const entry = p.productCode && codeList ? codeList.get(p.productCode) : undefined;
  if (p.category !== null && p.category !== '') {
    // domain.md §4: the category in the source wins; the code list is a cross-check.
    if (entry && entry.category !== null && entry.category !== p.category) {
      const text = `product code ${p.productCode} has category ${p.category} in the declaration and ${entry.category} in code list ${codeList!.id}`;
      const known = mismatches.get(text);
      if (known) known.count++;
      else mismatches.set(text, { count: 1, location: p.source });
    }
    return placeCategory(p.category);
  }
  if (entry) return entry.isWmo ? placeCategory(entry.category) : 'not-wmo';
  const code = p.productCode ?? '(none)';
  const known = unknownCodes.get(code);
  if (known) {
    known.count++;
    known.amount += p.amountCents;
  } else unknownCodes.set(code, { count: 1, amount: p.amountCents, location: p.source });
  return 'ONBEKEND';
}

function samePerformance(a: Kept, b: Performance): boolean {
  const other = keep(b);
  return (
    a.reversesReference === other.reversesReference &&
    a.clientKey === other.clientKey &&
    a.category === other.category &&
    a.productCode === other.productCode &&
    a.start === other.start &&
    a.end === other.end &&
    a.amountCents === other.amountCents &&
    a.debitCredit === other.debitCredit &&
    a.rest === other.rest
  );
}

function sameAmount(a: ExactCents, b: ExactCents): boolean {
  const [an, ad] = a.asFraction();
  const [bn, bd] = b.asFraction();
  return an * bd === bn * ad;
}
