import type { ClientFacts, AddressPeriod } from '../records.js';
import type { Warning } from '../warnings.js';
import { warning } from '../warnings.js';
import type { Pseudonymizer } from '../bsn.js';
import { dayNumber, isoDate } from '../dates.js';
import { ClientKeys } from './client-keys.js';
import { StringTable } from './store.js';

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
 * days and the codes of its gemeente, wijk, postcode and house number (texts kept once). About
 * 40 bytes a client with one address, where objects took about 250 (docs/performance.md); `get`
 * gives a client as an object again.
 */
export class ClientIndex {
  private readonly keys = new ClientKeys();
  private birth = new Int32Array(1024);
  private firstAddress = new Int32Array(1024);
  private lastAddress = new Int32Array(1024);
  private addressCount = 0;
  /** Per address period: start and end day, text codes (NONE: null), the next period of its client. */
  private addressStart = new Int32Array(1024);
  private addressEnd = new Int32Array(1024);
  private addressTexts = new Int32Array(4 * 1024);
  private nextAddress = new Int32Array(1024);
  private readonly texts = new StringTable();
  readonly warnings: Warning[] = [];

  constructor(private readonly pseudonymize: Pseudonymizer) {}

  add(facts: ClientFacts): void {
    const known = this.keys.find(facts.clientKey);
    const client = known >= 0 ? known : this.keys.id(facts.clientKey);
    if (known < 0) {
      if (client === this.birth.length) {
        this.birth = grown(this.birth);
        this.firstAddress = grown(this.firstAddress);
        this.lastAddress = grown(this.lastAddress);
      }
      this.birth[client] = facts.birthDate === null ? UNKNOWN : dayNumber(facts.birthDate);
      this.firstAddress[client] = NONE;
      this.lastAddress[client] = NONE;
    } else if (facts.birthDate !== null && this.birth[client] !== CONFLICT) {
      const day = dayNumber(facts.birthDate);
      if (this.birth[client] === UNKNOWN) this.birth[client] = day;
      else if (this.birth[client] !== day) {
        // Two different birth dates for one BSN: the age class cannot be trusted, so the client is
        // treated as without a birth date (left out, listed) rather than guessed.
        this.birth[client] = CONFLICT;
        this.warnings.push(
          warning(
            'conflicting-birth-date',
            `client ${this.pseudonymize(facts.clientKey)} has two different birth dates in the client sources; it is left out of the file`,
            facts.source,
          ),
        );
      }
    }
    for (const address of facts.addresses) this.addAddress(client, address);
  }

  /** A client's facts, or undefined when no source gave the client. */
  get(clientKey: string): IndexedClient | undefined {
    const client = this.keys.find(clientKey);
    if (client < 0) return undefined;
    const birth = this.birth[client]!;
    const addresses: AddressPeriod[] = [];
    for (let a = this.firstAddress[client]!; a !== NONE; a = this.nextAddress[a]!) {
      const end = this.addressEnd[a]!;
      addresses.push({
        start: isoDate(this.addressStart[a]!),
        end: end === OPEN ? null : isoDate(end),
        municipality: this.text(4 * a)!,
        wijkCode: this.text(4 * a + 1),
        postcode: this.text(4 * a + 2),
        houseNumber: this.text(4 * a + 3),
      });
    }
    return { birthDate: birth === UNKNOWN || birth === CONFLICT ? null : isoDate(birth), birthDateConflict: birth === CONFLICT, addresses };
  }

  get size(): number {
    return this.keys.size;
  }

  private addAddress(client: number, address: AddressPeriod): void {
    const a = this.addressCount++;
    if (a === this.addressStart.length) {
      this.addressStart = grown(this.addressStart);
      this.addressEnd = grown(this.addressEnd);
      this.nextAddress = grown(this.nextAddress);
      this.addressTexts = grown(this.addressTexts);
    }
    this.addressStart[a] = dayNumber(address.start);
    this.addressEnd[a] = address.end === null ? OPEN : dayNumber(address.end);
    this.addressTexts[4 * a] = this.texts.id(address.municipality);
    this.addressTexts[4 * a + 1] = address.wijkCode == null ? NONE : this.texts.id(address.wijkCode);
    this.addressTexts[4 * a + 2] = address.postcode == null ? NONE : this.texts.id(address.postcode);
    this.addressTexts[4 * a + 3] = address.houseNumber == null ? NONE : this.texts.id(address.houseNumber);
    this.nextAddress[a] = NONE;
    const last = this.lastAddress[client]!;
    if (last === NONE) this.firstAddress[client] = a;
    else this.nextAddress[last] = a;
    this.lastAddress[client] = a;
  }

  private text(at: number): string | null {
    const code = this.addressTexts[at]!;
    return code === NONE ? null : this.texts.values[code]!;
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
