import type { AddressResolver } from '../contracts.js';
import type { ClientFacts, AddressPeriod, Wijk } from '../records.js';
import { warning } from '../warnings.js';
import type { Pseudonymizer } from '../bsn.js';
import { dayNumber, isoDate } from '../dates.js';
import { ClientKeys } from './client-keys.js';
import { Int32Lists, grownInt32 } from './int32-lists.js';
import type { PeriodBounds } from './period.js';
import { StringTable } from './store.js';
import { distanceToReferenceDay, isCloser, wijkOf, type WijkPlacement } from './wijk-placement.js';
import { WarningCollector } from '../report.js';

export interface IndexedClient {
  /** null when unknown, or when the sources disagree (then `birthDateConflict` is true). */
  birthDate: string | null;
  birthDateConflict: boolean;
  addresses: AddressPeriod[];
}

/** Birth day markers (a day number is never this small: year −5,000,000). */
const UNKNOWN = -0x7fffffff;
const CONFLICT = UNKNOWN + 1;
/** An address without an end date, and a text that is not there (null). */
const OPEN = 0x7fffffff;
const NONE = -1;

/**
 * The client facts of one run, by client key (BSN). Per-client state is the only state that may
 * grow with the size of the municipality. A source may give a client in several records (one per
 * address period); they are merged here, the address periods in the order they came.
 *
 * Kept in typed arrays: per client the birth day and its address list, per address period its
 * days and the codes of its gemeente, wijk, postcode and house number (texts kept once). 64 bytes
 * a client with one address, where objects took 238 (measured, docs/performance.md); `get`
 * gives a client as an object again.
 */
export class ClientIndex {
  private readonly keys = new ClientKeys();
  private birth = new Int32Array(1024);
  /** Per address period: start day, end day (OPEN: none), codes of gemeente, wijk, postcode, house number (NONE: null). */
  private readonly addresses = new Int32Lists(6);
  private readonly texts = new StringTable();
  /** Its warnings (a conflicting birth date), by kind with a few examples. */
  readonly warnings = new WarningCollector();

  constructor(private readonly pseudonymize: Pseudonymizer) {}

  add(facts: ClientFacts): void {
    const size = this.keys.size;
    const client = this.keys.id(facts.clientKey);
    if (client === size) {
      if (client === this.birth.length) this.birth = grownInt32(this.birth);
      this.birth[client] = facts.birthDate === null ? UNKNOWN : dayNumber(facts.birthDate);
    } else if (facts.birthDate !== null && this.birth[client] !== CONFLICT) {
      const day = dayNumber(facts.birthDate);
      if (this.birth[client] === UNKNOWN) this.birth[client] = day;
      else if (this.birth[client] !== day) {
        // Two different birth dates for one BSN: the age class cannot be trusted, so the client is
        // treated as without a birth date (left out, listed) rather than guessed.
        this.birth[client] = CONFLICT;
        // Its own kind, once per client: a register adapter reports each differing row as
        // 'conflicting-birth-date' already, and one kind for both counted every client twice.
        this.warnings.add(
          warning(
            'client-conflicting-birth-dates',
            `client ${this.pseudonymize(facts.clientKey)} has two different birth dates in the client sources; it is left out of the file`,
            facts.source,
          ),
        );
      }
    }
    for (const address of facts.addresses) {
      const at = this.addresses.add(client) * 6;
      const fields = this.addresses.fields;
      fields[at] = dayNumber(address.start);
      fields[at + 1] = address.end === null ? OPEN : dayNumber(address.end);
      fields[at + 2] = this.texts.id(address.municipality);
      fields[at + 3] = address.wijkCode == null ? NONE : this.texts.id(address.wijkCode);
      fields[at + 4] = address.postcode == null ? NONE : this.texts.id(address.postcode);
      fields[at + 5] = address.houseNumber == null ? NONE : this.texts.id(address.houseNumber);
    }
  }

  /** A client's facts, or undefined when no source gave the client. */
  get(clientKey: string): IndexedClient | undefined {
    const client = this.keys.find(clientKey);
    if (client < 0) return undefined;
    const birth = this.birth[client]!;
    const addresses: AddressPeriod[] = [];
    for (let a = this.addresses.first(client); a !== NONE; a = this.addresses.next(a)) addresses.push(this.address(a));
    return { birthDate: birth === UNKNOWN || birth === CONFLICT ? null : isoDate(birth), birthDateConflict: birth === CONFLICT, addresses };
  }

  get size(): number {
    return this.keys.size;
  }

  /** The client's number in this index (for the look-ups by number below), or -1. */
  find(clientKey: string): number {
    return this.keys.find(clientKey);
  }

  /** The birth day (a day number) of client number `client`, or null (unknown, or conflicting: see `get`). */
  birthDayOf(client: number): number | null {
    const birth = this.birth[client]!;
    return birth === UNKNOWN || birth === CONFLICT ? null : birth;
  }

  /** Whether the sources give client number `client` two different birth dates. */
  hasBirthDateConflict(client: number): boolean {
    return this.birth[client] === CONFLICT;
  }

  /**
   * `placeInWijk` of client number `client`'s addresses, read from the days kept here: no address
   * object made but the one that places the client (the engine places every client once).
   */
  placeInWijk(client: number, municipality: string, bounds: PeriodBounds, wijkByCode: ReadonlyMap<string, Wijk>, resolve?: AddressResolver): WijkPlacement {
    const fields = this.addresses.fields;
    const municipalityCode = this.texts.find(municipality);
    let best = NONE;
    let bestDistance = Infinity;
    let bestStart = -Infinity;
    for (let a = this.addresses.first(client); a !== NONE; a = this.addresses.next(a)) {
      const at = a * 6;
      if (fields[at + 2] !== municipalityCode) continue;
      const start = fields[at]!;
      const distance = distanceToReferenceDay(start, fields[at + 1] === OPEN ? Infinity : fields[at + 1]!, bounds);
      if (isCloser(distance, start, bestDistance, bestStart)) {
        best = a;
        bestDistance = distance;
        bestStart = start;
      }
    }
    return best === NONE ? { wijk: null, reason: 'no-address' } : wijkOf(this.address(best), wijkByCode, resolve);
  }

  /** Address period `a` as an object. */
  private address(a: number): AddressPeriod {
    const fields = this.addresses.fields;
    const at = a * 6;
    return {
      start: isoDate(fields[at]!),
      end: fields[at + 1] === OPEN ? null : isoDate(fields[at + 1]!),
      municipality: this.text(fields[at + 2]!)!,
      wijkCode: this.text(fields[at + 3]!),
      postcode: this.text(fields[at + 4]!),
      houseNumber: this.text(fields[at + 5]!),
    };
  }

  private text(code: number): string | null {
    return code === NONE ? null : this.texts.values[code]!;
  }
}
