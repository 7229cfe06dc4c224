import type { ClientFacts, AddressPeriod } from '../records.js';
import { warning } from '../warnings.js';
import type { Pseudonymizer } from '../bsn.js';
import { dayNumber, isoDate } from '../dates.js';
import { ClientKeys } from './client-keys.js';
import { Int32Lists, grownInt32 } from './int32-lists.js';
import { StringTable } from './store.js';
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
    const fields = this.addresses.fields;
    for (let a = this.addresses.first(client); a !== NONE; a = this.addresses.next(a)) {
      const at = a * 6;
      addresses.push({
        start: isoDate(fields[at]!),
        end: fields[at + 1] === OPEN ? null : isoDate(fields[at + 1]!),
        municipality: this.text(fields[at + 2]!)!,
        wijkCode: this.text(fields[at + 3]!),
        postcode: this.text(fields[at + 4]!),
        houseNumber: this.text(fields[at + 5]!),
      });
    }
    return { birthDate: birth === UNKNOWN || birth === CONFLICT ? null : isoDate(birth), birthDateConflict: birth === CONFLICT, addresses };
  }

  get size(): number {
    return this.keys.size;
  }

  private text(code: number): string | null {
    return code === NONE ? null : this.texts.values[code]!;
  }
}
