import type { Pseudonymizer } from '../bsn.js';
import { GZS_CATEGORIES, GZS_ROW_ORDER, ageClass, placeCategory, type CategoryPlacement, type GzsRowCategory } from '../categories.js';
import type { CodeListLookup } from '../code-list.js';
import type { AddressResolver, DeclarationItem, NotApprovedReason } from '../contracts.js';
import { ageOnDay, dayNumber, overlapDays } from '../dates.js';
import { WmoError, describeLocation, type SourceLocation } from '../errors.js';
import { ExactCents, largestRemainder, roundHalfUpToEuros } from '../rational.js';
import type { Municipality, Performance, Wijk } from '../records.js';
import { WarningCollector, type CategorySummary, type ClientNotice, type QualityReport, type Tally } from '../report.js';
import type { Qsd301Row } from '../qsd301/row.js';
import { warning, type Warning } from '../warnings.js';
import type { ClientIndex } from './client-index.js';
import { ClientKeys } from './client-keys.js';
import { periodBounds, type PeriodBounds, type ReportingPeriod } from './period.js';
import { KIND_REASONS, columnsTaken, type PerformanceColumns } from '../columns.js';
import { PerformanceStore, StringTable, referenceHash, restHashAfter, restHashHead } from './store.js';

export interface AggregateInput {
  municipality: Municipality;
  year: number;
  period: ReportingPeriod;
  /** The wijken of the municipality in the most recent CBS wijkindeling. */
  wijken: readonly Wijk[];
  clients: ClientIndex;
  /** The items one by one, in batches (as `readDeclarationBatches` gives them) or in columns (`readDeclarationColumns`). */
  declarations: AsyncIterable<DeclarationChunk> | Iterable<DeclarationChunk>;
  resolveAddress?: AddressResolver;
  codeList?: CodeListLookup;
  pseudonymize: Pseudonymizer;
  /** Warnings of the other sources (client register, geography), counted into the report. */
  warnings?: Iterable<Warning> | WarningCollector;
  /**
   * Declaration lines kept in memory before the engine's per-line columns go to a temporary file
   * in the system's temporary folder (TMPDIR): SPILL_FROM (131,072) unless given; Infinity:
   * never. The output is the same either way.
   */
  spillFrom?: number;
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
 * Per client and slot: whole cents in a Float64Array, the rare fractions of a cent (pro-rata
 * shares) as exact fractions beside, and what counts the client (bit 0: the period, bit h + 1:
 * half year h). About 80 bytes a client instead of a dozen objects.
 */
class ClientSums {
  private cents = new Float64Array(0);
  private counted = new Uint8Array(0);
  /** Per client: 1 present, 3 present with a fraction of a cent in some slot. */
  private present = new Uint8Array(0);
  private readonly fractions = new Map<number, ExactCents>();

  private ensure(client: number): void {
    if (client < this.present.length) return;
    const size = Math.max(1024, this.present.length * 2, client + 1);
    const cents = new Float64Array(size * SLOTS);
    cents.set(this.cents);
    const counted = new Uint8Array(size * SLOTS);
    counted.set(this.counted);
    const present = new Uint8Array(size);
    present.set(this.present);
    this.cents = cents;
    this.counted = counted;
    this.present = present;
  }

  addShare(client: number, slot: number, cents: number, part: number, whole: number): void {
    this.ensure(client);
    const k = client * SLOTS + slot;
    if (part === whole) {
      this.present[client]! |= 1;
      this.cents[k]! += cents;
      return;
    }
    this.present[client] = 3;
    let fraction = this.fractions.get(k);
    if (!fraction) this.fractions.set(k, (fraction = new ExactCents()));
    fraction.addShare(cents, part, whole);
  }

  count(client: number, slot: number, bits: number): void {
    this.counted[client * SLOTS + slot]! |= bits;
  }

  isPresent(client: number): boolean {
    return client < this.present.length && this.present[client] !== 0;
  }

  /** Whether some slot of the client holds a fraction of a cent (else its amounts are `wholeCents`). */
  hasFractions(client: number): boolean {
    return this.present[client] === 3;
  }

  /** The whole cents of the client in the slot (all of its amount unless `hasFractions`). */
  wholeCents(client: number, slot: number): number {
    return this.cents[client * SLOTS + slot]!;
  }

  isCounted(client: number, slot: number, bit: number): boolean {
    return (this.counted[client * SLOTS + slot]! & bit) !== 0;
  }

  /** Adds the exact amount of the client in the slot to `target`. */
  addInto(target: ExactCents, client: number, slot: number): void {
    const k = client * SLOTS + slot;
    target.addCents(this.cents[k]!);
    if (this.present[client] !== 3) return;
    const fraction = this.fractions.get(k);
    if (fraction) target.add(fraction);
  }
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
 * Memory: one compact row per approved performance in typed arrays (needed to net credits against
 * their debits, which may come in any order and in any file; see PerformanceStore) and one per
 * client; nothing per message.
 */
export async function aggregate(input: AggregateInput): Promise<AggregateResult> {
  const providers = new StringTable();
  const files = new StringTable();
  const store = new PerformanceStore(providers, files, input.spillFrom === undefined ? {} : { spillFrom: input.spillFrom });
  try {
    return await aggregateWith(input, store);
  } finally {
    store.close(); // the spill file, if the run made one
  }
}

async function aggregateWith(input: AggregateInput, store: PerformanceStore): Promise<AggregateResult> {
  const { providers, files } = store;
  const bounds = periodBounds(input.year, input.period);
  const municipality = input.municipality.code;
  const warnings = new WarningCollector();
  warnings.merge(input.clients.warnings);
  if (input.warnings instanceof WarningCollector) warnings.merge(input.warnings);
  else for (const w of input.warnings ?? []) warnings.add(w);

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
  const clientIds = new ClientKeys();
  const codes = new StringTable();
  const take = (item: DeclarationItem) => {
    if (item.type === 'warning') {
      warnings.add(item.warning);
      return;
    }
    const p = item.performance;
    if (item.type === 'not-approved') {
      addInPeriod(notApprovedTally[item.reason], p, bounds);
      return;
    }
    if (p.municipality !== municipality) {
      // domain.md §3a: declarations for another gemeente are skipped and counted.
      addInPeriod(tallies.otherMunicipality, p, bounds);
      return;
    }
    const start = dayNumber(p.periodStart);
    const end = dayNumber(p.periodEnd);
    const ids = {
      provider: providers.id(p.provider),
      client: clientIds.id(p.clientKey),
      category: p.category === null ? 0 : codes.id(p.category) + 1,
      product: p.productCode === null ? 0 : codes.id(p.productCode) + 1,
      file: files.id(p.source.file),
    };
    const hash = referenceHash(ids.provider, p.reference, 0, p.reference.length);
    const earlier = store.findIn(ids.provider, p.reference, 0, p.reference.length, hash);
    if (earlier >= 0) return countDuplicate(earlier, store.sameAs(earlier, p, ids, start, end), p.reference, p.provider, p.source, start, end, p.amountCents);
    store.add(p, ids, start, end, hash);
  };
  /**
   * A (provider, reference) read before: counted once with a warning when the content is the same,
   * else the run stops naming both places.
   */
  const countDuplicate = (earlier: number, same: boolean, reference: string, provider: string, location: SourceLocation, start: number, end: number, amountCents: number) => {
    if (!same) {
      throw new WmoError(
        `Performance ${reference} of provider ${provider} occurs twice with different content: in ${describeLocation(store.location(earlier))} and in ${describeLocation(location)}.`,
        { code: 'input-conflict', location },
      );
    }
    addShareInPeriod(tallies.duplicates, start, end, amountCents, bounds);
    warnings.add(warning('duplicate-performance', `performance ${reference} of provider ${provider} is given twice (also at ${describeLocation(store.location(earlier))}); it is counted once`, location));
  };
  // The same as `take`, line by line from columns (no object per line; the texts of a batch are
  // looked up in the string tables once per batch, not once per line).
  const takeColumns = (c: PerformanceColumns) => {
    for (const w of c.warnings) warnings.add(w.warning);
    const strings = c.strings;
    const providerIds = new Int32Array(strings.length).fill(-1);
    const clientIdsOf = new Int32Array(strings.length).fill(-1);
    const codeIds = new Int32Array(strings.length).fill(-1);
    const municipalityMatches = new Int8Array(strings.length).fill(-1);
    const declarationHeads = new Map<number, number>(); // restHashHead per declaration code
    const codeId = (code: number) => (code < 0 ? 0 : codeIds[code]! >= 0 ? codeIds[code]! : (codeIds[code] = codes.id(strings[code]!) + 1));
    const file = files.id(c.file);
    const references = c.references;
    for (let i = 0; i < c.count; i++) {
      const start = c.periodStart[i]!;
      const end = c.periodEnd[i]!;
      const amountCents = c.amountCents[i]!;
      const kind = c.kind[i]!;
      if (kind !== 0) {
        addShareInPeriod(notApprovedTally[KIND_REASONS[kind]!], start, end, amountCents, bounds);
        continue;
      }
      const m = c.municipality[i]!;
      if (municipalityMatches[m] === -1) municipalityMatches[m] = strings[m] === municipality ? 1 : 0;
      if (municipalityMatches[m] === 0) {
        addShareInPeriod(tallies.otherMunicipality, start, end, amountCents, bounds);
        continue;
      }
      const p = c.provider[i]!;
      const provider = providerIds[p]! >= 0 ? providerIds[p]! : (providerIds[p] = providers.id(strings[p]!));
      const k = c.clientKey[i]!;
      const client = k <= -2 ? clientIds.idOfNumber(-2 - k) : clientIdsOf[k]! >= 0 ? clientIdsOf[k]! : (clientIdsOf[k] = clientIds.id(strings[k]!));
      const category = codeId(c.category[i]!);
      const product = codeId(c.productCode[i]!);
      const from = i === 0 ? 0 : c.referenceEnds[i - 1]!;
      const to = c.referenceEnds[i]!;
      const credit = c.credit[i] === 1;
      const allocation = c.allocationNumber[i]!;
      const d = c.declarationId[i]!;
      let head = declarationHeads.get(d);
      if (head === undefined) declarationHeads.set(d, (head = restHashHead(strings[d]!)));
      const rest = restHashAfter(head, allocation < 0 ? '' : strings[allocation]!, c.volume[i]!, strings[c.unit[i]!]!);
      const reverses = c.reverses.size === 0 ? undefined : c.reverses.get(i);
      const hash = referenceHash(provider, references, from, to);
      const earlier = store.findIn(provider, references, from, to, hash);
      if (earlier >= 0) {
        const same = store.sameLine(earlier, client, category, product, start, end, amountCents, credit, rest, reverses);
        countDuplicate(earlier, same, references.slice(from, to), strings[p]!, { file: c.file, line: c.line[i]! }, start, end, amountCents);
        continue;
      }
      store.addLine(provider, references, from, to, hash, client, category, product, start, end, amountCents, credit, file, c.line[i]!, rest, reverses);
    }
  };
  for await (const chunk of input.declarations) {
    if (isBatch(chunk)) for (let i = 0; i < chunk.length; i++) take(chunk[i]!);
    else if (chunk.type === 'columns') {
      takeColumns(chunk);
      columnsTaken(chunk); // nothing of it is read again: a worker's batch buffer goes back to it
    }
    else take(chunk);
  }
  const code = (id: number) => (id === 0 ? null : codes.values[id - 1]!);

  // Phase 2: net credits against their debits (domain.md §2: "Credit lines reverse earlier debit
  // lines (same performance, opposite sign). Net them."). A credit names its debit by
  // VorigReferentieNummer; a credit without one (case-system exports) is matched to an uncredited
  // debit of the same provider, client, category, product, period and amount. A credit whose debit
  // is not in the input is not counted: a credit always reverses its debit in full (IV091), so
  // leaving out both gives the right net amount, where counting the credit alone would subtract
  // costs that were never added.
  let bySignature: Map<string, number[]> | undefined;
  const signature = (i: number) =>
    `${store.providerOf(i)}|${store.clientOf(i)}|${store.categoryOf(i)}|${store.productOf(i)}|${store.startOf(i)}|${store.endOf(i)}|${Math.abs(store.amount(i))}`;
  for (let index = 0; index < store.size; index++) {
    if (!store.isCredit(index)) continue;
    store.visit(index);
    const reverses = store.reverses.get(index);
    let debit = -1;
    if (reverses !== undefined) debit = store.find(store.providerOf(index), reverses);
    else {
      bySignature ??= debitsBySignature(store, signature, clientIds.size);
      debit = bySignature.get(signature(index))?.find((candidate) => !store.isCredited(candidate)) ?? -1;
    }
    const amountCents = store.amount(index);
    if (debit < 0 || store.isCredit(debit)) {
      store.markOrphan(index);
      addShareInPeriod(tallies.creditsWithoutDebit, store.startOf(index), store.endOf(index), amountCents, bounds);
      const reference = store.reference(index);
      const provider = providers.values[store.providerOf(index)]!;
      warnings.add(
        warning(
          'credit-without-debit',
          reverses === undefined
            ? `credit ${reference} of provider ${provider} names no debit and matches no approved debit of the same client, product, period and amount; it is not counted`
            : `credit ${reference} of provider ${provider} reverses ${reverses}, which is not among the approved performances read; it is not counted`,
          store.location(index),
          { amountCents },
        ),
      );
      continue;
    }
    store.addCredit(debit, amountCents);
  }

  // Phase 3: per performance, the share inside the period, into per-client sums.
  const unknownCodes = new Map<string, Finding>();
  const mismatches = new Map<string, Finding>();
  const pairs = new Map<number, PairPlacement>();
  const pairKeySpan = codes.size + 1; // a category's and a product's id (+ 1) are at most the codes read
  let lastPairKey = -1;
  let lastPair: PairPlacement | undefined;
  const sums = new ClientSums();
  const summaryAmounts = SLOT_NAMES.map(() => ({ period: new ExactCents(), halves: bounds.halves.map(() => new ExactCents()) }));
  const halves = bounds.halves;

  for (let index = 0; index < store.size; index++) {
    if (store.isOrphan(index)) continue;
    store.visit(index);
    const start = store.startOf(index);
    const end = store.endOf(index);
    const amountCents = store.amount(index);
    const whole = end - start + 1;
    // domain.md §3: a performance crossing a boundary of the period counts pro rata by days.
    const inside = overlapDays(start, end, bounds.start, bounds.end);
    if (inside === 0) {
      tallies.outsidePeriod.count++;
      tallies.outsidePeriod.amount.addCents(amountCents);
      continue;
    }
    // the slot of the line's (category, product) pair, worked out once per pair; what it finds (a
    // code without a category, a category the code list disagrees with) counted per line
    const pairKey = store.categoryOf(index) * pairKeySpan + store.productOf(index);
    if (pairKey !== lastPairKey) {
      lastPairKey = pairKey;
      lastPair = pairs.get(pairKey);
      if (!lastPair) pairs.set(pairKey, (lastPair = categorize(code(store.categoryOf(index)), code(store.productOf(index)), input.codeList)));
    }
    const pair = lastPair!;
    if (pair.mismatch !== undefined) {
      pair.finding ??= mismatches.get(pair.mismatch) ?? newFinding(mismatches, pair.mismatch, store.location(index));
      pair.finding.count++;
    } else if (pair.unknownCode !== undefined) {
      pair.finding ??= unknownCodes.get(pair.unknownCode) ?? newFinding(unknownCodes, pair.unknownCode, store.location(index));
      pair.finding.count++;
      pair.finding.amount += amountCents;
    }
    const slot = pair.slot;
    const client = store.clientOf(index);
    const debit = !store.isCredit(index);
    sums.addShare(client, slot, amountCents, inside, whole);
    summaryAmounts[slot]!.period.addShare(amountCents, inside, whole);
    // domain.md §3a: a client counts in a category when at least one approved debit of that
    // category, delivered in the period, is not reversed by an approved credit.
    const counts = debit && !(store.isCredited(index) && amountCents + store.creditCents(index) <= 0);
    let bits = counts ? 1 : 0;
    for (let h = 0; h < halves.length; h++) {
      const days = overlapDays(start, end, halves[h]!.start, halves[h]!.end);
      if (days > 0) {
        summaryAmounts[slot]!.halves[h]!.addShare(amountCents, days, whole);
        if (counts) bits |= 2 << h;
      }
    }
    if (bits !== 0) sums.count(client, slot, bits);

    const tally = slot === SLOT_EXCLUDED ? tallies.excluded : slot === SLOT_NOT_WMO ? tallies.notWmo : debit ? tallies.approvedDebits : tallies.approvedCredits;
    tally.count++;
    tally.amount.addShare(amountCents, inside, whole);
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

  for (let client = 0; client < clientIds.size; client++) {
    if (!sums.isPresent(client)) continue;
    const clientKey = clientIds.key(client);
    for (let slot = 0; slot < SLOTS; slot++) {
      if (sums.isCounted(client, slot, 1)) summaryClients[slot]!.period++;
      for (let h = 0; h < halves.length; h++) if (sums.isCounted(client, slot, 2 << h)) summaryClients[slot]!.halves[h]!++;
    }
    // The client's Wmo amount: whole cents, as exact fractions only for a client that has some
    // (a pro-rata share: rare) — no object per client for the others.
    let wmoCents = 0;
    let wmo: ExactCents | undefined;
    if (sums.hasFractions(client)) {
      wmo = new ExactCents();
      for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) sums.addInto(wmo, client, slot);
    } else for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) wmoCents += sums.wholeCents(client, slot);
    let countedAny = false;
    for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) if (sums.isCounted(client, slot, 1)) countedAny = true;
    if (!countedAny && (wmo ? wmo.isZero() : wmoCents === 0)) continue; // only excluded or not-Wmo care, or fully reversed
    withPerformances++;
    const amountCents = wmo ? Math.round(wmo.toNumber()) : wmoCents;
    const known = input.clients.find(clientKey);
    const birthDay = known < 0 ? null : input.clients.birthDayOf(known);
    if (birthDay === null) {
      // domain.md §3: without a birth date a client cannot be placed in an age class.
      const reason = known < 0 ? 'not in the client register' : input.clients.hasBirthDateConflict(known) ? 'conflicting birth dates' : 'birth date unknown';
      leftOut.push({ client: input.pseudonymize(clientKey), reason, amountCents });
      continue;
    }
    const age = ageClass(ageOnDay(birthDay, bounds.referenceDay));
    const placement = input.clients.placeInWijk(known, municipality, bounds, wijkByCode, input.resolveAddress);
    let wijkCell: Cell;
    if (placement.wijk) {
      wijkCell = wijkCells.get(placement.wijk.code)![age - 1]!;
      inWijk++;
    } else {
      wijkCell = noWijkCells[age - 1]!;
      const reason =
        placement.reason === 'no-address'
          ? 'no address in the gemeente in the reporting year'
          : placement.reason === 'unknown-wijk'
            ? `wijk code ${placement.address.wijkCode} is not in the wijk list`
            : 'address could not be resolved to a wijk';
      withoutWijk.push({ client: input.pseudonymize(clientKey), reason, amountCents });
    }
    if (countedAny) delivered++;
    addToCell(totalCells[age - 1]!, sums, client, countedAny);
    addToCell(wijkCell, sums, client, countedAny);
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

/**
 * The debits, in the store's order, with the signature of a credit that names no debit: only
 * those signatures are kept, and only the debits of those credits' clients have theirs made. (An
 * index of every debit took 114 MB more at scale 10 and 930 MB more at scale 50 when an export
 * has no VorigReferentieNummer column: docs/performance.md.)
 */
function debitsBySignature(store: PerformanceStore, signature: (index: number) => string, clientCount: number): Map<string, number[]> {
  const wanted = new Map<string, number[]>();
  const clients = new Uint8Array(clientCount); // 1: has such a credit (clients are numbered 0 … clientCount − 1)
  for (let index = 0; index < store.size; index++) {
    if (!store.isCredit(index) || store.reverses.has(index)) continue;
    store.visit(index);
    wanted.set(signature(index), []);
    clients[store.clientOf(index)] = 1;
  }
  for (let index = 0; index < store.size; index++) {
    if (store.isCredit(index)) continue;
    store.visit(index);
    if (clients[store.clientOf(index)] === 0) continue;
    wanted.get(signature(index))?.push(index);
  }
  return wanted;
}

/** Adds a client's amounts and counts to a cell. */
function addToCell(cell: Cell, sums: ClientSums, client: number, countedAny: boolean): void {
  for (let slot = 0; slot < GZS_CATEGORIES.length; slot++) {
    sums.addInto(cell.amounts[slot]!, client, slot);
    if (sums.isCounted(client, slot, 1)) cell.clients[slot]!++;
  }
  if (countedAny) cell.totalClients++;
}

/** Adds the part of a performance inside the period (pro rata by days) to a tally; nothing when outside. */
function addShareInPeriod(tally: ExactTally, start: number, end: number, amountCents: number, bounds: PeriodBounds): void {
  const inside = overlapDays(start, end, bounds.start, bounds.end);
  if (inside === 0) return;
  tally.count++;
  tally.amount.addShare(amountCents, inside, end - start + 1);
}

/** What the engine reads: an item, a batch of items or a batch of lines in columns. */
export type DeclarationChunk = DeclarationItem | readonly DeclarationItem[] | PerformanceColumns;

function isBatch(chunk: DeclarationChunk): chunk is readonly DeclarationItem[] {
  return Array.isArray(chunk);
}

function addInPeriod(tally: ExactTally, p: Pick<Performance, 'periodStart' | 'periodEnd' | 'amountCents'>, bounds: PeriodBounds): void {
  addShareInPeriod(tally, dayNumber(p.periodStart), dayNumber(p.periodEnd), p.amountCents, bounds);
}

/** A code without a category, or a category the code list disagrees with: its lines, their amount, the first one's place. */
interface Finding {
  count: number;
  amount: number;
  location: SourceLocation;
}

function newFinding(findings: Map<string, Finding>, key: string, location: SourceLocation): Finding {
  const finding = { count: 0, amount: 0, location };
  findings.set(key, finding);
  return finding;
}

/** Where the lines of one (category, product code) pair land, and what the engine reports of them. */
interface PairPlacement {
  slot: number;
  /** The warning text of a category the code list disagrees with. */
  mismatch?: string;
  /** A product code without a category: `(none)` when there is no code. */
  unknownCode?: string;
  /** The finding the pair's lines are counted in, once the first is. */
  finding?: Finding;
}

function categorize(category: string | null, productCode: string | null, codeList: CodeListLookup | undefined): PairPlacement {
  const entry = productCode && codeList ? codeList.get(productCode) : undefined;
  if (category !== null && category !== '') {
    // domain.md §4: the category in the source wins; the code list is a cross-check.
    const placement: PairPlacement = { slot: slotOf(placeCategory(category)) };
    if (entry && entry.category !== null && entry.category !== category) {
      placement.mismatch = `product code ${productCode} has category ${category} in the declaration and ${entry.category} in code list ${codeList!.id}`;
    }
    return placement;
  }
  if (entry) return { slot: slotOf(entry.isWmo ? placeCategory(entry.category) : 'not-wmo') };
  return { slot: slotOf('ONBEKEND'), unknownCode: productCode ?? '(none)' };
}

function sameAmount(a: ExactCents, b: ExactCents): boolean {
  const [an, ad] = a.asFraction();
  const [bn, bd] = b.asFraction();
  return an * bd === bn * ad;
}
